import { explainPolicy, tenantResilience, type EffectivePolicy, type TenantResilience } from '../policy/resolve';
import {
  parseTenantPolicy,
  parseWorkflowPolicy,
  type NodePolicyOverride,
  type PolicyIssue,
  type TenantPolicy,
  type WorkflowPolicy,
} from '../policy/schema';
import { assertUuid, json, type SqlClient } from '../sql';

// Tenant and workflow policy overrides. Every query has the tenant in its `where`: another tenant's
// workflow reads as not found.

export type SavePolicyResult<T> =
  | { status: 'saved'; policy: T }
  | { status: 'invalid'; issues: PolicyIssue[] }
  | { status: 'not_found' };

/** The tenant's overrides (`{}` when it has none); null when the tenant does not exist. */
export async function getTenantPolicy(pool: SqlClient, tenantId: string): Promise<TenantPolicy | null> {
  assertUuid(tenantId, 'getTenantPolicy: tenantId');
  const { rows } = await pool.query<{ policy: unknown }>(
    `SELECT tp.policy FROM tenants t LEFT JOIN tenant_policies tp ON tp.tenant_id = t.id WHERE t.id = $1`,
    [tenantId],
  );
  const row = rows[0];
  if (!row) return null;
  return storedTenantPolicy(row.policy);
}

/** Replaces the tenant's overrides (an empty object clears them). */
export async function setTenantPolicy(pool: SqlClient, tenantId: string, policy: unknown): Promise<SavePolicyResult<TenantPolicy>> {
  assertUuid(tenantId, 'setTenantPolicy: tenantId');
  const parsed = parseTenantPolicy(policy);
  if (!parsed.ok) return { status: 'invalid', issues: parsed.issues };
  const { rowCount } = await pool.query(
    `INSERT INTO tenant_policies (tenant_id, policy, updated_at)
     SELECT id, $2::jsonb, now() FROM tenants WHERE id = $1
     ON CONFLICT (tenant_id) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now()`,
    [tenantId, json(parsed.policy)],
  );
  return rowCount ? { status: 'saved', policy: parsed.policy } : { status: 'not_found' };
}

/** The workflow's overrides (`{}` when it has none); null when the workflow is not the tenant's. */
export async function getWorkflowPolicy(pool: SqlClient, tenantId: string, workflowId: string): Promise<WorkflowPolicy | null> {
  assertUuid(tenantId, 'getWorkflowPolicy: tenantId');
  assertUuid(workflowId, 'getWorkflowPolicy: workflowId');
  const { rows } = await pool.query<{ policy: unknown }>(
    `SELECT wp.policy FROM workflows w LEFT JOIN workflow_policies wp ON wp.workflow_id = w.id
      WHERE w.id = $2 AND w.tenant_id = $1`,
    [tenantId, workflowId],
  );
  const row = rows[0];
  if (!row) return null;
  return storedWorkflowPolicy(row.policy);
}

export async function setWorkflowPolicy(
  pool: SqlClient,
  tenantId: string,
  workflowId: string,
  policy: unknown,
): Promise<SavePolicyResult<WorkflowPolicy>> {
  assertUuid(tenantId, 'setWorkflowPolicy: tenantId');
  assertUuid(workflowId, 'setWorkflowPolicy: workflowId');
  const parsed = parseWorkflowPolicy(policy);
  if (!parsed.ok) return { status: 'invalid', issues: parsed.issues };
  // The tenant id is taken from the workflow row, so a policy can never be filed under another tenant.
  const { rowCount } = await pool.query(
    `INSERT INTO workflow_policies (workflow_id, tenant_id, policy, updated_at)
     SELECT id, tenant_id, $3::jsonb, now() FROM workflows WHERE id = $2 AND tenant_id = $1
     ON CONFLICT (workflow_id) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now()`,
    [tenantId, workflowId, json(parsed.policy)],
  );
  return rowCount ? { status: 'saved', policy: parsed.policy } : { status: 'not_found' };
}

export type EffectivePolicyResult = { status: 'ok'; policy: EffectivePolicy } | { status: 'not_found'; what: 'tenant' | 'workflow' };

/**
 * Platform → tenant → workflow → node, each value with the level it came from. `nodePolicy` is the
 * `policy` of a graph node (retry and timeout overrides); pass it to explain one node.
 */
export async function resolveEffectivePolicy(
  pool: SqlClient,
  tenantId: string,
  workflowId?: string,
  nodePolicy?: NodePolicyOverride | null,
): Promise<EffectivePolicyResult> {
  assertUuid(tenantId, 'resolveEffectivePolicy: tenantId');
  if (workflowId !== undefined) assertUuid(workflowId, 'resolveEffectivePolicy: workflowId');
  const { rows } = await pool.query<{ tenant_policy: unknown; workflow_found: boolean; workflow_policy: unknown }>(
    `SELECT tp.policy AS tenant_policy, w.id IS NOT NULL AS workflow_found, wp.policy AS workflow_policy
       FROM tenants t
       LEFT JOIN tenant_policies tp ON tp.tenant_id = t.id
       LEFT JOIN workflows w ON w.id = $2::uuid AND w.tenant_id = t.id
       LEFT JOIN workflow_policies wp ON wp.workflow_id = w.id
      WHERE t.id = $1`,
    [tenantId, workflowId ?? null],
  );
  const row = rows[0];
  if (!row) return { status: 'not_found', what: 'tenant' };
  if (workflowId !== undefined && !row.workflow_found) return { status: 'not_found', what: 'workflow' };
  return {
    status: 'ok',
    policy: explainPolicy({
      tenant: storedTenantPolicy(row.tenant_policy),
      workflow: workflowId === undefined ? null : storedWorkflowPolicy(row.workflow_policy),
      node: nodePolicy ?? null,
    }),
  };
}

/** Rate limits and breaker settings of a tenant, merged over the platform's (the worker's guard reads these). */
export async function loadTenantResilience(pool: SqlClient, tenantId: string): Promise<TenantResilience> {
  assertUuid(tenantId, 'loadTenantResilience: tenantId');
  const { rows } = await pool.query<{ policy: unknown }>(`SELECT policy FROM tenant_policies WHERE tenant_id = $1`, [tenantId]);
  return tenantResilience(storedTenantPolicy(rows[0]?.policy));
}

// Stored policies were validated when written; one edited by hand into something invalid counts as
// no override rather than failing every caller.
function storedTenantPolicy(value: unknown): TenantPolicy {
  if (value == null) return {};
  const parsed = parseTenantPolicy(value);
  return parsed.ok ? parsed.policy : {};
}

function storedWorkflowPolicy(value: unknown): WorkflowPolicy {
  if (value == null) return {};
  const parsed = parseWorkflowPolicy(value);
  return parsed.ok ? parsed.policy : {};
}
