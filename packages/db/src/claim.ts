import type pg from 'pg';
import type { Graph } from '@switchyard/workflow';
import { PLATFORM_POLICY } from './policy/schema';
import { runDefaults, type RunPolicyDefaults } from './policy/resolve';
import { loadDeliveries } from './run-waits';
import { inTransaction } from './sql';
import type { ClaimedRun, RunState } from './types';

/**
 * Claiming runs: fair between tenants, within each tenant's bulkhead, highest priority first.
 *
 * One transaction, two statements:
 * 1. Lock (FOR NO KEY UPDATE SKIP LOCKED) up to `limit` tenant rows that have due work and room
 *    under their cap. Claims of one tenant are thereby serialised across all workers, while
 *    concurrent claimers spread over different tenants instead of queueing behind each other.
 *    NO KEY UPDATE does not conflict with the KEY SHARE locks that inserting runs takes through the
 *    foreign key, so enqueueing never waits for a claim.
 * 2. In a fresh snapshot (READ COMMITTED takes one per statement, after the locks were granted, so
 *    every earlier claim of these tenants is visible), count each tenant's running runs, take at
 *    most `cap - running` of its due runs, and pick round-robin: every tenant's best run first, then
 *    every tenant's second, … A tenant with a backlog of thousands gets one run per round like a
 *    tenant with one.
 *
 * Taking over a run whose lease expired does not need room: it is already counted as running
 * (otherwise a tenant whose worker died at its cap could never resume).
 */

export interface ClaimOptions {
  workerId: string;
  /** Most runs to claim in this call. */
  limit: number;
  /** Lease length; the worker renews well before it ends. */
  leaseMs: number;
}

/** A claimed run plus what the worker needs around the engine (the engine reads only ClaimedRun's fields). */
export interface DispatchedRun extends ClaimedRun {
  workflowId: string;
  versionId: string;
  priority: number;
  /** Tenant and workflow retry/timeout overrides: the engine's defaults for this run. */
  policyDefaults: RunPolicyDefaults;
}

interface ClaimRow {
  id: string;
  tenant_id: string;
  workflow_id: string;
  version_id: string;
  priority: number;
  correlation_id: string;
  idempotency_key: string | null;
  trigger: string;
  trigger_payload: unknown;
  state: RunState | null;
  lease_token: number;
  traceparent: string | null;
  graph: Graph;
  tenant_policy: unknown;
  workflow_policy: unknown;
}

const LIVE = `('queued', 'waiting', 'running')`;

const LOCK_TENANTS = `
WITH RECURSIVE live(tenant_id) AS (
  (SELECT tenant_id FROM runs WHERE status IN ${LIVE} ORDER BY tenant_id LIMIT 1)
  UNION ALL
  SELECT (SELECT r.tenant_id FROM runs r
           WHERE r.status IN ${LIVE} AND r.tenant_id > live.tenant_id
           ORDER BY r.tenant_id LIMIT 1)
    FROM live WHERE live.tenant_id IS NOT NULL
),
room AS (
  SELECT live.tenant_id,
         coalesce((tp.policy->>'maxConcurrentRuns')::int, $2)
           > (SELECT count(*) FROM runs r WHERE r.tenant_id = live.tenant_id AND r.status = 'running') AS has_room
    FROM live LEFT JOIN tenant_policies tp ON tp.tenant_id = live.tenant_id
   WHERE live.tenant_id IS NOT NULL
),
heads AS (
  SELECT room.tenant_id, head.priority, head.wake_at
    FROM room CROSS JOIN LATERAL (
      -- Two ordered probes rather than one OR, so each stops at its first row in index order.
      (SELECT r.priority, r.wake_at FROM runs r
        WHERE room.has_room AND r.tenant_id = room.tenant_id AND r.status IN ('queued', 'waiting') AND r.wake_at <= now()
        ORDER BY r.priority DESC, r.wake_at
        LIMIT 1)
      UNION ALL
      (SELECT r.priority, r.wake_at FROM runs r
        WHERE r.tenant_id = room.tenant_id AND r.status = 'running' AND r.lease_expires_at < now()
        LIMIT 1)
      ORDER BY 1 DESC, 2
      LIMIT 1
    ) head
)
SELECT t.id FROM tenants t JOIN heads h ON h.tenant_id = t.id
 ORDER BY h.priority DESC, h.wake_at
 LIMIT $1
 FOR NO KEY UPDATE OF t SKIP LOCKED`;

const CLAIM = `
WITH locked AS (
  SELECT t.id AS tenant_id,
         greatest(0, coalesce((tp.policy->>'maxConcurrentRuns')::int, $5)
                     - (SELECT count(*) FROM runs r WHERE r.tenant_id = t.id AND r.status = 'running'))::int AS free
    FROM unnest($4::uuid[]) AS t(id) LEFT JOIN tenant_policies tp ON tp.tenant_id = t.id
),
candidates AS (
  SELECT q.id, q.tenant_id, q.priority, q.wake_at, false AS takeover
    FROM locked CROSS JOIN LATERAL (
      SELECT r.id, r.tenant_id, r.priority, r.wake_at FROM runs r
       WHERE r.tenant_id = locked.tenant_id AND r.status IN ('queued', 'waiting') AND r.wake_at <= now()
       ORDER BY r.priority DESC, r.wake_at
       LIMIT least(locked.free, $2)
       FOR UPDATE SKIP LOCKED
    ) q
  UNION ALL
  SELECT x.id, x.tenant_id, x.priority, x.wake_at, true AS takeover
    FROM locked CROSS JOIN LATERAL (
      SELECT r.id, r.tenant_id, r.priority, r.wake_at FROM runs r
       WHERE r.tenant_id = locked.tenant_id AND r.status = 'running' AND r.lease_expires_at < now()
       ORDER BY r.lease_expires_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED
    ) x
),
chosen AS (
  SELECT id FROM (
    SELECT id, priority, wake_at, takeover,
           row_number() OVER (PARTITION BY tenant_id ORDER BY takeover DESC, priority DESC, wake_at) AS turn
      FROM candidates
  ) ranked
  ORDER BY turn, takeover DESC, priority DESC, wake_at
  LIMIT $2
)
UPDATE runs AS r SET
  status = 'running',
  lease_owner = $1,
  lease_expires_at = now() + $3 * interval '1 millisecond',
  lease_token = r.lease_token + 1,
  started_at = coalesce(r.started_at, now()),
  attempts = r.attempts + 1,
  updated_at = now()
FROM chosen, workflow_versions AS v
WHERE r.id = chosen.id AND v.id = r.version_id AND v.tenant_id = r.tenant_id
RETURNING r.id, r.tenant_id, r.workflow_id, r.version_id, r.priority, r.correlation_id,
          coalesce(r.effect_key, r.idempotency_key) AS idempotency_key, r.trigger, r.trigger_payload,
          r.state, r.lease_token, r.traceparent, v.graph,
          (SELECT policy FROM tenant_policies WHERE tenant_id = r.tenant_id) AS tenant_policy,
          (SELECT policy FROM workflow_policies WHERE workflow_id = r.workflow_id AND tenant_id = r.tenant_id) AS workflow_policy`;

export async function claimRuns(pool: pg.Pool, opts: ClaimOptions): Promise<DispatchedRun[]> {
  if (!opts.workerId) throw new TypeError('claimRuns: workerId must be a non-empty string');
  if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new TypeError(`claimRuns: limit must be a positive integer (got ${opts.limit})`);
  assertLeaseMs(opts.leaseMs, 'claimRuns');
  const cap = PLATFORM_POLICY.maxConcurrentRuns;
  const rows = await inTransaction(pool, async (client) => {
    const tenants = await client.query<{ id: string }>(LOCK_TENANTS, [opts.limit, cap]);
    if (tenants.rows.length === 0) return [];
    const claimed = await client.query<ClaimRow>(CLAIM, [opts.workerId, opts.limit, opts.leaseMs, tenants.rows.map((t) => t.id), cap]);
    // Read under the claim's row locks: a delivery to one of these runs waits for this transaction.
    const inbox = await loadDeliveries(client, claimed.rows.map((r) => ({ id: r.id, tenantId: r.tenant_id })));
    return claimed.rows.map((row) => ({ row, deliveries: inbox.get(row.id) }));
  });
  // RETURNING comes in no particular order: hand runs to the worker in the order they were chosen.
  rows.sort((a, b) => b.row.priority - a.row.priority);
  return rows.map(({ row, deliveries }) => ({
    id: row.id,
    tenantId: row.tenant_id,
    workflowId: row.workflow_id,
    versionId: row.version_id,
    priority: row.priority,
    correlationId: row.correlation_id,
    idempotencyKey: row.idempotency_key,
    // Published graphs are validated before they are written and never change afterwards.
    graph: row.graph,
    triggerNodeId: triggerNodeOf(row.graph, row.trigger),
    triggerPayload: row.trigger_payload,
    state: row.state,
    leaseToken: row.lease_token,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
    policyDefaults: runDefaults(row.tenant_policy, row.workflow_policy),
    ...(deliveries ? { deliveries } : {}),
  }));
}

/** The trigger node a run starts from: the one of the run's trigger kind, else the graph's first trigger. */
export function triggerNodeOf(graph: Graph, trigger: string): string | null {
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes : [];
  const exact = nodes.find((n) => n.kind === `trigger.${trigger}`);
  return (exact ?? nodes.find((n) => n.kind.startsWith('trigger.')))?.id ?? null;
}

export function assertLeaseMs(leaseMs: number, fn: string): void {
  if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new TypeError(`${fn}: leaseMs must be a positive integer (got ${leaseMs})`);
}
