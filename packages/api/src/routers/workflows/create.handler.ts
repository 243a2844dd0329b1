import { z } from 'zod';
import { createWorkflow } from '@switchyard/db';
import { fieldConflict } from '../../errors';
import { initialDraftGraph } from '../../graph-input';
import { auditedPrisma } from '../../security/audited';
import type { TenantContext } from '../../trpc';

export const createWorkflowInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});

export async function createWorkflowHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof createWorkflowInput> }) {
  const result = await auditedPrisma(ctx, async (tx) => {
    const created = await createWorkflow(tx, ctx.tenant.id, {
      name: input.name,
      description: input.description ?? '',
      draftGraph: initialDraftGraph(input.name),
    });
    return {
      result: created,
      audit: created.ok
        ? { action: 'workflow.create', entityType: 'workflow', entityId: created.id, after: { name: input.name, description: input.description ?? '' } }
        : null,
    };
  });
  if (!result.ok) throw fieldConflict('name', `a workflow named ${JSON.stringify(input.name)} already exists in this tenant`);
  return { id: result.id };
}
