import { testConnection } from '@switchyard/connectors';
import { getTenantPolicy, listConnections, resolveConnection, type TenantPolicy } from '@switchyard/db';
import type { Context } from '../../trpc';
import { keyringFor, outboundFetch } from '../connections/platform';
import { effectivePolicies } from './validate';

/** `{ retry: { maxAttempts: 5 } }` → `{"retry.maxAttempts": 5}`, the shape the policy form edits. */
export function flattenPolicy(policy: TenantPolicy | Record<string, unknown>, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(policy)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') out[path] = value;
    else if (value && typeof value === 'object') Object.assign(out, flattenPolicy(value as Record<string, unknown>, path));
  }
  return out;
}

/**
 * Everything about a live tenant on one page: profile, connections with a live status (each is
 * called), deployments and versions, effective policies, webhook endpoints, recent runs and health.
 */
export async function tenantOverview(ctx: Context, slug: string) {
  const tenant = await ctx.db.prisma.tenant.findUnique({
    where: { slug },
    select: { id: true, slug: true, name: true, region: true, timeZone: true, baseCurrency: true, createdAt: true },
  });
  if (!tenant) return null;
  const keyring = keyringFor(ctx.db);
  const connections = await listConnections(ctx.db.pool, keyring, tenant.id);
  const statuses = await Promise.all(
    connections.map(async (c) => {
      const resolved = await resolveConnection(ctx.db.pool, keyring, tenant.id, c.id).catch(() => null);
      if (!resolved) return { ok: false, message: 'the credentials cannot be opened with this estate’s key' };
      const result = await testConnection(resolved, { fetch: outboundFetch(), timeoutMs: 5_000 });
      return { ok: result.ok, message: result.message };
    }),
  );
  const workflows = await ctx.db.prisma.workflow.findMany({
    where: { tenantId: tenant.id },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      activeVersionId: true,
      versions: { where: { version: { gt: 0 } }, orderBy: { version: 'desc' }, select: { id: true, version: true, publishedAt: true } },
      hooks: { select: { path: true } },
      _count: { select: { webhookSecrets: true } },
    },
  });
  const runs = await ctx.db.prisma.run.findMany({
    where: { tenantId: tenant.id },
    orderBy: { createdAt: 'desc' },
    take: 10,
    select: { id: true, status: true, createdAt: true, finishedAt: true, workflow: { select: { name: true } } },
  });
  const since = new Date(Date.now() - 24 * 3600_000);
  const byStatus = await ctx.db.prisma.run.groupBy({ by: ['status'], where: { tenantId: tenant.id, createdAt: { gte: since } }, _count: { _all: true } });
  const counts = Object.fromEntries(byStatus.map((r) => [r.status, r._count._all]));
  const failedRuns = (counts.failed ?? 0) + (counts.compensation_failed ?? 0);
  const policy = (await getTenantPolicy(ctx.db.pool, tenant.id)) ?? {};
  const connectionsDown = statuses.filter((s) => !s.ok).length;
  return {
    tenant,
    connections: connections.map((c, i) => ({ id: c.id, name: c.name, system: c.system, baseUrl: c.baseUrl, credentialFields: c.credentialFields, status: statuses[i]! })),
    deployments: workflows.map((w) => ({
      id: w.id,
      name: w.name,
      activeVersion: w.versions.find((v) => v.id === w.activeVersionId)?.version ?? null,
      versions: w.versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt })),
      webhookPath: w.hooks[0]?.path ?? null,
      signingSecrets: w._count.webhookSecrets,
    })),
    policies: effectivePolicies(flattenPolicy(policy)),
    policyOverrides: flattenPolicy(policy),
    recentRuns: runs.map((r) => ({ id: r.id, status: r.status, workflow: r.workflow.name, createdAt: r.createdAt, finishedAt: r.finishedAt })),
    health: {
      status: connectionsDown > 0 || failedRuns > 0 ? 'degraded' : 'healthy',
      connectionsDown,
      runsLast24h: Object.values(counts).reduce((a, b) => a + b, 0),
      failedLast24h: failedRuns,
      succeededLast24h: counts.succeeded ?? 0,
    },
  };
}
