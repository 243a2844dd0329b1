import type pg from 'pg';
import { PLATFORM_POLICY, parseTenantPolicy, parseWorkflowPolicy } from '../policy/schema';
import type { PolicySource } from '../policy/resolve';
import { assertUuid } from '../sql';

/**
 * SLA breaches for the dashboards. Each run is held to the `slaSeconds` that applies to its workflow
 * (workflow policy, else tenant policy, else the platform's, the same inheritance as retention):
 * a run breaches when it took longer than that from being received (created_at) to its end, or,
 * still live, has already been open longer. Cancelled runs are the operator's choice, not a breach.
 */

export interface SlaTarget {
  tenantId: string;
  workflowId: string;
  slaSeconds: number;
  source: Exclude<PolicySource, 'node'>;
}

export interface SlaStats extends SlaTarget {
  /** Runs created in the window and held to the SLA (not cancelled). */
  runs: number;
  breaches: number;
  /** Breaches that are still running, queued or waiting: late right now. */
  openBreaches: number;
}

function slaOf(policy: unknown, parse: typeof parseTenantPolicy | typeof parseWorkflowPolicy): number | undefined {
  if (policy == null) return undefined;
  const parsed = parse(policy);
  // A level edited by hand into something invalid is ignored, as the worker does, not a failed dashboard.
  return parsed.ok ? parsed.policy.slaSeconds : undefined;
}

/** Every workflow of the tenants with the SLA that applies to it and where that value came from. */
export async function slaTargets(pool: pg.Pool, tenantIds: string[]): Promise<SlaTarget[]> {
  tenantIds.forEach((id, i) => assertUuid(id, `slaTargets: tenantIds[${i}]`));
  const { rows } = await pool.query<{ tenant_id: string; workflow_id: string; tenant_policy: unknown; workflow_policy: unknown }>(
    `SELECT w.tenant_id, w.id AS workflow_id, tp.policy AS tenant_policy, wp.policy AS workflow_policy
       FROM workflows w
       LEFT JOIN tenant_policies tp ON tp.tenant_id = w.tenant_id
       LEFT JOIN workflow_policies wp ON wp.workflow_id = w.id AND wp.tenant_id = w.tenant_id
      WHERE w.tenant_id = ANY($1::uuid[])`,
    [tenantIds],
  );
  return rows.map((r) => {
    const workflow = slaOf(r.workflow_policy, parseWorkflowPolicy);
    const tenant = slaOf(r.tenant_policy, parseTenantPolicy);
    const [slaSeconds, source] =
      workflow !== undefined ? [workflow, 'workflow' as const] : tenant !== undefined ? [tenant, 'tenant' as const] : [PLATFORM_POLICY.slaSeconds, 'platform' as const];
    return { tenantId: r.tenant_id, workflowId: r.workflow_id, slaSeconds, source };
  });
}

/**
 * Breaches per workflow among the runs created in [from, to). One pass over the window's runs per
 * tenant through (tenant_id, created_at); the per-workflow thresholds are joined from an array.
 */
export async function slaBreaches(pool: pg.Pool, window: { tenantIds: string[]; from: Date; to: Date }): Promise<SlaStats[]> {
  const targets = await slaTargets(pool, window.tenantIds);
  if (targets.length === 0) return [];
  const { rows } = await pool.query<{ workflow_id: string; runs: string; breaches: string; open_breaches: string }>(
    `SELECT r.workflow_id, count(*) AS runs,
            count(*) FILTER (WHERE coalesce(r.finished_at, $3::timestamptz) - r.created_at > make_interval(secs => s.sla_seconds)) AS breaches,
            count(*) FILTER (WHERE r.finished_at IS NULL AND $3::timestamptz - r.created_at > make_interval(secs => s.sla_seconds)) AS open_breaches
       FROM runs r
       JOIN unnest($4::uuid[], $5::int[]) AS s(workflow_id, sla_seconds) ON s.workflow_id = r.workflow_id
      WHERE r.tenant_id = ANY($1::uuid[]) AND r.created_at >= $2 AND r.created_at < $3 AND r.status <> 'cancelled'
      GROUP BY r.workflow_id`,
    [window.tenantIds, window.from, window.to, targets.map((t) => t.workflowId), targets.map((t) => t.slaSeconds)],
  );
  const byWorkflow = new Map(rows.map((r) => [r.workflow_id, r]));
  return targets.map((t) => {
    const r = byWorkflow.get(t.workflowId);
    return { ...t, runs: Number(r?.runs ?? 0), breaches: Number(r?.breaches ?? 0), openBreaches: Number(r?.open_breaches ?? 0) };
  });
}
