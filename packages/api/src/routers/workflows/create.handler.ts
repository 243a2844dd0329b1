import { z } from 'zod';
import { createWorkflow, recordAudit } from '@switchyard/db';
import { fieldConflict } from '../../errors';
import { initialDraftGraph } from '../../graph-input';
import { actorOf } from '../../security/actor';
import type { TenantContext } from '../../trpc';

export const createWorkflowInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});

export async function createWorkflowHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof createWorkflowInput> }) {
  const result = await createWorkflow(ctx.db.prisma, ctx.tenant.id, {
    name: input.name,
    description: input.description ?? '',
    draftGraph: initialDraftGraph(input.name),
  });
  if (!result.ok) throw fieldConflict('name', `a workflow named ${JSON.stringify(input.name)} already exists in this tenant`);
  await recordAudit(ctx.db.prisma, {
    tenantId: ctx.tenant.id,
    actor: actorOf(ctx),
    action: 'workflow.create',
    entityType: 'workflow',
    entityId: result.id,
    after: { name: input.name, description: input.description ?? '' },
  });
  return { id: result.id };
}
