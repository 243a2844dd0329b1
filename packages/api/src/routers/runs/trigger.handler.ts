import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { enqueueRun, getRunnableWorkflow } from '@switchyard/db';
import { MAX_CORRELATION_ID_LENGTH, sanitizeCorrelationId } from '@switchyard/workflow';
import { notFound } from '../../errors';
import type { TenantContext } from '../../trpc';

export const triggerRunInput = z.object({
  workflowId: z.guid('must be a workflow id'),
  payload: z.unknown(),
  correlationId: z
    .string()
    .max(MAX_CORRELATION_ID_LENGTH, `must be at most ${MAX_CORRELATION_ID_LENGTH} characters`)
    .refine((v) => sanitizeCorrelationId(v) === v, 'must be printable ASCII without spaces or commas')
    .optional(),
});

/** A manual run of the workflow's active version (the designer's "Run" button and the API). */
export async function triggerRunHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof triggerRunInput> }) {
  const workflow = await getRunnableWorkflow(ctx.db.prisma, ctx.tenant.id, input.workflowId);
  if (!workflow) throw notFound('Workflow', input.workflowId);
  if (!workflow.activeVersion) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `Workflow ${JSON.stringify(workflow.name)} has no published version yet; publish it before running it`,
    });
  }
  const run = await enqueueRun(ctx.db.pool, {
    tenantId: ctx.tenant.id,
    workflowId: workflow.id,
    versionId: workflow.activeVersion.id,
    trigger: 'manual',
    correlationId: input.correlationId ?? crypto.randomUUID(),
    payload: input.payload ?? null,
  });
  return { runId: run.runId, correlationId: run.correlationId };
}
