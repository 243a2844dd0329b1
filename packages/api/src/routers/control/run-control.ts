import { z } from 'zod';
import { bulkReplay, cancelRun, replayRun } from '@switchyard/db';
import { operatorProcedure } from '../../trpc';
import { deadLetterFilter } from './dead-letters';
import { missing, refused } from './results';

/** Replay, bulk replay and cancel; merged into the `runs` router. */

const runId = z.guid('must be a run id');

export const runControlProcedures = {
  /** A new run linked to the original (same correlation id), from the start or from `fromNodeId`. */
  replay: operatorProcedure
    .input(
      z.strictObject({
        id: runId,
        fromNodeId: z.string().min(1).optional(),
        input: z.unknown().optional(),
        version: z.enum(['pinned', 'latest']).default('pinned'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await replayRun(ctx.db.pool, {
        tenantId: ctx.tenant.id,
        runId: input.id,
        version: input.version,
        ...(input.fromNodeId !== undefined ? { fromNodeId: input.fromNodeId } : {}),
        ...(input.input !== undefined ? { input: input.input } : {}),
      });
      if (result.status === 'not_found') throw missing(`Run ${JSON.stringify(input.id)} was not found in this tenant`);
      if (result.status === 'refused') throw refused(result.message);
      return result;
    }),

  /** Replays the dead letters matching `filter`; run with `dryRun: true` first to see the count. */
  bulkReplay: operatorProcedure
    .input(
      z.strictObject({
        filter: deadLetterFilter.default({}),
        dryRun: z.boolean(),
        version: z.enum(['pinned', 'latest']).default('pinned'),
        limit: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      bulkReplay(ctx.db.pool, ctx.tenant.id, input.filter, { dryRun: input.dryRun, version: input.version, ...(input.limit ? { limit: input.limit } : {}) }),
    ),

  cancel: operatorProcedure.input(z.strictObject({ id: runId })).mutation(async ({ ctx, input }) => {
    const result = await cancelRun(ctx.db.pool, ctx.tenant.id, input.id);
    if (result.status === 'not_found') throw missing(`Run ${JSON.stringify(input.id)} was not found in this tenant`);
    if (result.status === 'already_finished') throw refused(result.message);
    return result;
  }),
};
