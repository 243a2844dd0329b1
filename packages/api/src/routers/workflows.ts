import { z } from 'zod';
import { getVersion, getWorkflow, isTestVersion, listVersions, listWorkflows, workflowExists } from '@switchyard/db';
import { notFound } from '../errors';
import { checkGraph } from '../graph-input';
import { tenantAdminProcedure, tenantProcedure } from '../trpc';
import { createWorkflowHandler, createWorkflowInput } from './workflows/create.handler';
import { publishHandler, publishInput } from './workflows/publish.handler';
import { rollbackHandler, rollbackInput } from './workflows/rollback.handler';
import { saveDraftHandler, saveDraftInput } from './workflows/save-draft.handler';

const byId = z.object({ id: z.guid('must be a workflow id') });

export const workflowsRouter = {
  list: tenantProcedure.query(({ ctx }) => listWorkflows(ctx.db.prisma, ctx.tenant.id)),

  get: tenantProcedure.input(byId).query(async ({ ctx, input }) => {
    const workflow = await getWorkflow(ctx.db.prisma, ctx.tenant.id, input.id);
    if (!workflow) throw notFound('Workflow', input.id);
    // The designer shows these on the canvas as soon as it opens, not only after the next save.
    const check = checkGraph(workflow.draftGraph);
    // Test versions (runs of the draft from the designer) are not part of the version history.
    const versions = workflow.versions.filter((v) => !isTestVersion(v.version));
    return { ...workflow, versions, issues: check.ok ? [] : check.issues };
  }),

  create: tenantAdminProcedure.input(createWorkflowInput).mutation(createWorkflowHandler),

  saveDraft: tenantAdminProcedure.input(saveDraftInput).mutation(saveDraftHandler),

  validate: tenantAdminProcedure.input(z.object({ graph: z.unknown() })).mutation(({ input }) => {
    const check = checkGraph(input.graph);
    return { ok: check.ok, issues: check.ok ? [] : check.issues };
  }),

  publish: tenantAdminProcedure.input(publishInput).mutation(publishHandler),

  /** Publishes an old version's graph as a new active version. */
  rollback: tenantAdminProcedure.input(rollbackInput).mutation(rollbackHandler),

  versions: tenantProcedure.input(byId).query(async ({ ctx, input }) => {
    if (!(await workflowExists(ctx.db.prisma, ctx.tenant.id, input.id))) throw notFound('Workflow', input.id);
    return (await listVersions(ctx.db.prisma, ctx.tenant.id, input.id)).filter((v) => !isTestVersion(v.version));
  }),

  version: tenantProcedure
    .input(byId.extend({ version: z.number().int().min(1) }))
    .query(async ({ ctx, input }) => {
      const version = await getVersion(ctx.db.prisma, ctx.tenant.id, input.id, input.version);
      if (!version) throw notFound('Version', `${input.id}@${input.version}`);
      return version;
    }),
};
