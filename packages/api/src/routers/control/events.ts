import { z } from 'zod';
import { deliverRunEvent, type DeliverRunEventInput } from '@switchyard/db';
import type { TenantContext } from '../../trpc';
import { operatorProcedure } from '../../trpc';
import { invalidInput, missing } from './results';

/**
 * Events and approval decisions for parked runs (wait-for-event, approval nodes). The db routes them
 * through the tenant's open waits only, so another tenant's waits are never reached.
 */

const key = z.string().trim().min(1, 'must not be empty').max(500);

async function deliver(ctx: TenantContext, input: Omit<DeliverRunEventInput, 'tenantId'>) {
  const result = await deliverRunEvent(ctx.db.pool, { ...input, tenantId: ctx.tenant.id });
  if (result.status === 'invalid') throw invalidInput('The delivery is invalid', result.errors.map((e) => ({ path: e.field, message: e.message })));
  return result.runs;
}

export const eventsRouter = {
  /**
   * Wakes every run of the tenant waiting for an event with this key (and/or of the runs with this
   * correlation id); `runs` is empty when none was. HTTP senders use POST /api/events/{tenant}.
   */
  deliver: operatorProcedure
    .input(
      z
        .strictObject({ kind: z.literal('event').default('event'), key: key.optional(), correlationId: key.optional(), payload: z.unknown().optional() })
        .refine((v) => v.key !== undefined || v.correlationId !== undefined, { path: ['key'], message: 'give the key the run waits with, or its correlationId' }),
    )
    .mutation(async ({ ctx, input }) => ({
      runs: await deliver(ctx, {
        kind: 'event',
        ...(input.key !== undefined ? { key: input.key } : {}),
        ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
        payload: input.payload ?? null,
      }),
    })),
};

export const approvalsRouter = {
  /** Approves or rejects the pending approval with this key (on one run when `runId` is given). */
  decide: operatorProcedure
    .input(
      z.strictObject({
        runId: z.guid('must be a run id').optional(),
        key,
        decision: z.enum(['approved', 'rejected']),
        comment: z.string().max(2000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const payload = { decision: input.decision, comment: input.comment ?? null, decidedAt: new Date().toISOString() };
      const runs = await deliver(ctx, { kind: 'approval', key: input.key, decision: input.decision, payload, ...(input.runId ? { runId: input.runId } : {}) });
      if (runs.length === 0) {
        const where = input.runId ? ` on run ${input.runId}` : '';
        throw missing(`No approval with key ${JSON.stringify(input.key)} is pending${where} in this tenant (decided already, timed out, or never requested)`);
      }
      return { runs };
    }),
};
