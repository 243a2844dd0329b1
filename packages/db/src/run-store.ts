import { randomUUID } from 'node:crypto';
import type pg from 'pg';
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const updated = await client.query<{ tenant_id: string }>(
        `UPDATE runs SET
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
         WHERE id = $1 AND lease_token = $2 AND status = 'running'
         RETURNING tenant_id`,
        [
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
        ],
      );
      const tenantId = updated.rows[0]?.tenant_id;
      if (!tenantId) {
        await client.query('ROLLBACK');
        return 'lease-lost';
      }
      for (let i = 0; i < commit.steps.length; i += STEPS_PER_INSERT) {
        await insertSteps(client, tenantId, runId, commit.steps.slice(i, i + STEPS_PER_INSERT));
      }
      await syncWaitsAndInbox(client, tenantId, runId, commit);
      await client.query('COMMIT');
      return 'ok';
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
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
    if (wait.kind !== 'event' && wait.kind !== 'approval') throw new TypeError(`RunCommit.waits[${i}].kind must be event or approval (got ${JSON.stringify(wait.kind)})`);
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
