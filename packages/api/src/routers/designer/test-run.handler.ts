import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { createTestVersion, enqueueRun } from '@switchyard/db';
import { MAX_CORRELATION_ID_LENGTH } from '@switchyard/workflow';
import { graphIssuesError, notFound } from '../../errors';
import { checkGraph } from '../../graph-input';
import type { TenantContext } from '../../trpc';
import { applyPins } from './pins';

export const testRunInput = z.object({
  workflowId: z.guid('must be a workflow id'),
  // The designer sends what is on the canvas (saved or not); checkGraph reports structured issues.
  graph: z.unknown(),
  payload: z.unknown(),
});

/**
 * Runs the draft without publishing it: the graph (with pinned nodes stood in, see pins.ts) is stored
 * as a hidden test version (never active, not listed) and a manual run is enqueued on it. The run is
 * an ordinary run, so the worker, step records and the run page need nothing special.
 */
export async function testRunHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof testRunInput> }) {
  const check = checkGraph(input.graph);
  if (!check.ok) throw graphIssuesError('The draft has problems and cannot be test-run', check.issues);
  const { graph, pinned } = applyPins(check.graph);
  const fingerprint = createHash('sha256')
    .update(canonicalize(graph) ?? '')
    .digest('hex')
    .slice(0, 16);

  const stored = await createTestVersion(ctx.db.prisma, ctx.tenant.id, { workflowId: input.workflowId, graph, fingerprint });
  if (stored.status === 'not_found') throw notFound('Workflow', input.workflowId);

  const correlationId = `test-${crypto.randomUUID()}`.slice(0, MAX_CORRELATION_ID_LENGTH);
  const run = await enqueueRun(ctx.db.pool, {
    tenantId: ctx.tenant.id,
    workflowId: input.workflowId,
    versionId: stored.versionId,
    trigger: 'manual',
    correlationId,
    payload: input.payload ?? null,
  });
  return { runId: run.runId, correlationId: run.correlationId, testVersion: stored.version, pinned };
}
