import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { assertLeaseMs } from './claim';
import { PLATFORM_POLICY } from './policy/schema';
import { assertUuid, inTransaction, json } from './sql';
import type { RunState } from './types';

export { claimRuns, triggerNodeOf, type ClaimOptions, type DispatchedRun } from './claim';

/**
 * The run queue on Postgres: workers claim due runs with leases (`FOR UPDATE SKIP LOCKED`, so
 * concurrent claimers never block on or share a run), renew them while working, and hand them back
 * when draining. The lease token is a fencing token: every claim increments it and every commit
 * must present the current value (run-store.ts).
 */

/** NOTIFY channel on which new and released runs are announced (payload: the run id). */
export const RUNS_CHANNEL = 'switchyard_runs';

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
  return inTransaction(pool, (client) => insertRun(client, input));
}

/** What replays and schedules add to an ordinary enqueue. */
export interface InsertRunExtras {
  /** A seeded engine state (replay from a step); null starts from the trigger. */
  state?: RunState | null;
  replayOf?: string | null;
  effectKey?: string | null;
}

/**
 * Inserts a queued run inside the caller's transaction and announces it (the NOTIFY is delivered at
 * commit). The run's priority comes from the workflow's, else the tenant's policy.
 */
export async function insertRun(client: pg.PoolClient, input: EnqueueRunInput, extras: InsertRunExtras = {}): Promise<EnqueueRunResult> {
  assertUuid(input.tenantId, 'enqueueRun: tenantId');
  assertUuid(input.workflowId, 'enqueueRun: workflowId');
  assertUuid(input.versionId, 'enqueueRun: versionId');
  if (!input.trigger) throw new TypeError('enqueueRun: trigger must be a non-empty string');
  if (!input.correlationId) throw new TypeError('enqueueRun: correlationId must be a non-empty string');
  if (extras.replayOf != null) assertUuid(extras.replayOf, 'enqueueRun: replayOf');
  const key = input.idempotencyKey || null;
  // INSERT … SELECT from the version keeps tenant, workflow and version consistent: a version of
  // another tenant or workflow inserts nothing.
  const inserted = await client.query<{ id: string; correlation_id: string; payload_hash: string | null }>(
    `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, idempotency_key,
                       payload_hash, trigger_payload, state, replay_of, effect_key, priority, wake_at, created_at, updated_at)
     SELECT $1, v.tenant_id, v.workflow_id, v.id, 'queued', $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::uuid, $12,
            coalesce((wp.policy->>'priority')::int, (tp.policy->>'priority')::int, $13), now(), now(), now()
       FROM workflow_versions v
       LEFT JOIN workflow_policies wp ON wp.workflow_id = v.workflow_id AND wp.tenant_id = v.tenant_id
       LEFT JOIN tenant_policies tp ON tp.tenant_id = v.tenant_id
      WHERE v.id = $4 AND v.tenant_id = $2 AND v.workflow_id = $3
     ON CONFLICT (tenant_id, workflow_id, idempotency_key) DO NOTHING
     RETURNING id, correlation_id, payload_hash`,
    [
      randomUUID(),
      input.tenantId,
      input.workflowId,
      input.versionId,
      input.trigger,
      input.correlationId,
      key,
      input.payloadHash ?? null,
      json(input.payload ?? null),
      json(extras.state ?? null),
      extras.replayOf ?? null,
      extras.effectKey ?? null,
      PLATFORM_POLICY.priority,
    ],
  );
  const row = inserted.rows[0];
  if (row) {
    await client.query(`SELECT pg_notify('${RUNS_CHANNEL}', $1)`, [row.id]);
    return { runId: row.id, correlationId: row.correlation_id, created: true, payloadHash: row.payload_hash };
  }
  const existing = key
    ? await client.query<{ id: string; correlation_id: string; payload_hash: string | null }>(
        'SELECT id, correlation_id, payload_hash FROM runs WHERE tenant_id = $1 AND workflow_id = $2 AND idempotency_key = $3',
        [input.tenantId, input.workflowId, key],
      )
    : undefined;
  const found = existing?.rows[0];
  if (found) return { runId: found.id, correlationId: found.correlation_id, created: false, payloadHash: found.payload_hash };
  throw new Error(`enqueueRun: workflow version ${input.versionId} of workflow ${input.workflowId} does not exist for tenant ${input.tenantId}`);
}
