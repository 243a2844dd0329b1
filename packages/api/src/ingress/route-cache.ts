import { findTenantBySlug, findWebhookTarget, openWebhookSecretsWithIds } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { webhookTriggerConfig } from '../graph-input';
import { serverKeyring } from '../security/keyring';
import type { ApiDatabase } from '../trpc';

/**
 * What ingress needs to accept a delivery on /api/hooks/{tenant}/{path}: tenant id, the route's
 * workflow and active version, the trigger's config and the route's signing secrets (decrypted),
 * cached per web process so that a delivery costs no lookups.
 *
 * The cache is a hint, never the authority: enqueueWebhookRun writes only if route, active version
 * and secret ids are still what the cache says, and otherwise ingress reloads (`fresh`) and tries
 * again. So a publish, a rollback, a route change or a secret rotation applies to the very next
 * delivery; the TTL only bounds memory and how long a deleted route's data lingers. Misses (unknown
 * tenant or path) are not cached, so a route published a moment ago answers at once.
 */

export interface IngressRoute {
  tenant: { id: string; slug: string };
  workflowId: string;
  versionId: string;
  trigger: ReturnType<typeof webhookTriggerConfig>;
  /** The route's live secrets, newest first; empty for an open route. */
  secrets: { id: string; secret: string }[];
  loadedAt: number;
}

export type RouteLookup =
  | { kind: 'route'; route: IngressRoute }
  | { kind: 'no-tenant' }
  | { kind: 'no-route'; tenant: { id: string; slug: string } };

export const ROUTE_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

const cacheByPool = new WeakMap<object, Map<string, IngressRoute>>();

function cacheOf(db: ApiDatabase): Map<string, IngressRoute> {
  let cache = cacheByPool.get(db.pool);
  if (!cache) cacheByPool.set(db.pool, (cache = new Map()));
  return cache;
}

function keyOf(tenantSlug: string, path: string): string {
  // JSON keeps slug and path apart whatever characters they contain.
  return JSON.stringify([tenantSlug, path]);
}

export async function lookupRoute(db: ApiDatabase, tenantSlug: string, path: string, opts: { fresh?: boolean; now?: number } = {}): Promise<RouteLookup> {
  const cache = cacheOf(db);
  const key = keyOf(tenantSlug, path);
  const now = opts.now ?? Date.now();
  const cached = cache.get(key);
  if (cached && !opts.fresh && now - cached.loadedAt < ROUTE_CACHE_TTL_MS) return { kind: 'route', route: cached };
  cache.delete(key);
  const tenant = await findTenantBySlug(db.prisma, tenantSlug);
  if (!tenant) return { kind: 'no-tenant' };
  const target = await findWebhookTarget(db.prisma, tenant.id, path);
  if (!target?.activeVersion) return { kind: 'no-route', tenant: { id: tenant.id, slug: tenant.slug } };
  const secrets = await openWebhookSecretsWithIds(db.prisma, () => serverKeyring(db), tenant.id, target.workflowId);
  const route: IngressRoute = {
    tenant: { id: tenant.id, slug: tenant.slug },
    workflowId: target.workflowId,
    versionId: target.activeVersion.id,
    // Published graphs were validated on publish, so the trigger config parses; defaults otherwise.
    trigger: webhookTriggerConfig(target.activeVersion.graph as Graph),
    secrets,
    loadedAt: now,
  };
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, route);
  return { kind: 'route', route };
}

const tenantsByPool = new WeakMap<object, Map<string, { id: string; slug: string; loadedAt: number }>>();

/**
 * The tenant a slug names, cached like routes, so that ingress can open the tenant's scope
 * (row-level security) before anything else without a query per delivery. Unknown slugs are not
 * cached. A tenant deleted and re-created under the same slug is seen after at most the TTL.
 */
export async function lookupTenant(db: ApiDatabase, tenantSlug: string, now = Date.now()): Promise<{ id: string; slug: string } | null> {
  let cache = tenantsByPool.get(db.pool);
  if (!cache) tenantsByPool.set(db.pool, (cache = new Map()));
  const cached = cache.get(tenantSlug);
  if (cached && now - cached.loadedAt < ROUTE_CACHE_TTL_MS) return cached;
  const tenant = await findTenantBySlug(db.prisma, tenantSlug);
  if (!tenant) {
    cache.delete(tenantSlug);
    return null;
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const entry = { id: tenant.id, slug: tenant.slug, loadedAt: now };
  cache.set(tenantSlug, entry);
  return entry;
}

/** Drops a cached route (the enqueue found it stale). */
export function forgetRoute(db: ApiDatabase, tenantSlug: string, path: string): void {
  cacheOf(db).delete(keyOf(tenantSlug, path));
}
