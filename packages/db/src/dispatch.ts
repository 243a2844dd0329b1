import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Graph } from '@switchyard/workflow';
import { assertUuid, json } from './sql';
import type { ClaimedRun, RunState } from './types';

/**
 * The run queue on Postgres: workers claim due runs with leases (`FOR UPDATE SKIP LOCKED`, so
 * concurrent claimers never block on or share a run), renew them while working, and hand them back
 * when draining. The lease token is a fencing token: every claim increments it and every commit
 * must present the current value (run-store.ts).
 */

/** NOTIFY channel on which new and released runs are announced (payload: the run id). */
export const RUNS_CHANNEL = 'switchyard_runs';

export interface ClaimOptions {
  workerId: string;
  /** Most runs to claim in this call. */
  limit: number;
  /** Lease length; the worker renews well before it ends. */
  leaseMs: number;
}

interface ClaimRow {
  id: string;
  tenant_id: string;
  correlation_id: string;
  idempotency_key: string | null;
  trigger: string;
  trigger_payload: unknown;
  state: RunState | null;
  lease_token: number;
  graph: Graph;
}

export async function claimRuns(pool: pg.Pool, opts: ClaimOptions): Promise<ClaimedRun[]> {
  if (!opts.workerId) throw new TypeError('claimRuns: workerId must be a non-empty string');
  if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new TypeError(`claimRuns: limit must be a positive integer (got ${opts.limit})`);
  assertLeaseMs(opts.leaseMs, 'claimRuns');
  // Due queued runs, due timers (waiting with wake_at reached) and runs whose lease expired (their
  // worker died): the predicate matches the partial index runs_claimable_idx.
  const { rows } = await pool.query<ClaimRow>(
    `UPDATE runs AS r SET
       status = 'running',
       lease_owner = $1,
       lease_expires_at = now() + $3 * interval '1 millisecond',
       lease_token = r.lease_token + 1,
       started_at = coalesce(r.started_at, now()),
       attempts = r.attempts + 1,
       updated_at = now()
     FROM (
       SELECT id FROM runs
        WHERE status IN ('queued', 'waiting', 'running')
          AND ((status IN ('queued', 'waiting') AND wake_at <= now())
               OR (status = 'running' AND lease_expires_at < now()))
        ORDER BY wake_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     ) AS due, workflow_versions AS v
     WHERE r.id = due.id AND v.id = r.version_id AND v.tenant_id = r.tenant_id
     RETURNING r.id, r.tenant_id, r.correlation_id, r.idempotency_key, r.trigger, r.trigger_payload, r.state, r.lease_token, v.graph`,
    [opts.workerId, opts.limit, opts.leaseMs],
  );
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    correlationId: row.correlation_id,
    idempotencyKey: row.idempotency_key,
    // Published graphs are validated before they are written and never change afterwards.
    graph: row.graph,
    triggerNodeId: triggerNodeOf(row.graph, row.trigger),
    triggerPayload: row.trigger_payload,
    state: row.state,
    leaseToken: row.lease_token,
  }));
}

/** The trigger node a run starts from: the one of the run's trigger kind, else the graph's first trigger. */
export function triggerNodeOf(graph: Graph, trigger: string): string | null {
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes : [];
  const exact = nodes.find((n) => n.kind === `trigger.${trigger}`);
  return (exact ?? nodes.find((n) => n.kind.startsWith('trigger.')))?.id ?? null;
}

/** Extends the leases this worker still holds; returns the ids it holds (a missing id was taken over). */
export async function renewLeases(pool: pg.Pool, workerId: string, runIds: string[], leaseMs: number): Promise<string[]> {
  assertLeaseMs(leaseMs, 'renewLeases');
  if (runIds.length === 0) return [];
  runIds.forEach((id, i) => assertUuid(id, `renewLeases: runIds[${i}]`));
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE runs SET lease_expires_at = now() + $3 * interval '1 millisecond'
      WHERE id = ANY($2::uuid[]) AND lease_owner = $1 AND status = 'running'
      RETURNING id`,
    [workerId, runIds, leaseMs],
  );
  return rows.map((r) => r.id);
}

/**
 * Hands a run back to the queue (a draining worker between steps). Fenced like a commit: returns
 * false when the token no longer holds the run. Other workers are told at once.
 */
export async function releaseRun(pool: pg.Pool, runId: string, leaseToken: number): Promise<boolean> {
  assertUuid(runId, 'releaseRun: runId');
  const { rows } = await pool.query<{ released: string }>(
    `WITH released AS (
       UPDATE runs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'running'
        RETURNING id
     )
     SELECT pg_notify('${RUNS_CHANNEL}', id::text) AS released FROM released`,
    [runId, leaseToken],
  );
  return rows.length > 0;
}

export interface EnqueueRunInput {
  tenantId: string;
  workflowId: string;
  versionId: string;
  /** How the run was started: `manual`, `webhook`, … (selects the trigger node). */
  trigger: string;
  correlationId: string;
  /** Same key within a tenant's workflow returns the existing run instead of starting another. */
  idempotencyKey?: string | null;
  /** Hash of the trigger payload, so ingress can tell a replay from a conflicting reuse of a key. */
  payloadHash?: string | null;
  payload: unknown;
}

export interface EnqueueRunResult {
  runId: string;
  correlationId: string;
  /** False when a run with the same idempotency key already existed (that run is returned). */
  created: boolean;
  /** The stored run's payload hash (compare with yours when `created` is false). */
  payloadHash: string | null;
}

export async function enqueueRun(pool: pg.Pool, input: EnqueueRunInput): Promise<EnqueueRunResult> {
  assertUuid(input.tenantId, 'enqueueRun: tenantId');
  assertUuid(input.workflowId, 'enqueueRun: workflowId');
  assertUuid(input.versionId, 'enqueueRun: versionId');
  if (!input.trigger) throw new TypeError('enqueueRun: trigger must be a non-empty string');
  if (!input.correlationId) throw new TypeError('enqueueRun: correlationId must be a non-empty string');
  const key = input.idempotencyKey || null;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // INSERT … SELECT from the version keeps tenant, workflow and version consistent: a version of
    // another tenant or workflow inserts nothing.
    const inserted = await client.query<{ id: string; correlation_id: string; payload_hash: string | null }>(
      `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, idempotency_key,
                         payload_hash, trigger_payload, wake_at, created_at, updated_at)
       SELECT $1, v.tenant_id, v.workflow_id, v.id, 'queued', $5, $6, $7, $8, $9::jsonb, now(), now(), now()
         FROM workflow_versions v
        WHERE v.id = $4 AND v.tenant_id = $2 AND v.workflow_id = $3
       ON CONFLICT (tenant_id, workflow_id, idempotency_key) DO NOTHING
       RETURNING id, correlation_id, payload_hash`,
      [randomUUID(), input.tenantId, input.workflowId, input.versionId, input.trigger, input.correlationId, key, input.payloadHash ?? null, json(input.payload ?? null)],
    );
    const row = inserted.rows[0];
    if (row) {
      await client.query(`SELECT pg_notify('${RUNS_CHANNEL}', $1)`, [row.id]);
      await client.query('COMMIT');
      return { runId: row.id, correlationId: row.correlation_id, created: true, payloadHash: row.payload_hash };
    }
    const existing = key
      ? await client.query<{ id: string; correlation_id: string; payload_hash: string | null }>(
          'SELECT id, correlation_id, payload_hash FROM runs WHERE tenant_id = $1 AND workflow_id = $2 AND idempotency_key = $3',
          [input.tenantId, input.workflowId, key],
        )
      : undefined;
    await client.query('COMMIT');
    const found = existing?.rows[0];
    if (found) return { runId: found.id, correlationId: found.correlation_id, created: false, payloadHash: found.payload_hash };
    throw new Error(
      `enqueueRun: workflow version ${input.versionId} of workflow ${input.workflowId} does not exist for tenant ${input.tenantId}`,
    );
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function assertLeaseMs(leaseMs: number, fn: string): void {
  if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new TypeError(`${fn}: leaseMs must be a positive integer (got ${leaseMs})`);
}
