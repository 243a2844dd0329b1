import { z } from 'zod';
import { MAX_SEARCH_KEY_LENGTH, searchRuns } from '@switchyard/db';
import type { TenantContext } from '../../trpc';
import { decodeRunCursor, encodeRunCursor } from './cursor';

export const searchRunsInput = z.object({
  /** A correlation id, idempotency key, business key (e.g. `INV-2026-0042`) or run id: exact match. */
  q: z.string().trim().min(1, 'must not be empty').max(MAX_SEARCH_KEY_LENGTH),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).nullish(),
});

/** Every run of the tenant, across workflows, carrying the key (and the replays of those runs), newest first. */
export async function searchRunsHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof searchRunsInput> }) {
  const page = await searchRuns(ctx.db.pool, ctx.tenant.id, {
    q: input.q,
    limit: input.limit,
    after: input.cursor ? decodeRunCursor(input.cursor) : undefined,
  });
  return { items: page.items, nextCursor: page.next ? encodeRunCursor(page.next) : null };
}
