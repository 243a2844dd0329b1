import type { LookupTable } from '@switchyard/canonical';
import { listTemplates } from '@switchyard/connectors';
import { getTenantPolicy, listConnections } from '@switchyard/db';
import type { Context } from '../../trpc';
import { keyringFor } from '../connections/platform';
import { ONBOARDING_ERPS } from './catalog';
import type { DraftData } from './draft';
import { flattenPolicy } from './overview';

/**
 * A new draft's answers copied from a live tenant, so onboarding many similar tenants is filling in
 * what differs: region, time zone, currency, the systems (addresses and settings, never credentials:
 * each tenant has its own), the lookup tables, the policy overrides and the workflows (by template).
 * Name and slug stay empty: they are the new tenant's.
 */
export async function draftFromTenant(ctx: Context, slug: string): Promise<DraftData | null> {
  const tenant = await ctx.db.prisma.tenant.findUnique({ where: { slug }, select: { id: true, region: true, timeZone: true, baseCurrency: true } });
  if (!tenant) return null;
  const connections = await listConnections(ctx.db.pool, keyringFor(ctx.db), tenant.id);
  const erpConnection = connections.find((c) => (ONBOARDING_ERPS as readonly string[]).includes(c.system));
  const others = connections.filter((c) => c !== erpConnection && (c.system === 'back-office' || c.system === 'rest'));
  const data: DraftData = { profile: { name: '', slug: '', region: tenant.region, timeZone: tenant.timeZone, baseCurrency: tenant.baseCurrency } };
  if (erpConnection) {
    data.systems = {
      erp: erpConnection.system,
      connections: [erpConnection, ...others].map((c, i) => ({ slot: i === 0 ? 'erp' : c.system, system: c.system, name: c.name, baseUrl: c.baseUrl, config: c.config })),
    };
    const mapping = await ctx.db.prisma.tenantMapping.findFirst({
      where: { tenantId: tenant.id, erp: erpConnection.system, object: 'invoice' },
      orderBy: { version: 'desc' },
      select: { overlay: true },
    });
    const lookups = (mapping?.overlay as { lookups?: Partial<Record<LookupTable, Record<string, string>>> } | undefined)?.lookups;
    if (lookups) data.mappings = { lookups };
  }
  data.policies = { overrides: flattenPolicy((await getTenantPolicy(ctx.db.pool, tenant.id)) ?? {}) };
  // Template workflows are named after their template ("Invoice sync (NetSuite)"); others are the tenant's own design.
  const workflows = await ctx.db.prisma.workflow.findMany({ where: { tenantId: tenant.id, activeVersionId: { not: null } }, select: { name: true } });
  const selected = listTemplates()
    .filter((t) => workflows.some((w) => w.name === t.name || w.name.startsWith(`${t.name} (`)))
    .map((t) => ({ templateId: t.id, variables: {} }));
  if (selected.length > 0) data.workflows = { selected };
  return data;
}
