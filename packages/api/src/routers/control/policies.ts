import { z } from 'zod';
import { getTenantPolicy, getWorkflowPolicy, resolveEffectivePolicy, setTenantPolicy, setWorkflowPolicy, type NodePolicyOverride } from '@switchyard/db';
import { auditedSql } from '../../security/audited';
import { tenantAdminProcedure, tenantProcedure, type TenantContext } from '../../trpc';
import { invalidInput, missing } from './results';

/** Policy overrides per tenant and workflow, and the effective policy with where each value came from. */

const workflowId = z.guid('must be a workflow id');

/** The node's own `policy` in the workflow's draft graph (the graph the designer shows). */
async function nodePolicyOf(ctx: TenantContext, wfId: string, nodeId: string): Promise<NodePolicyOverride | null> {
  const workflow = await ctx.db.prisma.workflow.findFirst({ where: { id: wfId, tenantId: ctx.tenant.id }, select: { draftGraph: true } });
  if (!workflow) throw missing(`Workflow ${JSON.stringify(wfId)} was not found in this tenant`);
  const nodes = (workflow.draftGraph as { nodes?: { id: string; policy?: NodePolicyOverride }[] } | null)?.nodes ?? [];
  const node = nodes.find((n) => n.id === nodeId);
  if (!node) throw missing(`Node ${JSON.stringify(nodeId)} is not in workflow ${wfId}`);
  return node.policy ?? null;
}

export const policiesRouter = {
  effective: tenantProcedure
    .input(z.strictObject({ workflowId: workflowId.optional(), nodeId: z.string().min(1).optional() }))
    .query(async ({ ctx, input }) => {
      if (input.nodeId !== undefined && input.workflowId === undefined) {
        throw invalidInput('Cannot resolve a node policy', [{ path: 'workflowId', message: 'is required with nodeId' }]);
      }
      const nodePolicy = input.workflowId && input.nodeId ? await nodePolicyOf(ctx, input.workflowId, input.nodeId) : null;
      const result = await resolveEffectivePolicy(ctx.db.pool, ctx.tenant.id, input.workflowId, nodePolicy);
      if (result.status === 'not_found') throw missing(`The ${result.what} was not found in this tenant`);
      return result.policy;
    }),

  getTenant: tenantProcedure.query(async ({ ctx }) => (await getTenantPolicy(ctx.db.pool, ctx.tenant.id)) ?? {}),

  setTenant: tenantAdminProcedure.input(z.strictObject({ policy: z.unknown() })).mutation(async ({ ctx, input }) => {
    const result = await auditedSql(ctx, async (client) => {
      const before = await getTenantPolicy(client, ctx.tenant.id);
      const written = await setTenantPolicy(client, ctx.tenant.id, input.policy);
      return {
        result: written,
        audit: written.status === 'saved' ? { action: 'tenant_policy.update', entityType: 'tenant', entityId: ctx.tenant.id, before, after: written.policy } : null,
      };
    });
    if (result.status === 'invalid') throw invalidInput('The tenant policy is invalid', result.issues);
    if (result.status === 'not_found') throw missing('The tenant was not found');
    return result.policy;
  }),

  getWorkflow: tenantProcedure.input(z.strictObject({ workflowId })).query(async ({ ctx, input }) => {
    const policy = await getWorkflowPolicy(ctx.db.pool, ctx.tenant.id, input.workflowId);
    if (!policy) throw missing(`Workflow ${JSON.stringify(input.workflowId)} was not found in this tenant`);
    return policy;
  }),

  setWorkflow: tenantAdminProcedure.input(z.strictObject({ workflowId, policy: z.unknown() })).mutation(async ({ ctx, input }) => {
    const result = await auditedSql(ctx, async (client) => {
      const before = await getWorkflowPolicy(client, ctx.tenant.id, input.workflowId);
      const written = await setWorkflowPolicy(client, ctx.tenant.id, input.workflowId, input.policy);
      return {
        result: written,
        audit: written.status === 'saved' ? { action: 'workflow_policy.update', entityType: 'workflow', entityId: input.workflowId, before, after: written.policy } : null,
      };
    });
    if (result.status === 'invalid') throw invalidInput('The workflow policy is invalid', result.issues);
    if (result.status === 'not_found') throw missing(`Workflow ${JSON.stringify(input.workflowId)} was not found in this tenant`);
    return result.policy;
  }),
};
