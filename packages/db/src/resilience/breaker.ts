import type pg from 'pg';
import { BreakerPolicySchema, type BreakerPolicy } from '../policy/schema';
import { assertUuid, inTransaction } from '../sql';
import { admitBreakerCall, applyBreakerOutcome, type BreakerDecision, type BreakerRow, type BreakerStateName } from './breaker-state';

/**
 * Circuit breakers per tenant × endpoint host, stored in circuit_breakers and shared by every
 * worker. Transitions happen under the row lock (SELECT … FOR UPDATE) with the database clock, so
 * two workers cannot both hand out the half-open trial or lose each other's failure counts. The
 * common case, a closed breaker, is one indexed read without a lock.
 */

export interface BreakerKey {
  tenantId: string;
  /** Endpoint host with port, e.g. `api.example.com` or `127.0.0.1:4010`. */
  host: string;
}

export interface CheckBreakerInput extends BreakerKey {
  policy: BreakerPolicy;
  /** How long a handed-out trial counts as in flight (default 60 s). */
  trialTimeoutMs?: number;
}

interface Row {
  state: BreakerStateName;
  consecutive_failures: number;
  window_calls: number;
  window_failures: number;
  window_started_at: Date;
  opened_at: Date | null;
  trial_started_at: Date | null;
  now: Date;
}

const COLUMNS = `state, consecutive_failures, window_calls, window_failures, window_started_at, opened_at, trial_started_at, clock_timestamp() AS now`;

export const DEFAULT_TRIAL_TIMEOUT_MS = 60_000;

export async function checkBreaker(pool: pg.Pool, input: CheckBreakerInput): Promise<BreakerDecision> {
  const policy = validate(input, 'checkBreaker');
  const trialTimeoutMs = input.trialTimeoutMs ?? DEFAULT_TRIAL_TIMEOUT_MS;
  const quick = await pool.query<Row>(`SELECT ${COLUMNS} FROM circuit_breakers WHERE tenant_id = $1 AND host = $2`, [input.tenantId, input.host]);
  const seen = quick.rows[0];
  if (!seen) return { allowed: true, trial: false, healthy: true };
  if (seen.state === 'closed') return { allowed: true, trial: false, healthy: seen.consecutive_failures === 0 };
  if (seen.state === 'open' && seen.opened_at && seen.now.getTime() < seen.opened_at.getTime() + policy.cooldownMs) {
    return admitBreakerCall(toState(seen), policy, seen.now.getTime(), trialTimeoutMs).decision;
  }
  // Possibly a trial to hand out: decide under the lock.
  return inTransaction(pool, async (client) => {
    const locked = await client.query<Row>(`SELECT ${COLUMNS} FROM circuit_breakers WHERE tenant_id = $1 AND host = $2 FOR UPDATE`, [
      input.tenantId,
      input.host,
    ]);
    const row = locked.rows[0];
    if (!row) return { allowed: true, trial: false };
    const { decision, next } = admitBreakerCall(toState(row), policy, row.now.getTime(), trialTimeoutMs);
    if (next) await write(client, input, next);
    return decision;
  });
}

export interface RecordOutcomeInput extends BreakerKey {
  policy: BreakerPolicy;
  success: boolean;
}

/** Records a call's outcome; returns the breaker's state afterwards. */
export async function recordBreakerOutcome(pool: pg.Pool, input: RecordOutcomeInput): Promise<BreakerStateName> {
  const policy = validate(input, 'recordBreakerOutcome');
  if (input.success) {
    // The common case, a success on a healthy closed breaker, only counts the call: one atomic
    // statement instead of a locked read-modify-write (the same result applyBreakerOutcome would give).
    const quick = await pool.query(
      `UPDATE circuit_breakers SET window_calls = window_calls + 1, updated_at = clock_timestamp()
        WHERE tenant_id = $1 AND host = $2 AND state = 'closed' AND consecutive_failures = 0
          AND clock_timestamp() - window_started_at < $3 * interval '1 millisecond'`,
      [input.tenantId, input.host, policy.windowMs],
    );
    if (quick.rowCount) return 'closed';
  }
  return inTransaction(pool, async (client) => {
    await client.query(`INSERT INTO circuit_breakers (tenant_id, host) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [input.tenantId, input.host]);
    const locked = await client.query<Row>(`SELECT ${COLUMNS} FROM circuit_breakers WHERE tenant_id = $1 AND host = $2 FOR UPDATE`, [
      input.tenantId,
      input.host,
    ]);
    const row = locked.rows[0];
    if (!row) throw new Error(`recordBreakerOutcome: breaker row for ${input.host} vanished`);
    const next = applyBreakerOutcome(toState(row), policy, row.now.getTime(), input.success);
    await write(client, input, next);
    return next.state;
  });
}

export interface RecordSuccessesInput extends BreakerKey {
  policy: BreakerPolicy;
  /** Successful calls since the last report, all made while the breaker looked closed and healthy. */
  count: number;
}

/**
 * Counts a batch of successes on a closed breaker with no failures in a row, in one statement: what
 * applying applyBreakerOutcome `count` times would do there (a new window starts when the old one
 * is over). Workers report successes in batches so that a healthy endpoint costs no write per call.
 * Returns false when the breaker is in any other state (then each success must be recorded singly,
 * since a success there is a transition: it resets a failure streak or closes a half-open breaker).
 */
export async function recordBreakerSuccesses(pool: pg.Pool, input: RecordSuccessesInput): Promise<boolean> {
  const policy = validate(input, 'recordBreakerSuccesses');
  if (!Number.isInteger(input.count) || input.count < 1) throw new TypeError(`recordBreakerSuccesses: count must be a positive integer (got ${input.count})`);
  const fresh = `clock_timestamp() - b.window_started_at < $4 * interval '1 millisecond'`;
  const { rowCount } = await pool.query(
    `INSERT INTO circuit_breakers AS b (tenant_id, host, window_calls) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, host) DO UPDATE SET
       window_calls = CASE WHEN ${fresh} THEN b.window_calls + $3 ELSE $3 END,
       window_failures = CASE WHEN ${fresh} THEN b.window_failures ELSE 0 END,
       window_started_at = CASE WHEN ${fresh} THEN b.window_started_at ELSE clock_timestamp() END,
       updated_at = clock_timestamp()
     WHERE b.state = 'closed' AND b.consecutive_failures = 0`,
    [input.tenantId, input.host, input.count, policy.windowMs],
  );
  return rowCount === 1;
}

export interface BreakerSnapshot extends BreakerRow {
  host: string;
}

/** A tenant's breakers, for the API (which hosts are open and since when). */
export async function listBreakers(pool: pg.Pool, tenantId: string): Promise<BreakerSnapshot[]> {
  assertUuid(tenantId, 'listBreakers: tenantId');
  const { rows } = await pool.query<Row & { host: string }>(`SELECT host, ${COLUMNS} FROM circuit_breakers WHERE tenant_id = $1 ORDER BY host`, [tenantId]);
  return rows.map((row) => ({ host: row.host, ...toState(row) }));
}

function validate(input: BreakerKey & { policy: BreakerPolicy }, fn: string): BreakerPolicy {
  assertUuid(input.tenantId, `${fn}: tenantId`);
  if (typeof input.host !== 'string' || input.host.length === 0) throw new TypeError(`${fn}: host must be a non-empty string`);
  const parsed = BreakerPolicySchema.safeParse(input.policy);
  if (!parsed.success) {
    throw new TypeError(`${fn}: policy is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

function toState(row: Row): BreakerRow {
  return {
    state: row.state,
    consecutiveFailures: row.consecutive_failures,
    windowCalls: row.window_calls,
    windowFailures: row.window_failures,
    windowStartedAt: row.window_started_at.getTime(),
    openedAt: row.opened_at?.getTime() ?? null,
    trialStartedAt: row.trial_started_at?.getTime() ?? null,
  };
}

async function write(client: pg.PoolClient, key: BreakerKey, next: BreakerRow): Promise<void> {
  await client.query(
    `UPDATE circuit_breakers SET state = $3, consecutive_failures = $4, window_calls = $5, window_failures = $6,
            window_started_at = $7, opened_at = $8, trial_started_at = $9, updated_at = clock_timestamp()
      WHERE tenant_id = $1 AND host = $2`,
    [
      key.tenantId,
      key.host,
      next.state,
      next.consecutiveFailures,
      next.windowCalls,
      next.windowFailures,
      new Date(next.windowStartedAt),
      next.openedAt === null ? null : new Date(next.openedAt),
      next.trialStartedAt === null ? null : new Date(next.trialStartedAt),
    ],
  );
}
