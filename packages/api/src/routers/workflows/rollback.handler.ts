import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getVersion, getWorkflow, publishVersion } from '@switchyard/db';
import { fieldConflict, graphIssuesError, notFound } from '../../errors';
import { checkGraph, webhookTriggerConfig } from '../../graph-input';
import { auditInside } from '../../security/audited';
import type { TenantContext } from '../../trpc';
import { withoutPins } from '../designer/pins';

export const rollbackInput = z.object({
  id: z.guid('must be a workflow id'),
  version: z.number().int('must be a whole number').min(1, 'must be a published version number (1 or more)'),
  note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

/**
 * Rollback publishes an old version's graph anew: a new immutable version (history only grows, so
 * the rollback itself can be rolled back) that becomes active. The draft is left as it is; the
 * designer offers to load the rolled-back graph into it. The old graph is validated again, because
 * node kinds may have changed since it was published.
 */
export async function rollbackHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof rollbackInput> }) {
  const workflow = await getWorkflow(ctx.db.prisma, ctx.tenant.id, input.id);
  if (!workflow) throw notFound('Workflow', input.id);
  const old = await getVersion(ctx.db.prisma, ctx.tenant.id, input.id, input.version);
  if (!old) throw notFound('Version', `${input.id}@${input.version}`);
  const check = checkGraph(old.graph);
  if (!check.ok) throw graphIssuesError(`Version ${input.version} no longer validates and was not published again`, check.issues);
  const graph = withoutPins(check.graph);

  const result = await publishVersion(ctx.db.prisma, ctx.tenant.id, {
    workflowId: input.id,
    // Fencing only: rollback does not publish the draft, but a publish racing with it must not interleave.
    draftRevision: workflow.draftRevision,
    graph,
    note: input.note || `Rollback to v${input.version}${old.note ? ` (${old.note})` : ''}`.slice(0, 500),
    webhookPath: webhookTriggerConfig(graph)?.path ?? null,
  }, (tx, published) =>
    auditInside(ctx, {
      action: 'workflow.rollback',
      entityType: 'workflow',
      entityId: input.id,
      before: { activeVersionId: workflow.activeVersionId },
      after: { activeVersionId: published.versionId, version: published.version, rolledBackTo: input.version },
    })(tx),
  );
  switch (result.status) {
    case 'published':
      return { versionId: result.versionId, version: result.version, rolledBackTo: input.version };
    case 'not_found':
      throw notFound('Workflow', input.id);
    case 'draft_changed':
    case 'concurrent_publish':
      throw new TRPCError({ code: 'CONFLICT', message: 'The workflow changed while rolling back; try again' });
    case 'path_taken':
      throw fieldConflict(
        'path',
        `webhook path ${JSON.stringify(result.path)} of version ${input.version} is now used by workflow ${JSON.stringify(result.workflowName)} in this tenant`,
      );
  }
}
