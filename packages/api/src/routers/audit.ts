import { z } from 'zod';
import { auditFacets, listAudit } from '@switchyard/db';
import { tenantProcedure } from '../trpc';

const cursorSchema = z.object({ at: z.coerce.date(), id: z.guid('must be an audit entry id') });

const listInput = z.object({
  entityType: z.string().trim().min(1).max(60).optional(),
  action: z.string().trim().min(1).max(80).optional(),
  entityId: z.string().trim().min(1).max(200).optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  /** The `next` of the previous page. */
  cursor: cursorSchema.nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const auditRouter = {
  /** The tenant's configuration changes, newest first, keyset-paginated. */
  list: tenantProcedure.input(listInput).query(({ ctx, input }) =>
    listAudit(ctx.db.prisma, ctx.tenant.id, {
      entityType: input.entityType,
      action: input.action,
      entityId: input.entityId,
      actor: input.actor,
      since: input.since,
      until: input.until,
      cursor: input.cursor ?? null,
      limit: input.limit,
    }),
  ),

  /** The values present in the log, for the filter choices. */
  facets: tenantProcedure.query(({ ctx }) => auditFacets(ctx.db.prisma, ctx.tenant.id)),
};
