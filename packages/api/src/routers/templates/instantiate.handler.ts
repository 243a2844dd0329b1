import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { findTemplate, instantiateTemplate, type TemplateErp } from '@switchyard/connectors';
import { checkCron, createSchedule, createWorkflow, getTenantMapping, listConnections } from '@switchyard/db';
import { fieldConflict } from '../../errors';
import { checkDraftGraph } from '../../graph-input';
import { auditedPrisma } from '../../security/audited';
import type { TenantContext } from '../../trpc';
import { keyringFor } from '../connections/platform';

export const instantiateInput = z.object({
  templateId: z.string().min(1).max(100),
  /** The template's parameters; `overlay` may be left out to use the tenant's saved mapping overlay. */
  params: z.record(z.string(), z.unknown()),
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters').optional(),
});

class TemplateIssuesError extends Error {
  constructor(readonly issues: Array<{ path: string[]; message: string }>) {
    super(`${issues.length} template issue${issues.length === 1 ? '' : 's'}`);
    this.name = 'TemplateIssuesError';
  }
}

function invalid(issues: Array<{ path: string; message: string }>): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `The template parameters are invalid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    cause: new TemplateIssuesError(issues.map((i) => ({ path: i.path.split('.'), message: i.message }))),
  });
}

/** Which connection parameter must name a connection of which system. */
const CONNECTION_PARAMS: Record<string, (erp: string) => string> = {
  connectionId: (erp) => erp,
  backOfficeConnectionId: () => 'back-office',
  procurementConnectionId: () => 'rest',
};

/**
 * Turns a template into a new draft workflow of the tenant: the named connections must exist (and be
 * of the right system), and unless the caller passes an overlay, the tenant's saved mapping overlay
 * for the ERP is baked in with its version, so the published workflow keeps the mapping it was
 * reviewed with.
 */
export async function instantiateHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof instantiateInput> }) {
  const template = findTemplate(input.templateId);
  if (!template) throw invalid([{ path: 'templateId', message: `there is no template ${JSON.stringify(input.templateId)}` }]);
  const params: Record<string, unknown> = { ...input.params };
  const erp = typeof params.erp === 'string' ? params.erp : '';

  // Every problem at once: the parameters' own, then the connections they name.
  const checked = instantiateTemplate(template.id, params);
  const issues: Array<{ path: string; message: string }> = checked.ok ? [] : [...checked.issues];
  const connections = await listConnections(ctx.db.pool, keyringFor(ctx.db), ctx.tenant.id);
  for (const [param, systemOf] of Object.entries(CONNECTION_PARAMS)) {
    const ref = params[param];
    if (typeof ref !== 'string' || ref === '') continue;
    const found = connections.find((c) => c.id === ref || c.name === ref);
    if (!found) issues.push({ path: `params.${param}`, message: `there is no connection ${JSON.stringify(ref)} in this tenant` });
    else if (found.system !== systemOf(erp)) issues.push({ path: `params.${param}`, message: `connection ${JSON.stringify(found.name)} is a ${found.system} connection, not ${systemOf(erp)}` });
  }
  if (issues.length > 0) throw invalid(issues);

  if (params.overlay === undefined && (template.erps as readonly string[]).includes(erp)) {
    const [object] = template.mappingObjects(erp as TemplateErp);
    const saved = object ? await getTenantMapping(ctx.db.pool, ctx.tenant.id, erp, object) : null;
    if (saved) {
      params.overlay = saved.overlay;
      params.overlayVersion = saved.version;
    }
  }
  const result = instantiateTemplate(template.id, params);
  if (!result.ok) throw invalid(result.issues);
  const schedule = result.built.schedule;
  if (schedule) {
    // Batch templates come with their schedule; its expression is checked before anything is written.
    const cron = checkCron(schedule.cron, 'UTC');
    if (!cron.ok) throw invalid([{ path: 'params.cron', message: cron.message }]);
  }
  const check = checkDraftGraph(result.built.graph);
  if (!check.ok) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `template ${template.id} built an invalid graph: ${check.issues[0]?.message ?? ''}` });

  const name = input.name ?? result.built.name;
  const created = await auditedPrisma(ctx, async (tx) => {
    const row = await createWorkflow(tx, ctx.tenant.id, { name, description: result.built.description, draftGraph: check.graph });
    return {
      result: row,
      audit: row.ok
        ? {
            action: 'workflow.create',
            entityType: 'workflow',
            entityId: row.id,
            after: { name, description: result.built.description, template: template.id, overlayVersion: params.overlayVersion ?? null, schedule: schedule?.cron ?? null },
          }
        : null,
    };
  });
  if (!created.ok) throw fieldConflict('name', `a workflow named ${JSON.stringify(name)} already exists in this tenant`);
  // The schedule starts runs of the published version only: until the draft is published, its slots
  // are recorded as "no published version" and start nothing.
  let scheduleId: string | null = null;
  if (schedule) {
    const saved = await createSchedule(ctx.db.pool, ctx.tenant.id, { workflowId: created.id, name: `${name} (schedule)`.slice(0, 200), cron: schedule.cron, payload: schedule.payload });
    if (saved.status === 'saved') scheduleId = saved.schedule.id;
  }
  return { id: created.id, name, issues: check.issues, scheduleId };
}
