import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { asPlatform, findApiKeyByPrefix, touchApiKey, withTenant, type ApiKeyCredential } from '@switchyard/db';
import type { ApiDatabase } from '../trpc';
import { apiKeyActor } from './actor';

// API keys: `sy_<prefix>_<secret>`. The prefix (public, unique) finds the row; the database keeps
// only the SHA-256 of the whole key. A fast hash is right here: the secret is 256 random bits, so
// there is nothing to brute-force that a slow password hash would protect.

/** `events`: deliver events and approval decisions to waiting runs (POST /api/events/{tenant}). */
/** `status`: read runs' status by business key (GET /api/v1/status/{key}, for portals). */
export const API_KEY_SCOPES = ['ingress', 'runs:read', 'events', 'status'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const KEY_PATTERN = /^sy_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  // 12 characters of base36 from 8 random bytes: readable in lists, collisions practically impossible.
  const prefix = BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36).padStart(12, '0').slice(-12);
  const key = `sy_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerTokenOf(headers: Record<string, string>): string | null {
  const value = headers.authorization?.trim();
  if (!value) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  return match ? match[1]! : value;
}

export type ApiKeyAuth =
  | { ok: true; key: ApiKeyCredential; actor: string }
  | { ok: false; status: 401 | 403; reason: string };

export interface AuthenticateOptions {
  scope: ApiKeyScope;
  /** When the request already names a tenant (ingress URL), the key must belong to it. */
  tenantId?: string;
  now?: Date;
}

/**
 * Checks an `Authorization: Bearer sy_…` header: 401 when the key is missing, malformed, unknown,
 * revoked or expired, or of another tenant; 403 when it is valid but lacks the scope. Records use.
 */
export async function authenticateApiKey(db: ApiDatabase, headers: Record<string, string>, options: AuthenticateOptions): Promise<ApiKeyAuth> {
  const token = bearerTokenOf(headers);
  if (token === null) return { ok: false, status: 401, reason: 'the Authorization header is missing: send `Authorization: Bearer sy_…`' };
  if (!/^Bearer\s/i.test(headers.authorization!.trim())) {
    return { ok: false, status: 401, reason: 'the Authorization header must use the Bearer scheme: `Authorization: Bearer sy_…`' };
  }
  const match = KEY_PATTERN.exec(token);
  if (!match) return { ok: false, status: 401, reason: 'the bearer token is not a Switchyard API key (sy_<prefix>_<secret>)' };
  // Row-level security: under a URL's tenant only its keys are visible; a key that must name its
  // tenant itself is found in the narrow 'api-key' platform scope, and nothing else is read there.
  const prefix = match[1]!;
  const row = await (options.tenantId !== undefined
    ? withTenant(options.tenantId, () => findApiKeyByPrefix(db.prisma, prefix))
    : asPlatform('api-key', () => findApiKeyByPrefix(db.prisma, prefix)));
  const presented = Buffer.from(hashApiKey(token), 'hex');
  // Compare even when the prefix is unknown, so an unknown prefix costs the same as a wrong secret.
  const stored = Buffer.from(row?.keyHash ?? '0'.repeat(64), 'hex');
  const equal = stored.length === presented.length && timingSafeEqual(stored, presented);
  if (!row || !equal) return { ok: false, status: 401, reason: 'the API key is not valid' };
  // Another tenant's key is "not valid" here, not "forbidden": it must not confirm that the key exists.
  if (options.tenantId !== undefined && row.tenantId !== options.tenantId) return { ok: false, status: 401, reason: 'the API key is not valid' };
  if (row.revokedAt) return { ok: false, status: 401, reason: `the API key ${row.prefix} was revoked` };
  const now = options.now ?? new Date();
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    return { ok: false, status: 401, reason: `the API key ${row.prefix} expired at ${row.expiresAt.toISOString()}` };
  }
  if (!row.scopes.includes(options.scope)) {
    return { ok: false, status: 403, reason: `the API key ${row.prefix} lacks the ${options.scope} scope (it has: ${row.scopes.join(', ') || 'none'})` };
  }
  await withTenant(row.tenantId, () => touchApiKey(db.pool, row.tenantId, row.id));
  return { ok: true, key: row, actor: apiKeyActor(row.prefix) };
}
