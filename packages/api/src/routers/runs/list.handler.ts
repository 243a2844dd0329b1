import { z } from 'zod';
import { ALL_RUN_STATUSES, listRunHistory, type RunStatus } from '@switchyard/db';
import type { TenantContext } from '../../trpc';
import { decodeRunCursor, encodeRunCursor } from './cursor';

export const RUN_STATUSES = ALL_RUN_STATUSES as readonly RunStatus[] as readonly [RunStatus, ...RunStatus[]];

export const listRunsInput = z
  .object({
    workflowId: z.guid('must be a workflow id').optional(),
    versionId: z.guid('must be a workflow version id').optional(),
    status: z.enum(RUN_STATUSES).optional(),
    /** How runs were started: `manual`, `webhook`, `schedule`, … */
    trigger: z.string().trim().min(1).max(50).optional(),
    correlationId: z.string().trim().min(1).max(200).optional(),
    /** Runs created at or after this instant. */
    from: z.coerce.date('must be a date').optional(),
    /** Runs created before this instant. */
    to: z.coerce.date('must be a date').optional(),
    limit: z.number().int().min(1).max(100).default(50),
    cursor: z.string().max(500).nullish(),
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, { message: 'must be after from', path: ['to'] });

/** One keyset page of the tenant's runs, newest first; `nextCursor` continues it with the same filters. */
export async function listRunsHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof listRunsInput> }) {
  const page = await listRunHistory(ctx.db.pool, ctx.tenant.id, {
    workflowId: input.workflowId,
    versionId: input.versionId,
    status: input.status,
    trigger: input.trigger,
    correlationId: input.correlationId,
    from: input.from,
    to: input.to,
    limit: input.limit,
    after: input.cursor ? decodeRunCursor(input.cursor) : undefined,
  });
  return { items: page.items, nextCursor: page.next ? encodeRunCursor(page.next) : null };
}
