import { z } from 'zod';
import { resolveEffectivePolicy } from '@switchyard/db';
import { notFound } from '../errors';
import { tenantAdminProcedure, tenantProcedure } from '../trpc';
import { testRunHandler, testRunInput } from './designer/test-run.handler';

/** What only the workflow designer needs: inherited policy values and test runs of the draft. */
export const designerRouter = {
  /**
   * The retry and timeout values a node inherits when it sets none (platform → tenant → workflow),
   * each with the level it came from, so the settings form can show them as placeholders.
   */
  inheritedPolicy: tenantProcedure.input(z.object({ workflowId: z.guid('must be a workflow id') })).query(async ({ ctx, input }) => {
    const result = await resolveEffectivePolicy(ctx.db.pool, ctx.tenant.id, input.workflowId);
    if (result.status === 'not_found') throw notFound(result.what === 'tenant' ? 'Tenant' : 'Workflow', input.workflowId);
    return { retry: result.policy.retry, timeoutMs: result.policy.timeoutMs };
  }),

  testRun: tenantAdminProcedure.input(testRunInput).mutation(testRunHandler),
};
