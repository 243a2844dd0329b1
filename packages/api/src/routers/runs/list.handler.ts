import { z } from 'zod';
import { listRuns } from '@switchyard/db';
import type { TenantContext } from '../../trpc';
import { decodeRunCursor, encodeRunCursor } from './cursor';

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;

export const listRunsInput = z.object({
  workflowId: z.guid('must be a workflow id').optional(),
  status: z.enum(RUN_STATUSES).optional(),
  correlationId: z.string().trim().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).nullish(),
});

export async function listRunsHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof listRunsInput> }) {
  const page = await listRuns(ctx.db.prisma, ctx.tenant.id, {
    workflowId: input.workflowId,
    status: input.status,
    correlationId: input.correlationId,
    limit: input.limit,
    after: input.cursor ? decodeRunCursor(input.cursor) : undefined,
  });
  return { items: page.items, nextCursor: page.next ? encodeRunCursor(page.next) : null };
}
