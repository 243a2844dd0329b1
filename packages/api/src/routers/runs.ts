import { z } from 'zod';
import { getRun, relatedRuns } from '@switchyard/db';
import { notFound } from '../errors';
import { operatorProcedure, tenantProcedure } from '../trpc';
import { runControlProcedures } from './control/run-control';
import { listRunsHandler, listRunsInput } from './runs/list.handler';
import { searchRunsHandler, searchRunsInput } from './runs/search.handler';
import { triggerRunHandler, triggerRunInput } from './runs/trigger.handler';

export const runsRouter = {
  list: tenantProcedure.input(listRunsInput).query(listRunsHandler),

  /** Exact search by correlation id, idempotency key, business key or run id, across workflows. */
  search: tenantProcedure.input(searchRunsInput).query(searchRunsHandler),

  /** The run, every step attempt in start order, and the pinned version's graph to label the nodes. */
  get: tenantProcedure.input(z.object({ id: z.guid('must be a run id') })).query(async ({ ctx, input }) => {
    const run = await getRun(ctx.db.prisma, ctx.tenant.id, input.id);
    if (!run) throw notFound('Run', input.id);
    return run;
  }),

  /** The run page's related runs: the run it replays, its replays, other runs with one of its business keys. */
  related: tenantProcedure.input(z.object({ id: z.guid('must be a run id') })).query(async ({ ctx, input }) => {
    const related = await relatedRuns(ctx.db.pool, ctx.tenant.id, input.id);
    if (!related) throw notFound('Run', input.id);
    return related;
  }),

  trigger: operatorProcedure.input(triggerRunInput).mutation(triggerRunHandler),

  /** replay, bulkReplay, cancel. */
  ...runControlProcedures,
};
