import { z } from 'zod';
import { MAX_DISCARD_REASON_LENGTH, discardDeadLetters, getDeadLetter, listDeadLetterGroups, listDeadLetters } from '@switchyard/db';
import { actorOf } from '../../security/actor';
import { operatorProcedure, tenantProcedure } from '../../trpc';
import { missing } from './results';

/** The tenant's dead letters: runs that failed for good, grouped by error, with their attempt history. */

export const deadLetterFilter = z.strictObject({
  workflowId: z.guid('must be a workflow id').optional(),
  errorCode: z.string().min(1).max(200).optional(),
  since: z.date().optional(),
  until: z.date().optional(),
  includeReplayed: z.boolean().optional(),
});

const cursor = z.strictObject({ deadLetteredAt: z.date(), runId: z.guid('must be a run id') });

export const deadLettersRouter = {
  groups: tenantProcedure.input(deadLetterFilter.default({})).query(({ ctx, input }) => listDeadLetterGroups(ctx.db.pool, ctx.tenant.id, input)),

  list: tenantProcedure
    .input(deadLetterFilter.extend({ limit: z.number().int().min(1).max(500).default(50), after: cursor.optional() }))
    .query(({ ctx, input }) => listDeadLetters(ctx.db.pool, ctx.tenant.id, input)),

  get: tenantProcedure.input(z.strictObject({ id: z.guid('must be a run id') })).query(async ({ ctx, input }) => {
    const letter = await getDeadLetter(ctx.db.pool, ctx.tenant.id, input.id);
    if (!letter) throw missing(`Run ${JSON.stringify(input.id)} is not a dead letter of this tenant`);
    return letter;
  }),

  /** Takes the matching dead letters off the list with a reason (audited per run); `dryRun: true` only counts. */
  discard: operatorProcedure
    .input(
      z.strictObject({
        filter: deadLetterFilter.default({}),
        dryRun: z.boolean(),
        reason: z.string().trim().min(1, 'must say why these are discarded').max(MAX_DISCARD_REASON_LENGTH),
        limit: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      discardDeadLetters(ctx.db.pool, ctx.tenant.id, input.filter, {
        dryRun: input.dryRun,
        reason: input.reason,
        actor: actorOf(ctx),
        ...(input.limit ? { limit: input.limit } : {}),
      }),
    ),
};
