import type pg from 'pg';
import { replayRun, type ReplayRunResult } from '../run-control';
import { assertUuid } from '../sql';
import type { RunStatus, StepError } from '../types';

// The tenant's dead-letter list: runs that ended failed, compensated or compensation_failed (runs.
// dead_lettered_at, set by the run store's final commit). Every query has the tenant in its `where`.

export interface DeadLetterFilter {
  workflowId?: string;
  /** The last error's code, e.g. `http_503`, `timeout`. */
  errorCode?: string;
  since?: Date;
  until?: Date;
  /** Include runs that have been replayed already (default false: they are dealt with). */
  includeReplayed?: boolean;
}

export interface DeadLetterGroup {
  errorCode: string;
  count: number;
  latestAt: Date;
  /** The message of the latest run in the group, as a sample. */
  sampleMessage: string;
}

export interface DeadLetter {
  runId: string;
  workflowId: string;
  workflowName: string;
  version: number;
  status: RunStatus;
  reason: string;
  error: (StepError & { nodeId?: string }) | null;
  correlationId: string;
  deadLetteredAt: Date;
  /** Step attempts recorded for the run (all nodes). */
  attempts: number;
  replays: number;
}

export interface DeadLetterAttempt {
  nodeId: string;
  activationId: string;
  attempt: number;
  status: string;
  phase: string | null;
  input: unknown;
  output: unknown;
  error: StepError | null;
  startedAt: Date;
  finishedAt: Date;
  retryAt: Date | null;
}

/**
 * Draft test runs (the designer's "Run test", pinned to a version numbered below 1, see
 * test-versions.ts) fail as often as drafts are wrong; they are the designer's business, not an
 * operator's, so they are kept out of the dead-letter list, its groups, bulk replay and detail.
 */
const PUBLISHED_VERSION = 'EXISTS (SELECT 1 FROM workflow_versions pv WHERE pv.id = r.version_id AND pv.tenant_id = r.tenant_id AND pv.version >= 1)';

/** Builds the shared WHERE; `$1` is always the tenant. Discarded dead letters are dealt with: never listed. */
export function deadLetterWhere(tenantId: string, filter: DeadLetterFilter): { sql: string; params: unknown[] } {
  assertUuid(tenantId, 'dead letters: tenantId');
  const params: unknown[] = [tenantId];
  const parts = ['r.tenant_id = $1', 'r.dead_lettered_at IS NOT NULL', 'r.discarded_at IS NULL', PUBLISHED_VERSION];
  if (filter.workflowId !== undefined) {
    assertUuid(filter.workflowId, 'dead letters: filter.workflowId');
    params.push(filter.workflowId);
    parts.push(`r.workflow_id = $${params.length}`);
  }
  if (filter.errorCode !== undefined) {
    params.push(filter.errorCode);
    parts.push(`r.error->>'code' = $${params.length}`);
  }
  for (const [key, op] of [['since', '>='], ['until', '<']] as const) {
    const value = filter[key];
    if (value === undefined) continue;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`dead letters: filter.${key} must be a valid Date`);
    params.push(value);
    parts.push(`r.dead_lettered_at ${op} $${params.length}`);
  }
  if (!filter.includeReplayed) parts.push('NOT EXISTS (SELECT 1 FROM runs x WHERE x.replay_of = r.id AND x.tenant_id = r.tenant_id)');
  return { sql: parts.join(' AND '), params };
}

/** Dead letters grouped by the last error's code, largest group first. */
export async function listDeadLetterGroups(pool: pg.Pool, tenantId: string, filter: DeadLetterFilter = {}): Promise<DeadLetterGroup[]> {
  const w = deadLetterWhere(tenantId, filter);
  const { rows } = await pool.query<{ error_code: string; count: number; latest_at: Date; sample_message: string | null }>(
    `SELECT coalesce(r.error->>'code', 'unknown') AS error_code, count(*)::int AS count, max(r.dead_lettered_at) AS latest_at,
            (array_agg(r.error->>'message' ORDER BY r.dead_lettered_at DESC))[1] AS sample_message
       FROM runs r
      WHERE ${w.sql}
      GROUP BY 1
      ORDER BY count DESC, error_code`,
    w.params,
  );
  return rows.map((r) => ({ errorCode: r.error_code, count: r.count, latestAt: r.latest_at, sampleMessage: r.sample_message ?? '' }));
}

/** Position in the (dead_lettered_at desc, id desc) order: the next page starts strictly after it. */
export interface DeadLetterKey {
  deadLetteredAt: Date;
  runId: string;
}

export async function listDeadLetters(
  pool: pg.Pool,
  tenantId: string,
  filter: DeadLetterFilter & { limit: number; after?: DeadLetterKey },
): Promise<{ items: DeadLetter[]; next: DeadLetterKey | null }> {
  if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > 500) {
    throw new TypeError(`listDeadLetters: limit must be an integer from 1 to 500 (got ${filter.limit})`);
  }
  const w = deadLetterWhere(tenantId, filter);
  if (filter.after) {
    assertUuid(filter.after.runId, 'listDeadLetters: after.runId');
    w.params.push(filter.after.deadLetteredAt, filter.after.runId);
    w.sql += ` AND (r.dead_lettered_at, r.id) < ($${w.params.length - 1}, $${w.params.length}::uuid)`;
  }
  w.params.push(filter.limit + 1);
  const { rows } = await pool.query<DeadLetterRow>(`${SELECT_DEAD_LETTER} WHERE ${w.sql} ORDER BY r.dead_lettered_at DESC, r.id DESC LIMIT $${w.params.length}`, w.params);
  const items = rows.slice(0, filter.limit).map(toDeadLetter);
  const last = items[items.length - 1];
  return { items, next: rows.length > filter.limit && last ? { deadLetteredAt: last.deadLetteredAt, runId: last.runId } : null };
}

/** One dead letter with its full attempt history; null when it is not one of the tenant's dead letters. */
export async function getDeadLetter(pool: pg.Pool, tenantId: string, runId: string): Promise<(DeadLetter & { history: DeadLetterAttempt[] }) | null> {
  assertUuid(tenantId, 'getDeadLetter: tenantId');
  assertUuid(runId, 'getDeadLetter: runId');
  const { rows } = await pool.query<DeadLetterRow>(`${SELECT_DEAD_LETTER} WHERE r.id = $1 AND r.tenant_id = $2 AND r.dead_lettered_at IS NOT NULL AND r.discarded_at IS NULL AND ${PUBLISHED_VERSION}`, [runId, tenantId]);
  const row = rows[0];
  if (!row) return null;
  const steps = await pool.query<StepRow>(
    `SELECT node_id, activation_id, attempt, status, phase, input, output, error, started_at, finished_at, retry_at
       FROM steps WHERE run_id = $1 AND tenant_id = $2 ORDER BY started_at, attempt`,
    [runId, tenantId],
  );
  return {
    ...toDeadLetter(row),
    history: steps.rows.map((s) => ({
      nodeId: s.node_id,
      activationId: s.activation_id,
      attempt: s.attempt,
      status: s.status,
      phase: s.phase,
      input: s.input,
      output: s.output,
      error: s.error,
      startedAt: s.started_at,
      finishedAt: s.finished_at,
      retryAt: s.retry_at,
    })),
  };
}

export interface BulkReplayOptions {
  dryRun: boolean;
  version?: 'pinned' | 'latest';
  /** Most runs replayed by one call (default and maximum 1000): run it again for more. */
  limit?: number;
}

export type BulkReplayResult =
  | { status: 'dry_run'; count: number; wouldReplay: number }
  | {
      status: 'replayed';
      count: number;
      replayed: Array<{ originalRunId: string; runId: string }>;
      refused: Array<{ runId: string; message: string }>;
    };

export const MAX_BULK_REPLAY = 1000;

/**
 * Replays every dead letter matching `filter`, oldest first, each from the start with its recorded
 * input (so each keeps its step idempotency keys). A dry run only counts. Each replay is its own
 * transaction; a run replayed meanwhile by someone else is skipped, not replayed twice.
 */
export async function bulkReplay(pool: pg.Pool, tenantId: string, filter: DeadLetterFilter, opts: BulkReplayOptions): Promise<BulkReplayResult> {
  const limit = opts.limit ?? MAX_BULK_REPLAY;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BULK_REPLAY) {
    throw new TypeError(`bulkReplay: limit must be an integer from 1 to ${MAX_BULK_REPLAY} (got ${limit})`);
  }
  const w = deadLetterWhere(tenantId, filter);
  if (opts.dryRun) {
    const { rows } = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM runs r WHERE ${w.sql}`, w.params);
    const count = rows[0]?.count ?? 0;
    return { status: 'dry_run', count, wouldReplay: Math.min(count, limit) };
  }
  w.params.push(limit);
  const { rows } = await pool.query<{ id: string }>(
    `SELECT r.id FROM runs r WHERE ${w.sql} ORDER BY r.dead_lettered_at, r.id LIMIT $${w.params.length}`,
    w.params,
  );
  const replayed: Array<{ originalRunId: string; runId: string }> = [];
  const refused: Array<{ runId: string; message: string }> = [];
  for (const { id } of rows) {
    const result: ReplayRunResult = await replayRun(
      pool,
      { tenantId, runId: id, version: opts.version ?? 'pinned' },
      { skipIfReplayed: !filter.includeReplayed },
    );
    if (result.status === 'replayed') replayed.push({ originalRunId: id, runId: result.runId });
    else refused.push({ runId: id, message: result.status === 'refused' ? result.message : 'run not found' });
  }
  return { status: 'replayed', count: replayed.length, replayed, refused };
}

interface DeadLetterRow {
  id: string;
  workflow_id: string;
  workflow_name: string;
  version: number;
  status: RunStatus;
  dead_letter_reason: string | null;
  error: (StepError & { nodeId?: string }) | null;
  correlation_id: string;
  dead_lettered_at: Date;
  attempts: number;
  replays: number;
}

interface StepRow {
  node_id: string;
  activation_id: string;
  attempt: number;
  status: string;
  phase: string | null;
  input: unknown;
  output: unknown;
  error: StepError | null;
  started_at: Date;
  finished_at: Date;
  retry_at: Date | null;
}

const SELECT_DEAD_LETTER = `
  SELECT r.id, r.workflow_id, w.name AS workflow_name, v.version, r.status, r.dead_letter_reason, r.error, r.correlation_id,
         r.dead_lettered_at,
         (SELECT count(*)::int FROM steps s WHERE s.run_id = r.id AND s.tenant_id = r.tenant_id) AS attempts,
         (SELECT count(*)::int FROM runs x WHERE x.replay_of = r.id AND x.tenant_id = r.tenant_id) AS replays
    FROM runs r
    JOIN workflows w ON w.id = r.workflow_id AND w.tenant_id = r.tenant_id
    JOIN workflow_versions v ON v.id = r.version_id AND v.tenant_id = r.tenant_id`;

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    runId: row.id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    version: row.version,
    status: row.status,
    reason: row.dead_letter_reason ?? 'permanent_error',
    error: row.error,
    correlationId: row.correlation_id,
    deadLetteredAt: row.dead_lettered_at,
    attempts: row.attempts,
    replays: row.replays,
  };
}
