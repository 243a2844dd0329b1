import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { saveDraft } from '@switchyard/db';
import { graphIssuesError, notFound } from '../../errors';
import { checkDraftGraph } from '../../graph-input';
import { auditedPrisma } from '../../security/audited';
import { graphChangeSummary } from '../../security/audit-diff';
import type { TenantContext } from '../../trpc';

export const saveDraftInput = z.object({
  id: z.guid('must be a workflow id'),
  // Checked by checkDraftGraph, which reports structured graph issues rather than zod field errors.
  graph: z.unknown(),
  expectedRevision: z.number().int().min(1),
});

export async function saveDraftHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof saveDraftInput> }) {
  const check = checkDraftGraph(input.graph);
  if (!check.ok) throw graphIssuesError('The graph is not valid graph JSON and was not saved', check.issues);
  const result = await auditedPrisma(ctx, async (tx) => {
    // Read for the audit summary only; saveDraft's revision check is what guards the write.
    const before = await tx.workflow.findFirst({ where: { tenantId: ctx.tenant.id, id: input.id }, select: { draftGraph: true } });
    const saved = await saveDraft(tx, ctx.tenant.id, { id: input.id, graph: check.graph, expectedRevision: input.expectedRevision });
    return {
      result: saved,
      audit:
        saved.status === 'saved'
          ? {
              action: 'workflow.save_draft',
              entityType: 'workflow',
              entityId: input.id,
              before: { revision: input.expectedRevision },
              after: { revision: saved.revision, ...graphChangeSummary(before?.draftGraph, check.graph) },
            }
          : null,
    };
  });
  switch (result.status) {
    case 'saved':
      return { revision: result.revision, issues: check.issues };
    case 'not_found':
      throw notFound('Workflow', input.id);
    case 'conflict':
      throw new TRPCError({
        code: 'CONFLICT',
        message: `The draft was changed elsewhere (revision ${result.currentRevision}); reload it before saving (you had revision ${input.expectedRevision})`,
      });
  }
}
