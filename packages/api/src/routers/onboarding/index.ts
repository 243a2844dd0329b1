import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { listDefaultMappings, previewMapping, type ErpId } from '@switchyard/canonical';
import { connectionSystems, effectiveOverlay, listTemplates, loadReferenceData, testConnection, type TemplateErp } from '@switchyard/connectors';
import { getTenantPolicy, inTransaction, isValidTimeZone, recordAudit, recordAuditSql, setTenantPolicy } from '@switchyard/db';
import { actorOf } from '../../security/actor';
import { platformAdminProcedure, signedInProcedure, tenantBySlugInputProcedure, type ApiDatabase } from '../../trpc';
import { keyringFor, outboundFetch } from '../connections/platform';
import { ONBOARDING_ERPS, OTHER_SYSTEMS, REGIONS, type OnboardingErp } from './catalog';
import { demoDefaults } from './demo-defaults';
import {
  assertEditable,
  connectionInput,
  createDraft,
  draftId,
  loadDraft,
  mappingsInput,
  policiesInput,
  profileInput,
  publicDraft,
  saveDraft,
  systemsInput,
  workflowsInput,
  type Draft,
} from './draft';
import { tenantEditProcedures } from './edit-router';
import { draftFromTenant } from './from-tenant';
import { activate, checkAllSteps, sendTestEvent } from './go-live';
import { failed, WIZARD_STEPS, type StepResult, type WizardStep } from './issues';
import { lookupTables, missingLookupIssues, overlayOf, SAMPLES } from './mappings';
import { tenantOverview } from './overview';
import { effectivePolicies, normalizeProfile, slugIssue, validatePolicies, validateProfile, validateSystems, validateWorkflows, WIZARD_PARAMS } from './validate';

/**
 * The tenant onboarding wizard (before the tenant exists, so these are not tenant procedures: a draft
 * is addressed by its id) and the overview of a tenant once it is live. Each `save*` judges its step
 * and answers with the issues (field + words) instead of throwing, so the form shows them in place.
 */

const withDraft = z.object({ id: draftId });
const stepIndex = (step: WizardStep) => WIZARD_STEPS.indexOf(step);

async function editable(ctx: { db: ApiDatabase }, id: string): Promise<Draft> {
  const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), id);
  assertEditable(draft);
  return draft;
}

/** Saves the answers whether or not they pass (so nothing typed is lost) and moves on only when they do. */
async function finish(ctx: { db: ApiDatabase }, draft: Draft, step: WizardStep, result: StepResult) {
  if (result.ok) draft.step = Math.max(draft.step, stepIndex(step) + 1);
  await saveDraft(ctx.db.prisma, keyringFor(ctx.db), draft);
  return { ...result, draft: publicDraft(draft, null) };
}

export const onboardingRouter = {
  /** Regions, ERPs, systems (with their connection forms), workflow templates and, on the embedded demo, simulator defaults. */
  catalog: signedInProcedure.query(() => ({
    regions: REGIONS,
    erps: ONBOARDING_ERPS.map((id) => ({ id, displayName: connectionSystems[id].displayName, description: connectionSystems[id].description })),
    systems: [...ONBOARDING_ERPS, ...OTHER_SYSTEMS].map((system) => {
      const def = connectionSystems[system];
      return {
        system,
        displayName: def.displayName,
        description: def.description,
        baseUrlExample: def.baseUrlExample,
        configSchema: z.toJSONSchema(def.configSchema, { io: 'input', unrepresentable: 'any' }),
        credentialsSchema: z.toJSONSchema(def.credentialsSchema, { io: 'input', unrepresentable: 'any' }),
      };
    }),
    templates: listTemplates()
      .filter((t) => t.erps.some((e) => (ONBOARDING_ERPS as readonly string[]).includes(e)))
      .map((t) => {
        const schema = t.parameters as { properties?: Record<string, unknown>; required?: string[] };
        const variables = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !WIZARD_PARAMS.has(k)));
        return { id: t.id, name: t.name, description: t.description, erps: t.erps, connections: t.connections, variables };
      }),
    demo: demoDefaults(),
  })),

  list: platformAdminProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.onboardingDraft.findMany({ where: { tenantId: null, editsTenantId: null }, orderBy: { updatedAt: 'desc' }, take: 50, select: { id: true, data: true, step: true, updatedAt: true } });
    return rows.map((r) => {
      const profile = (r.data as { profile?: { name?: string; slug?: string } }).profile;
      return { id: r.id, name: profile?.name ?? '', slug: profile?.slug ?? '', step: r.step, updatedAt: r.updatedAt };
    });
  }),

  start: platformAdminProcedure.mutation(async ({ ctx }) => ({ id: await createDraft(ctx.db.prisma) })),

  /** A draft prefilled from a live tenant's configuration (credentials excluded: they are typed again). */
  startFromTenant: platformAdminProcedure.input(z.object({ slug: z.string().min(1).max(60) })).mutation(async ({ ctx, input }) => {
    const data = await draftFromTenant(ctx, input.slug);
    if (!data) throw new TRPCError({ code: 'NOT_FOUND', message: `There is no tenant "${input.slug}" to copy` });
    return { id: await createDraft(ctx.db.prisma, data) };
  }),

  get: platformAdminProcedure.input(withDraft).query(async ({ ctx, input }) => {
    const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), input.id);
    const tenant = draft.tenantId ? await ctx.db.prisma.tenant.findUnique({ where: { id: draft.tenantId }, select: { slug: true } }) : null;
    return publicDraft(draft, tenant?.slug ?? null);
  }),

  /** Abandoning: the draft row is all there is to remove (nothing else exists before go-live). */
  discard: platformAdminProcedure.input(withDraft).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.prisma.onboardingDraft.deleteMany({ where: { id: input.id, tenantId: null, editsTenantId: null } });
    if (count === 0) throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no open onboarding draft with this id (already live or discarded).' });
    return { id: input.id, discarded: true as const };
  }),

  checkSlug: platformAdminProcedure.input(z.object({ slug: z.string().max(60) })).query(async ({ ctx, input }) => {
    const issue = await slugIssue(ctx.db.prisma, input.slug);
    return { slug: input.slug, available: issue === null, message: issue };
  }),

  saveProfile: platformAdminProcedure.input(withDraft.extend({ profile: profileInput })).mutation(async ({ ctx, input }) => {
    const draft = await editable(ctx, input.id);
    const profile = normalizeProfile(input.profile);
    draft.data.profile = profile;
    const issues = await validateProfile(ctx.db.prisma, profile);
    return finish(ctx, draft, 'profile', issues.length ? failed('profile', issues) : { ok: true });
  }),

  /** Saves the connections (blank credential fields keep the stored value) and calls each one: wrong credentials or an unreachable system stop here, in words. */
  saveSystems: platformAdminProcedure.input(withDraft.extend({ systems: systemsInput })).mutation(async ({ ctx, input }) => {
    const draft = await editable(ctx, input.id);
    const secrets: Draft['secrets'] = {};
    for (const c of input.systems.connections) {
      const kept = Object.fromEntries(Object.entries(draft.secrets[c.slot] ?? {}).filter(([, v]) => v !== ''));
      const typed = Object.fromEntries(Object.entries(c.credentials).filter(([, v]) => v !== ''));
      secrets[c.slot] = { ...kept, ...typed };
    }
    draft.secrets = secrets;
    draft.data.systems = { erp: input.systems.erp, connections: input.systems.connections.map(({ credentials: _c, ...rest }) => rest) };
    const issues = await validateSystems(draft.data.systems, secrets, outboundFetch());
    return finish(ctx, draft, 'systems', issues.length ? failed('systems', issues) : { ok: true });
  }),

  testConnection: platformAdminProcedure.input(withDraft.extend({ connection: connectionInput })).mutation(async ({ ctx, input }) => {
    const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), input.id);
    const c = input.connection;
    const typed = Object.fromEntries(Object.entries(c.credentials).filter(([, v]) => v !== ''));
    return testConnection({ name: c.name, kind: c.system, baseUrl: c.baseUrl, config: c.config, credentials: { ...(draft.secrets[c.slot] ?? {}), ...typed } }, { fetch: outboundFetch(), timeoutMs: 10_000 });
  }),

  /** The ERP's reference data, the canonical codes per lookup table and a suggestion for each. */
  referenceData: platformAdminProcedure.input(withDraft).query(async ({ ctx, input }) => {
    const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), input.id);
    const erp = draft.data.systems?.erp as OnboardingErp | undefined;
    const connection = draft.data.systems?.connections.find((c) => c.slot === 'erp');
    if (!erp || !connection) return { ok: false as const, message: 'Enter the ERP connection at the Systems step first.', tables: [], issues: [] };
    const loaded = await loadReferenceData(
      { name: connection.name, kind: connection.system, baseUrl: connection.baseUrl, config: connection.config, credentials: draft.secrets.erp ?? {} },
      { fetch: outboundFetch(), timeoutMs: 10_000 },
    );
    const tables = lookupTables(erp, loaded.ok ? loaded.tables : {});
    const issues = await missingLookupIssues(erp, draft.data.mappings, draft.data.workflows);
    return { ok: loaded.ok, message: loaded.ok ? null : loaded.message, tables, issues: draft.data.mappings ? issues : [] };
  }),

  saveMappings: platformAdminProcedure.input(withDraft.extend({ mappings: mappingsInput })).mutation(async ({ ctx, input }) => {
    const draft = await editable(ctx, input.id);
    draft.data.mappings = input.mappings;
    const erp = draft.data.systems?.erp as OnboardingErp | undefined;
    const issues = erp ? await missingLookupIssues(erp, input.mappings, draft.data.workflows) : [{ field: 'systems.erp', message: 'choose the ERP first' }];
    return finish(ctx, draft, 'mappings', issues.length ? failed('mappings', issues) : { ok: true });
  }),

  /** A canonical sample invoice or order as this tenant's ERP payload, with the lookup tables as they are in the form. */
  preview: platformAdminProcedure.input(withDraft.extend({ object: z.enum(['invoice', 'salesOrder']), mappings: mappingsInput })).mutation(async ({ ctx, input }) => {
    const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), input.id);
    const erp = draft.data.systems?.erp;
    if (!erp) return { ok: false as const, errors: [{ mapping: '', field: '', message: 'choose the ERP first', stage: 'request' as const }] };
    if (listDefaultMappings({ erp: erp as ErpId, object: input.object }).length === 0) {
      return { ok: false as const, errors: [{ mapping: `${erp}.${input.object}.toErp`, field: '', message: `this ERP takes no ${input.object === 'salesOrder' ? 'sales orders' : 'invoices'} through its API`, stage: 'request' as const }] };
    }
    const sample = SAMPLES[input.object]!();
    const result = await previewMapping({ erp, object: input.object, direction: 'toErp', canonical: sample, overlay: effectiveOverlay(erp as TemplateErp, input.object, overlayOf(input.mappings)) });
    return { ...result, canonical: sample };
  }),

  policies: platformAdminProcedure.input(withDraft.extend({ overrides: policiesInput.shape.overrides.optional() })).query(async ({ ctx, input }) => {
    const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), input.id);
    return effectivePolicies(input.overrides ?? draft.data.policies?.overrides ?? {});
  }),

  savePolicies: platformAdminProcedure.input(withDraft.extend({ policies: policiesInput })).mutation(async ({ ctx, input }) => {
    const draft = await editable(ctx, input.id);
    draft.data.policies = input.policies;
    const { issues } = validatePolicies(input.policies);
    return finish(ctx, draft, 'policies', issues.length ? failed('policies', issues) : { ok: true });
  }),

  /** Checks the templates' variables, then that the lookup tables hold every code the chosen workflows need (reported at the mappings step). */
  saveWorkflows: platformAdminProcedure.input(withDraft.extend({ workflows: workflowsInput })).mutation(async ({ ctx, input }) => {
    const draft = await editable(ctx, input.id);
    draft.data.workflows = input.workflows;
    const issues = validateWorkflows(draft.data, input.workflows);
    if (issues.length) return finish(ctx, draft, 'workflows', failed('workflows', issues));
    const erp = draft.data.systems?.erp as OnboardingErp;
    const missing = await missingLookupIssues(erp, draft.data.mappings, input.workflows);
    if (missing.length) {
      draft.step = Math.min(draft.step, stepIndex('mappings'));
      return finish(ctx, draft, 'mappings', failed('mappings', missing));
    }
    return finish(ctx, draft, 'workflows', { ok: true });
  }),

  review: platformAdminProcedure.input(withDraft).query(async ({ ctx, input }) => {
    const draft = await loadDraft(ctx.db.prisma, keyringFor(ctx.db), input.id);
    const check = draft.tenantId ? ({ ok: true } as const) : await checkAllSteps(ctx, draft);
    return { check, draft: publicDraft(draft, null) };
  }),

  /** Go-live, then a test event through one workflow; the signing secrets are in this answer only. */
  goLive: platformAdminProcedure.input(withDraft).mutation(async ({ ctx, input }) => {
    const draft = await editable(ctx, input.id);
    if (draft.editsTenantId) throw new TRPCError({ code: 'BAD_REQUEST', message: 'This draft edits a live tenant; save it from the tenant overview.' });
    const result = await activate(ctx, draft, '');
    if (!result.ok) return { ok: false as const, step: result.step, issues: result.issues };
    let testEvent = null;
    try {
      testEvent = await sendTestEvent(ctx, result.activated);
    } catch (err) {
      testEvent = { workflow: '', path: '', status: 0, ok: false, body: { error: err instanceof Error ? err.message : String(err) }, runId: null, runStatus: null };
    }
    return { ok: true as const, activated: result.activated, testEvent };
  }),

  overview: tenantBySlugInputProcedure('viewer').input(z.object({ slug: z.string().min(1).max(60) })).query(async ({ ctx, input }) => {
    const overview = await tenantOverview(ctx, input.slug);
    if (!overview) throw new TRPCError({ code: 'NOT_FOUND', message: `There is no tenant "${input.slug}"` });
    return overview;
  }),

  /** Later edits with the wizard's validation: profile (the slug stays) and policy overrides. */
  updateProfile: tenantBySlugInputProcedure('tenant_admin')
    .input(z.object({ slug: z.string().min(1).max(60), profile: profileInput.omit({ slug: true }) }))
    .mutation(async ({ ctx, input }) => {
      const tenant = await ctx.db.prisma.tenant.findUnique({ where: { slug: input.slug }, select: { id: true, name: true, region: true, timeZone: true, baseCurrency: true } });
      if (!tenant) throw new TRPCError({ code: 'NOT_FOUND', message: `There is no tenant "${input.slug}"` });
      const issues = (await validateProfile(ctx.db.prisma, { ...input.profile, slug: '__unchanged__' })).filter((i) => i.field !== 'profile.slug');
      if (!isValidTimeZone(input.profile.timeZone) && !issues.some((i) => i.field === 'profile.timeZone')) issues.push({ field: 'profile.timeZone', message: 'is not a time zone' });
      if (issues.length) return failed('profile', issues);
      const after = { name: input.profile.name.trim(), region: input.profile.region, timeZone: input.profile.timeZone, baseCurrency: input.profile.baseCurrency.toUpperCase() };
      // The change and its audit entry commit together.
      await ctx.db.prisma.$transaction(async (tx) => {
        await tx.tenant.update({ where: { id: tenant.id }, data: after });
        await recordAudit(tx, { tenantId: tenant.id, actor: actorOf(ctx), action: 'tenant.update', entityType: 'tenant', entityId: tenant.id, before: tenant, after });
      });
      return { ok: true } as StepResult;
    }),

  updatePolicies: tenantBySlugInputProcedure('tenant_admin').input(z.object({ slug: z.string().min(1).max(60), policies: policiesInput })).mutation(async ({ ctx, input }) => {
    const tenant = await ctx.db.prisma.tenant.findUnique({ where: { slug: input.slug }, select: { id: true } });
    if (!tenant) throw new TRPCError({ code: 'NOT_FOUND', message: `There is no tenant "${input.slug}"` });
    const { issues, policy } = validatePolicies(input.policies);
    if (issues.length || !policy) return failed('policies', issues);
    await inTransaction(ctx.db.pool, async (client) => {
      const before = await getTenantPolicy(client, tenant.id);
      await setTenantPolicy(client, tenant.id, policy);
      await recordAuditSql(client, { tenantId: tenant.id, actor: actorOf(ctx), action: 'tenant_policy.update', entityType: 'tenant', entityId: tenant.id, before, after: policy });
    });
    return { ok: true } as StepResult;
  }),

  ...tenantEditProcedures,
};
