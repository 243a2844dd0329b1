import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { startChildRuns } from './child-runs';
import { syncWaitsAndInbox } from './run-waits';
import { json } from './sql';
import { capPayload } from './repositories/payload-cap';
import { DEAD_LETTER_STATUSES, TERMINAL_STATUSES, type CommitOutcome, type RunCommit, type RunStatus, type StepRecord } from './types';

/**
 * The engine's RunStore port in SQL. One commit = one transaction: the run row is updated first,
 * fenced by the lease token (the row lock also serialises against a concurrent claim), then the
 * step rows are inserted. A stale token updates no row, the transaction is rolled back, and the
 * caller learns 'lease-lost' with nothing written.
 */

const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting', ...TERMINAL_STATUSES];

/**
 * Why a run is dead-lettered, from its last error: a retryable error that still ended the run ran
 * out of attempts, anything else was permanent. The error itself stays in runs.error.
 */
export type DeadLetterReason = 'retries_exhausted' | 'permanent_error';

export function deadLetterReasonOf(commit: Pick<RunCommit, 'status' | 'error'>): DeadLetterReason | null {
  if (!DEAD_LETTER_STATUSES.includes(commit.status)) return null;
  return commit.error?.retryable ? 'retries_exhausted' : 'permanent_error';
}

/**
 * A run parked in `waiting` without a timer (waiting for an outside event) must not be claimed until
 * something sets its wake_at; a far-future instant keeps it out of the claim range while staying a
 * value every client (Prisma included) can read, unlike 'infinity'.
 */
export const NEVER = new Date('9999-12-31T00:00:00.000Z');

/** Columns per step row; the insert is chunked to stay far below Postgres' 65535-parameter cap. */
const STEP_COLUMNS = 18;
const STEPS_PER_INSERT = 500;

export class PgRunStore {
  constructor(private readonly pool: pg.Pool) {}

  async commit(runId: string, leaseToken: number, commit: RunCommit): Promise<CommitOutcome> {
    validateCommit(commit);
    if (canCommitInOneStatement(commit)) return this.commitInOneStatement(runId, leaseToken, commit);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const updated = await client.query<{ tenant_id: string }>(`${UPDATE_RUN} RETURNING tenant_id`, runParams(runId, leaseToken, commit));
      const tenantId = updated.rows[0]?.tenant_id;
      if (!tenantId) {
        await client.query('ROLLBACK');
        return 'lease-lost';
      }
      for (let i = 0; i < commit.steps.length; i += STEPS_PER_INSERT) {
        await insertSteps(client, tenantId, runId, commit.steps.slice(i, i + STEPS_PER_INSERT));
      }
      // Before the inbox check: a child that cannot start leaves its refusal there, which wakes the run.
      if (commit.childRuns && commit.childRuns.length > 0) await startChildRuns(client, tenantId, runId, commit.childRuns);
      await syncWaitsAndInbox(client, tenantId, runId, commit);
      await client.query(`SELECT pg_notify('${RUN_DONE_CHANNEL}', $1) WHERE $2`, [runId, announcesDone(commit)]);
      await client.query('COMMIT');
      return 'ok';
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * The hot path, one round trip: a step commit that leaves the run running (with no waits to
   * register, no inbox rows consumed and no child runs to start) or that ends the run is a single
   * statement, so a single autocommit transaction. The fenced UPDATE comes first; every other part
   * reads its RETURNING, so a stale token writes nothing at all. What syncWaitsAndInbox does in
   * these cases is folded in: drop the run's wait rows, and its inbox once it has ended. (A child
   * run's end reaches its parent through the runs_child_run_ended trigger, whichever path commits.)
   * Commits that park the run keep the transaction above: the re-wake of a parked run with a
   * pending delivery needs a fresh snapshot after the row lock.
   */
  private async commitInOneStatement(runId: string, leaseToken: number, commit: RunCommit): Promise<CommitOutcome> {
    const params = runParams(runId, leaseToken, commit);
    params.push(stepsJson(commit.steps), announcesDone(commit), TERMINAL_STATUSES.includes(commit.status));
    const { rows } = await this.pool.query<{ tenant_id: string }>(
      `WITH run AS (${UPDATE_RUN} RETURNING tenant_id),
       inserted AS (
         INSERT INTO steps (id, tenant_id, run_id, node_id, activation_id, attempt, status, idempotency_key,
                            input, output, port, error, started_at, finished_at, duration_ms, retry_at, phase, item_index)
         SELECT (e->>'id')::uuid, run.tenant_id, $1::uuid, e->>'nodeId', e->>'activationId', (e->>'attempt')::int, e->>'status',
                e->>'idempotencyKey', e->'input', e->'output', e->>'port', e->'error', (e->>'startedAt')::timestamptz,
                (e->>'finishedAt')::timestamptz, (e->>'durationMs')::int, (e->>'retryAt')::timestamptz, e->>'phase', (e->>'itemIndex')::int
           FROM run CROSS JOIN jsonb_array_elements($11::jsonb) AS e
         RETURNING 1
       ),
       waits AS (DELETE FROM run_waits w USING run WHERE w.run_id = $1 AND w.tenant_id = run.tenant_id RETURNING 1),
       inbox AS (DELETE FROM run_deliveries d USING run WHERE $13 AND d.run_id = $1 AND d.tenant_id = run.tenant_id RETURNING 1)
       SELECT tenant_id, CASE WHEN $12 THEN pg_notify('${RUN_DONE_CHANNEL}', $1::text) END AS announced FROM run`,
      params,
    );
    return rows.length > 0 ? 'ok' : 'lease-lost';
  }
}

/**
 * The fenced update of the run row ($1 run id, $2 lease token): a stale token matches no row.
 * `status = 'running'` also keeps a cancelled run cancelled.
 */
const UPDATE_RUN = `UPDATE runs SET
           state = $3::jsonb,
           status = $4::run_status,
           wake_at = CASE WHEN $4 IN ('queued', 'waiting') THEN $5::timestamptz ELSE wake_at END,
           result = $6::jsonb,
           error = $7::jsonb,
           response = $8::jsonb,
           finished_at = CASE WHEN $4::text = ANY($9::text[]) THEN now() ELSE finished_at END,
           dead_lettered_at = CASE WHEN $10::text IS NOT NULL THEN now() ELSE dead_lettered_at END,
           dead_letter_reason = coalesce($10::text, dead_letter_reason),
           lease_owner = CASE WHEN $4 = 'running' THEN lease_owner END,
           lease_expires_at = CASE WHEN $4 = 'running' THEN lease_expires_at END,
           updated_at = now()
         WHERE id = $1 AND lease_token = $2 AND status = 'running'`;

function runParams(runId: string, leaseToken: number, commit: RunCommit): unknown[] {
  return [
    runId,
    leaseToken,
    json(commit.state),
    commit.status,
    wakeAtFor(commit),
    json(capPayload(commit.result)),
    json(commit.error),
    json(commit.state.response),
    TERMINAL_STATUSES,
    deadLetterReasonOf(commit),
  ];
}

/**
 * NOTIFY channel on which a run that has a response or has ended is announced (payload: run id), so
 * a synchronous webhook waiting for it (notify.ts waitForRunResponse) answers at once instead of polling.
 */
export const RUN_DONE_CHANNEL = 'switchyard_run_done';

function announcesDone(commit: RunCommit): boolean {
  return commit.state.response !== undefined || TERMINAL_STATUSES.includes(commit.status);
}

function canCommitInOneStatement(commit: RunCommit): boolean {
  // Child runs are started by the transaction path only (startChildRuns).
  const childRuns = commit.childRuns;
  if ((childRuns?.length ?? 0) > 0 || commit.steps.length > STEPS_PER_INSERT) return false;
  // An ended run's waits and inbox are dropped whatever the commit says (as syncWaitsAndInbox does).
  if (TERMINAL_STATUSES.includes(commit.status)) return true;
  return commit.status === 'running' && (commit.waits?.length ?? 0) === 0 && (commit.consumedDeliveries?.length ?? 0) === 0;
}

/** The step rows as one JSON array (one serialisation; `undefined` fields are left out and stored as SQL NULL). */
function stepsJson(steps: StepRecord[]): string {
  return JSON.stringify(
    steps.map((step) => ({
      id: randomUUID(),
      nodeId: step.nodeId,
      activationId: step.activationId,
      attempt: step.attempt,
      status: step.status,
      idempotencyKey: step.idempotencyKey,
      // History keeps a marker instead of oversized payloads; the run's state keeps what execution needs.
      input: capPayload(step.input),
      output: capPayload(step.output),
      port: step.port,
      error: capPayload(step.error),
      startedAt: new Date(step.startedAt).toISOString(),
      finishedAt: new Date(step.finishedAt).toISOString(),
      durationMs: Math.round(step.durationMs),
      retryAt: step.retryAt === undefined ? undefined : new Date(step.retryAt).toISOString(),
      phase: step.phase,
      itemIndex: step.itemIndex,
    })),
  );
}

function wakeAtFor(commit: RunCommit): Date {
  if (commit.wakeAt !== undefined) return new Date(commit.wakeAt);
  return commit.status === 'waiting' ? NEVER : new Date();
}

async function insertSteps(client: pg.PoolClient, tenantId: string, runId: string, steps: StepRecord[]): Promise<void> {
  if (steps.length === 0) return;
  const values: unknown[] = [];
  const rows = steps.map((step, index) => {
    values.push(
      randomUUID(),
      tenantId,
      runId,
      step.nodeId,
      step.activationId,
      step.attempt,
      step.status,
      step.idempotencyKey,
      // History keeps a marker instead of oversized payloads; the run's state keeps what execution needs.
      json(capPayload(step.input)),
      json(capPayload(step.output)),
      step.port ?? null,
      json(capPayload(step.error)),
      new Date(step.startedAt),
      new Date(step.finishedAt),
      Math.round(step.durationMs),
      step.retryAt === undefined ? null : new Date(step.retryAt),
      step.phase ?? null,
      step.itemIndex ?? null,
    );
    const p = (n: number) => `$${index * STEP_COLUMNS + n}`;
    return `(${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}::uuid, ${p(4)}, ${p(5)}, ${p(6)}::int, ${p(7)}, ${p(8)}, ${p(9)}::jsonb, ${p(10)}::jsonb, ${p(11)}, ${p(12)}::jsonb, ${p(13)}::timestamptz, ${p(14)}::timestamptz, ${p(15)}::int, ${p(16)}::timestamptz, ${p(17)}, ${p(18)}::int)`;
  });
  await client.query(
    `INSERT INTO steps (id, tenant_id, run_id, node_id, activation_id, attempt, status, idempotency_key,
                        input, output, port, error, started_at, finished_at, duration_ms, retry_at, phase, item_index)
     VALUES ${rows.join(',\n')}`,
    values,
  );
}

/** The engine is trusted, but a malformed commit should fail with the field named, not a SQL error. */
function validateCommit(commit: RunCommit): void {
  if (!RUN_STATUSES.includes(commit.status)) {
    throw new TypeError(`RunCommit.status must be one of ${RUN_STATUSES.join(', ')} (got ${JSON.stringify(commit.status)})`);
  }
  if (!commit.state || !Array.isArray(commit.state.pending)) {
    throw new TypeError('RunCommit.state must be a RunState with a pending array');
  }
  if (commit.wakeAt !== undefined && !Number.isFinite(commit.wakeAt)) {
    throw new TypeError(`RunCommit.wakeAt must be epoch milliseconds (got ${String(commit.wakeAt)})`);
  }
  commit.waits?.forEach((wait, i) => {
    if (wait.kind !== 'event' && wait.kind !== 'approval' && wait.kind !== 'child') throw new TypeError(`RunCommit.waits[${i}].kind must be event, approval or child (got ${JSON.stringify(wait.kind)})`);
    if (typeof wait.key !== 'string' || typeof wait.activationId !== 'string' || typeof wait.nodeId !== 'string') {
      throw new TypeError(`RunCommit.waits[${i}] must have string key, activationId and nodeId`);
    }
    if (wait.timeoutAt !== undefined && !Number.isFinite(wait.timeoutAt)) throw new TypeError(`RunCommit.waits[${i}].timeoutAt must be epoch milliseconds`);
  });
  commit.steps.forEach((step, i) => {
    for (const field of ['startedAt', 'finishedAt', 'durationMs', 'attempt'] as const) {
      if (!Number.isFinite(step[field])) throw new TypeError(`RunCommit.steps[${i}].${field} must be a finite number (got ${String(step[field])})`);
    }
    if (step.status !== 'succeeded' && step.status !== 'failed') {
      throw new TypeError(`RunCommit.steps[${i}].status must be succeeded or failed (got ${JSON.stringify(step.status)})`);
    }
    if (step.phase !== undefined && step.phase !== 'compensation') {
      throw new TypeError(`RunCommit.steps[${i}].phase must be "compensation" or absent (got ${JSON.stringify(step.phase)})`);
    }
    if (step.itemIndex !== undefined && !(Number.isInteger(step.itemIndex) && step.itemIndex >= 0)) {
      throw new TypeError(`RunCommit.steps[${i}].itemIndex must be a non-negative integer (got ${String(step.itemIndex)})`);
    }
  });
}
