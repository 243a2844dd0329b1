import { randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { encryptSecret, recordAudit, toJsonValue, type Prisma } from '@switchyard/db';
import { actorOf } from '../../security/actor';
import { serverKeyring } from '../../security/keyring';
import type { Context } from '../../trpc';
import { keyringFor, outboundFetch } from '../connections/platform';
import type { OnboardingErp } from './catalog';
import { Refused, syncTemplateDeployments, type SyncResult } from './deployments';
import { createDraft, saveDraft, type Draft } from './draft';
import { tenantConfiguration, tenantSecrets } from './from-tenant';
import { failed, type StepFailure } from './issues';
import { mappingObjectsFor, missingLookupIssues, overlayOf } from './mappings';
import { validateSystems, validateWorkflows } from './validate';

/**
 * Editing a live tenant with the wizard's own steps: an edit draft holds the tenant's current
 * systems, lookup tables and workflows (and, encrypted and bound to the draft, its stored
 * credentials, so blank fields keep them), the wizard's step forms and `save*` procedures judge the
 * changes exactly as during onboarding, and `applyTenantEdit` writes them to the tenant in one
 * transaction. The draft never goes live and is removed once applied or cancelled.
 */

/** Opens an edit draft for the tenant (replacing an earlier, unfinished one). Null when there is no such tenant. */
export async function startTenantEdit(ctx: Context, slug: string): Promise<{ id: string } | null> {
  const config = await tenantConfiguration(ctx, slug);
  if (!config) return null;
  // One open edit per tenant; and edits left open for a day (a closed browser) are dropped with their copy of the credentials.
  const stale = new Date(Date.now() - 24 * 3600_000);
  await ctx.db.prisma.onboardingDraft.deleteMany({ where: { OR: [{ editsTenantId: config.tenant.id }, { editsTenantId: { not: null }, updatedAt: { lt: stale } }] } });
  const id = await createDraft(ctx.db.prisma, { ...config.data, editing: { connectionIds: config.connectionIds } }, config.tenant.id);
  const secrets = await tenantSecrets(ctx, config.tenant.id, config.connectionIds);
  const draft: Draft = { id, data: { ...config.data, editing: { connectionIds: config.connectionIds } }, step: 5, tenantId: null, editsTenantId: config.tenant.id, secrets, updatedAt: new Date() };
  await saveDraft(ctx.db.prisma, keyringFor(ctx.db), draft);
  return { id };
}

export interface AppliedEdit {
  ok: true;
  connections: { created: number; updated: number; removed: number };
  /** The lookup tables' new overlay version, or null when they did not change. */
  mappingVersion: number | null;
  deployments: SyncResult['deployments'];
  deactivated: SyncResult['deactivated'];
  /** Routes that got their first signing secret now: shown once. */
  webhookEndpoints: SyncResult['webhookEndpoints'];
}

/** Re-checks the edit draft as go-live would and writes it to its tenant; the answer names the step to fix otherwise. */
export async function applyTenantEdit(ctx: Context, draft: Draft): Promise<AppliedEdit | StepFailure> {
  const tenant = await ctx.db.prisma.tenant.findUnique({ where: { id: draft.editsTenantId ?? '' }, select: { id: true, slug: true } });
  if (!tenant) return failed('review', [{ field: 'draft', message: 'the tenant this edit belongs to no longer exists' }]);
  const { systems, mappings, workflows, editing } = draft.data;
  const before = await tenantConfiguration(ctx, tenant.slug);
  if (!systems) return failed('systems', [{ field: 'systems.erp', message: 'choose the ERP and enter its connection' }]);
  if (before?.data.systems && before.data.systems.erp !== systems.erp) {
    return failed('systems', [{ field: 'systems.erp', message: `a live tenant keeps its ERP (${before.data.systems.erp}); onboard a new tenant to move to another ERP` }]);
  }
  // Called again (not only when their step was saved): what is written must be what answered.
  const s = await validateSystems(systems, draft.secrets, outboundFetch());
  if (s.length) return failed('systems', s);
  const erp = systems.erp as OnboardingErp;
  const m = await missingLookupIssues(erp, mappings, workflows);
  if (m.length) return failed('mappings', m);
  const w = validateWorkflows(draft.data, workflows ?? { selected: [] });
  if (w.length) return failed('workflows', w);

  const connectionKeyring = keyringFor(ctx.db);
  const known = editing?.connectionIds ?? {};
  try {
    return await ctx.db.prisma.$transaction(
      async (tx) => {
        const counts = { created: 0, updated: 0, removed: 0 };
        for (const c of systems.connections) {
          const existing = known[c.slot];
          const id = existing ?? randomUUID();
          const credentials = new Uint8Array(encryptSecret(connectionKeyring.current, { tenantId: tenant.id, connectionId: id }, draft.secrets[c.slot] ?? {}));
          const fields = { name: c.name, system: c.system, baseUrl: c.baseUrl.replace(/\/+$/, ''), config: toJsonValue(c.config), encryptedCredentials: credentials, keyId: connectionKeyring.current.id };
          if (existing) {
            // Scoped by tenant: the id came from this tenant's draft, but the where says so too.
            const { count } = await tx.connection.updateMany({ where: { id, tenantId: tenant.id }, data: fields });
            if (count !== 1) throw new Refused(failed('systems', [{ field: `connections.${c.slot}.name`, message: 'this connection was removed meanwhile; reopen the editor' }]));
            counts.updated++;
          } else {
            await tx.connection.create({ data: { id, tenantId: tenant.id, ...fields } });
            counts.created++;
          }
        }
        for (const [slot, id] of Object.entries(known)) {
          if (systems.connections.some((c) => c.slot === slot)) continue;
          counts.removed += (await tx.connection.deleteMany({ where: { id, tenantId: tenant.id } })).count;
        }

        // The lookup tables: a new overlay version for each mapped object whose lookups changed.
        const overlay = overlayOf(mappings);
        let mappingVersion: number | null = null;
        let overlayVersion = 1;
        const objects = new Set(['invoice', ...mappingObjectsFor(erp, workflows).map((o) => o.object)]);
        for (const object of objects) {
          const latest = await tx.tenantMapping.findFirst({ where: { tenantId: tenant.id, erp, object }, orderBy: { version: 'desc' }, select: { version: true, overlay: true } });
          const stored = (latest?.overlay ?? {}) as { fieldOverrides?: Record<string, unknown>; lookups?: unknown };
          if (latest && canonicalize(stored.lookups ?? {}) === canonicalize(overlay.lookups)) {
            if (object === 'invoice') overlayVersion = latest.version;
            continue;
          }
          const version = (latest?.version ?? 0) + 1;
          // Field overrides made in the mappings editor are kept; only the lookup tables come from this form.
          await tx.tenantMapping.create({ data: { tenantId: tenant.id, erp, object, version, overlay: toJsonValue({ fieldOverrides: stored.fieldOverrides ?? {}, lookups: overlay.lookups }), note: 'Edited from the tenant overview' } });
          if (object === 'invoice') overlayVersion = version;
          mappingVersion = Math.max(mappingVersion ?? 0, version);
        }

        const synced = await syncTemplateDeployments(tx as unknown as Prisma.TransactionClient, {
          tenantId: tenant.id,
          tenantSlug: tenant.slug,
          data: draft.data,
          overlayVersion,
          hookKeyring: serverKeyring(ctx.db),
          hookBase: '',
          note: 'Edited from the tenant overview',
        });
        await recordAudit(tx as unknown as Prisma.TransactionClient, {
          tenantId: tenant.id,
          actor: actorOf(ctx),
          action: 'tenant.edit',
          entityType: 'tenant',
          entityId: tenant.id,
          // Names and versions only: credentials never reach the audit log.
          after: {
            connections: systems.connections.map((c) => ({ name: c.name, system: c.system, baseUrl: c.baseUrl })),
            mappingVersion,
            workflows: synced.deployments.map((d) => ({ name: d.name, version: d.version, change: d.change })),
            deactivated: synced.deactivated.map((d) => d.name),
          },
        });
        await tx.onboardingDraft.delete({ where: { id: draft.id } });
        return { ok: true as const, connections: counts, mappingVersion, deployments: synced.deployments, deactivated: synced.deactivated, webhookEndpoints: synced.webhookEndpoints };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (err) {
    if (err instanceof Refused) return err.result;
    if ((err as { code?: string }).code === 'P2002') return failed('systems', [{ field: 'connections', message: 'two connections of this tenant would have the same name; rename one' }]);
    throw err;
  }
}
