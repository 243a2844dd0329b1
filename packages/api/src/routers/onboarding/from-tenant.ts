import type { LookupTable } from '@switchyard/canonical';
import { listTemplates } from '@switchyard/connectors';
import { getTenantPolicy, listConnections, resolveConnection } from '@switchyard/db';
import type { Context } from '../../trpc';
import { keyringFor } from '../connections/platform';
import { ONBOARDING_ERPS } from './catalog';
import type { DraftData, DraftSecrets } from './draft';
import { flattenPolicy } from './overview';

export interface TenantConfiguration {
  tenant: { id: string; slug: string; name: string };
  /** The tenant's configuration in the wizard's shape. */
  data: DraftData;
  /** The stored connection behind each wizard slot (`erp`, `back-office`, `rest`). */
  connectionIds: Record<string, string>;
}

/**
 * A live tenant's configuration as the wizard's answers: profile, the ERP and back-office
 * connections (addresses and settings; credentials only on request, see `tenantSecrets`), the lookup
 * tables, the policy overrides and the active template workflows with their variables.
 */
export async function tenantConfiguration(ctx: Context, slug: string): Promise<TenantConfiguration | null> {
  const tenant = await ctx.db.prisma.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, region: true, timeZone: true, baseCurrency: true } });
  if (!tenant) return null;
  const connections = await listConnections(ctx.db.pool, keyringFor(ctx.db), tenant.id);
  const erpConnection = connections.find((c) => (ONBOARDING_ERPS as readonly string[]).includes(c.system));
  const others = connections.filter((c) => c !== erpConnection && (c.system === 'back-office' || c.system === 'rest'));
  const data: DraftData = { profile: { name: tenant.name, slug: tenant.slug, region: tenant.region, timeZone: tenant.timeZone, baseCurrency: tenant.baseCurrency } };
  const connectionIds: Record<string, string> = {};
  if (erpConnection) {
    // One connection per slot, as the wizard has: the ERP, then the first of each other system.
    const slotted = [{ slot: 'erp', c: erpConnection }, ...others.map((c) => ({ slot: c.system, c }))].filter((s, i, all) => all.findIndex((o) => o.slot === s.slot) === i);
    data.systems = { erp: erpConnection.system, connections: slotted.map(({ slot, c }) => ({ slot, system: c.system, name: c.name, baseUrl: c.baseUrl, config: c.config })) };
    for (const { slot, c } of slotted) connectionIds[slot] = c.id;
    const mapping = await ctx.db.prisma.tenantMapping.findFirst({
      where: { tenantId: tenant.id, erp: erpConnection.system, object: 'invoice' },
      orderBy: { version: 'desc' },
      select: { overlay: true },
    });
    const lookups = (mapping?.overlay as { lookups?: Partial<Record<LookupTable, Record<string, string>>> } | undefined)?.lookups;
    if (lookups) data.mappings = { lookups };
  }
  data.policies = { overrides: flattenPolicy((await getTenantPolicy(ctx.db.pool, tenant.id)) ?? {}) };
  const workflows = await ctx.db.prisma.workflow.findMany({
    where: { tenantId: tenant.id, activeVersionId: { not: null } },
    select: { name: true, templateDeployment: { select: { templateId: true, variables: true } } },
  });
  // Deployments record their template; older template workflows are named after it ("Invoice sync (NetSuite)").
  const selected = listTemplates()
    .map((t) => {
      const recorded = workflows.find((w) => w.templateDeployment?.templateId === t.id);
      if (recorded) return { templateId: t.id, variables: (recorded.templateDeployment?.variables ?? {}) as Record<string, unknown> };
      return workflows.some((w) => !w.templateDeployment && (w.name === t.name || w.name.startsWith(`${t.name} (`))) ? { templateId: t.id, variables: {} } : null;
    })
    .filter((s) => s !== null);
  if (selected.length > 0) data.workflows = { selected };
  return { tenant, data, connectionIds };
}

/** The stored credentials of the slotted connections, for an edit draft (kept encrypted there, never sent to a browser). */
export async function tenantSecrets(ctx: Context, tenantId: string, connectionIds: Record<string, string>): Promise<DraftSecrets> {
  const secrets: DraftSecrets = {};
  for (const [slot, id] of Object.entries(connectionIds)) {
    const resolved = await resolveConnection(ctx.db.pool, keyringFor(ctx.db), tenantId, id).catch(() => null);
    if (resolved) secrets[slot] = Object.fromEntries(Object.entries(resolved.credentials).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  }
  return secrets;
}

/**
 * A new draft's answers copied from a live tenant, so onboarding many similar tenants is filling in
 * what differs: region, time zone, currency, the systems (addresses and settings, never credentials:
 * each tenant has its own), the lookup tables, the policy overrides and the workflows (by template,
 * with their variables). Name and slug stay empty: they are the new tenant's.
 */
export async function draftFromTenant(ctx: Context, slug: string): Promise<DraftData | null> {
  const config = await tenantConfiguration(ctx, slug);
  if (!config) return null;
  const { data } = config;
  return { ...data, profile: { ...data.profile!, name: '', slug: '' } };
}
