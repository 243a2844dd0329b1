import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { enqueueRunWithKeys, getRunnableWorkflow } from '@switchyard/db';
import { MAX_CORRELATION_ID_LENGTH, sanitizeCorrelationId, type Graph } from '@switchyard/workflow';
import { businessKeyPathsOf, businessKeysOf } from '../../ingress/business-keys';
import { MAX_WEBHOOK_BODY_BYTES } from '../../ingress/webhook';
import { notFound } from '../../errors';
import type { TenantContext } from '../../trpc';

export const triggerRunInput = z.object({
  workflowId: z.guid('must be a workflow id'),
  // Stored with the run like a webhook body, so it gets the same cap.
  payload: z.unknown().refine((v) => v === undefined || Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8') <= MAX_WEBHOOK_BODY_BYTES, {
    message: `must be at most ${MAX_WEBHOOK_BODY_BYTES} bytes of JSON`,
  }),
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
  const payload = input.payload ?? null;
  const keys = businessKeysOf(payload, businessKeyPathsOf(workflow.activeVersion.graph as Graph, 'trigger.manual'), null);
  const run = await enqueueRunWithKeys(
    ctx.db.pool,
    {
      tenantId: ctx.tenant.id,
      workflowId: workflow.id,
      versionId: workflow.activeVersion.id,
      trigger: 'manual',
      correlationId: input.correlationId ?? crypto.randomUUID(),
      payload,
    },
    keys,
  );
  return { runId: run.runId, correlationId: run.correlationId };
}
