import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getWorkflow, publishVersion } from '@switchyard/db';
import { fieldConflict, graphIssuesError, notFound } from '../../errors';
import { checkGraph, webhookTriggerConfig } from '../../graph-input';
import { auditInside } from '../../security/audited';
import { graphSize } from '../../security/audit-diff';
import type { TenantContext } from '../../trpc';
import { withoutPins } from '../designer/pins';

export const publishInput = z.object({
  id: z.guid('must be a workflow id'),
  note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

/** Publishes the stored draft as the next immutable version; an invalid draft writes nothing. */
export async function publishHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof publishInput> }) {
  const workflow = await getWorkflow(ctx.db.prisma, ctx.tenant.id, input.id);
  if (!workflow) throw notFound('Workflow', input.id);
  const check = checkGraph(workflow.draftGraph);
  if (!check.ok) throw graphIssuesError('The draft has issues and was not published', check.issues);

  const graph = withoutPins(check.graph);
  const result = await publishVersion(ctx.db.prisma, ctx.tenant.id, {
    workflowId: input.id,
    draftRevision: workflow.draftRevision,
    graph,
    note: input.note ?? '',
    webhookPath: webhookTriggerConfig(graph)?.path ?? null,
  }, (tx, published) =>
    auditInside(ctx, {
      action: 'workflow.publish',
      entityType: 'workflow',
      entityId: input.id,
      before: { activeVersionId: workflow.activeVersionId },
      after: { activeVersionId: published.versionId, version: published.version, note: input.note ?? '', draftRevision: workflow.draftRevision, ...graphSize(graph) },
    })(tx),
  );
  switch (result.status) {
    case 'published':
      return { versionId: result.versionId, version: result.version };
    case 'not_found':
      throw notFound('Workflow', input.id);
    case 'draft_changed':
      throw new TRPCError({
        code: 'CONFLICT',
        message: `The draft was changed elsewhere while publishing (now revision ${result.currentRevision}); publish again`,
      });
    case 'path_taken':
      throw fieldConflict(
        'path',
        `webhook path ${JSON.stringify(result.path)} is already used by workflow ${JSON.stringify(result.workflowName)} in this tenant`,
      );
    case 'concurrent_publish':
      throw new TRPCError({ code: 'CONFLICT', message: 'Another publish of this workflow finished first; publish again' });
  }
}
