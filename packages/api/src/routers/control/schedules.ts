import { z } from 'zod';
import { createSchedule, deleteSchedule, getSchedule, listBreakers, listSchedules, previewSchedule, updateSchedule, type SaveScheduleResult } from '@switchyard/db';
import { auditedSql } from '../../security/audited';
import { tenantAdminProcedure, tenantProcedure } from '../../trpc';
import { invalidInput, missing } from './results';

/** Cron schedules of the tenant's workflows (the db validates cron, zone and payload by field). */

const scheduleId = z.guid('must be a schedule id');

function saved(result: SaveScheduleResult, id?: string) {
  if (result.status === 'invalid') throw invalidInput('The schedule is invalid', result.issues);
  if (result.status === 'not_found') throw missing(id ? `Schedule ${JSON.stringify(id)} was not found in this tenant` : 'The workflow was not found in this tenant');
  return result.schedule;
}

export const schedulesRouter = {
  list: tenantProcedure
    .input(z.strictObject({ workflowId: z.guid('must be a workflow id').optional() }).default({}))
    .query(({ ctx, input }) => listSchedules(ctx.db.pool, ctx.tenant.id, input)),

  /** Input is checked by the db's CreateScheduleSchema, so its field errors reach the form. */
  create: tenantAdminProcedure.input(z.record(z.string(), z.unknown())).mutation(async ({ ctx, input }) =>
    saved(
      await auditedSql(ctx, async (client) => {
        const result = await createSchedule(client, ctx.tenant.id, input);
        return { result, audit: result.status === 'saved' ? { action: 'schedule.create', entityType: 'schedule', entityId: result.schedule.id, after: result.schedule } : null };
      }),
    ),
  ),

  update: tenantAdminProcedure
    .input(z.strictObject({ id: scheduleId, patch: z.record(z.string(), z.unknown()) }))
    .mutation(async ({ ctx, input }) =>
      saved(
        await auditedSql(ctx, async (client) => {
          const before = await getSchedule(client, ctx.tenant.id, input.id);
          const result = await updateSchedule(client, ctx.tenant.id, input.id, input.patch);
          return { result, audit: result.status === 'saved' ? { action: 'schedule.update', entityType: 'schedule', entityId: input.id, before, after: result.schedule } : null };
        }),
        input.id,
      ),
    ),

  delete: tenantAdminProcedure.input(z.strictObject({ id: scheduleId })).mutation(async ({ ctx, input }) => {
    const deleted = await auditedSql(ctx, async (client) => {
      const before = await getSchedule(client, ctx.tenant.id, input.id);
      const ok = before !== null && (await deleteSchedule(client, ctx.tenant.id, input.id));
      return { result: ok, audit: ok ? { action: 'schedule.delete', entityType: 'schedule', entityId: input.id, before } : null };
    });
    if (!deleted) throw missing(`Schedule ${JSON.stringify(input.id)} was not found in this tenant`);
    return { deleted: true };
  }),

  /** The next slots of a cron expression in a zone (the tenant's zone when none is given). */
  preview: tenantProcedure
    .input(z.strictObject({ cron: z.string().min(1).max(200), timeZone: z.string().min(1).max(100).optional(), count: z.number().int().min(1).max(50).default(5) }))
    .query(async ({ ctx, input }) => {
      const tenant = await ctx.db.prisma.tenant.findUnique({ where: { id: ctx.tenant.id }, select: { timeZone: true } });
      const timeZone = input.timeZone ?? tenant?.timeZone ?? 'UTC';
      const result = previewSchedule(input.cron, timeZone, input.count);
      if (!result.ok) throw invalidInput('The schedule is invalid', result.issues);
      return { timeZone, slots: result.slots };
    }),
};

export const breakersRouter = {
  /** The tenant's circuit breakers by endpoint host. */
  list: tenantProcedure.query(({ ctx }) => listBreakers(ctx.db.pool, ctx.tenant.id)),
};
