import type pg from 'pg';
import { assertUuid } from '../sql';
import type { RunStatus } from '../types';
import type { RunKey, RunSummary } from './runs';

/**
 * Run history reads for the runs screen: filtered lists and key search, both in (created_at desc,
 * id desc) order with keyset pagination. Hand-written SQL because the index plan is the contract:
 * every filter combination must be an index range that stops after one page (bench/src/scenarios/history.ts
 * checks the plans at 1M runs). Every query has the tenant in its `where`.
 */

export const ALL_RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
  'compensated',
  'compensation_failed',
];

export interface RunHistoryItem extends RunSummary {
  versionId: string;
  businessKeys: string[];
  /** The run this one replays, if it is a replay. */
  replayOfId: string | null;
}

export interface RunHistoryFilter {
  workflowId?: string;
  versionId?: string;
  status?: RunStatus;
  trigger?: string;
  correlationId?: string;
  /** Runs created at or after this instant. */
  from?: Date;
  /** Runs created before this instant. */
  to?: Date;
  limit: number;
  after?: RunKey;
}

export interface RunHistoryPage {
  items: RunHistoryItem[];
  next: RunKey | null;
}

export const MAX_PAGE_SIZE = 200;

/** A row of RUN_COLUMNS decorated with the workflow name and version number. */
export interface RunHistoryRow {
  id: string;
  workflow_id: string;
  version_id: string;
  status: RunStatus;
  trigger: string;
  correlation_id: string;
  idempotency_key: string | null;
  business_keys: string[] | null;
  replay_of: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error: RunSummary['error'];
  workflow_name: string;
  version: number;
}

export const RUN_COLUMNS = `r.id, r.tenant_id, r.workflow_id, r.version_id, r.status, r.trigger, r.correlation_id, r.idempotency_key,
  r.business_keys, r.replay_of, r.created_at, r.started_at, r.finished_at, r.error`;

/** Names and version numbers are joined after the page is cut, so they cost one probe per row shown. */
export function decorate(pageSql: string): string {
  return `SELECT p.*, w.name AS workflow_name, v.version
            FROM (${pageSql}) p
            JOIN workflows w ON w.id = p.workflow_id AND w.tenant_id = p.tenant_id
            JOIN workflow_versions v ON v.id = p.version_id AND v.tenant_id = p.tenant_id
           ORDER BY p.created_at DESC, p.id DESC`;
}

export function toItem(row: RunHistoryRow): RunHistoryItem {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    versionId: row.version_id,
    version: row.version,
    status: row.status,
    trigger: row.trigger,
    correlationId: row.correlation_id,
    idempotencyKey: row.idempotency_key,
    businessKeys: row.business_keys ?? [],
    replayOfId: row.replay_of,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.started_at && row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : null,
    error: row.error,
  };
}

function toPage(rows: RunHistoryRow[], limit: number): RunHistoryPage {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toItem), next: rows.length > limit && last ? { createdAt: last.created_at, id: last.id } : null };
}

function checkCommon(fn: string, tenantId: string, limit: number, after: RunKey | undefined): void {
  assertUuid(tenantId, `${fn}: tenantId`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new TypeError(`${fn}: limit must be a whole number from 1 to ${MAX_PAGE_SIZE} (got ${String(limit)})`);
  }
  if (after) {
    assertUuid(after.id, `${fn}: after.id`);
    if (!(after.createdAt instanceof Date) || Number.isNaN(after.createdAt.getTime())) throw new TypeError(`${fn}: after.createdAt must be a valid Date`);
  }
}

/**
 * One page of the tenant's runs. The indexes are (tenant, [workflow | version], [trigger], [status],
 * created_at, id); an equality column of the chosen index that is not filtered on is enumerated:
 * one ordered branch per value (statuses from the enum, triggers from the tenant's runs), merged by
 * the planner (Merge Append). Every row a branch reads is then a row of the page or one past it,
 * instead of a scan that skips non-matching runs or sorts every run of the workflow.
 */
export async function listRunHistory(pool: pg.Pool, tenantId: string, filter: RunHistoryFilter): Promise<RunHistoryPage> {
  checkCommon('listRunHistory', tenantId, filter.limit, filter.after);
  const params: unknown[] = [tenantId];
  const add = (value: unknown) => `$${params.push(value)}`;
  const where = ['r.tenant_id = $1'];
  if (filter.workflowId !== undefined) {
    assertUuid(filter.workflowId, 'listRunHistory: workflowId');
    where.push(`r.workflow_id = ${add(filter.workflowId)}::uuid`);
  }
  if (filter.versionId !== undefined) {
    assertUuid(filter.versionId, 'listRunHistory: versionId');
    where.push(`r.version_id = ${add(filter.versionId)}::uuid`);
  }
  if (filter.trigger !== undefined) where.push(`r.trigger = ${add(filter.trigger)}`);
  if (filter.correlationId !== undefined) where.push(`r.correlation_id = ${add(filter.correlationId)}`);
  for (const [key, op] of [['from', '>='], ['to', '<']] as const) {
    const value = filter[key];
    if (value === undefined) continue;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`listRunHistory: ${key} must be a valid Date`);
    where.push(`r.created_at ${op} ${add(value)}::timestamptz`);
  }
  if (filter.after) where.push(`(r.created_at, r.id) < (${add(filter.after.createdAt)}::timestamptz, ${add(filter.after.id)}::uuid)`);
  if (filter.status !== undefined && !ALL_RUN_STATUSES.includes(filter.status)) {
    throw new TypeError(`listRunHistory: status must be one of ${ALL_RUN_STATUSES.join(', ')} (got ${JSON.stringify(filter.status)})`);
  }
  const limit = add(filter.limit + 1);
  const branch = (extra: string[]) =>
    `SELECT ${RUN_COLUMNS} FROM runs r WHERE ${[...where, ...extra].join(' AND ')}
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}`;

  // Which equality columns the chosen index has in front of created_at (see the schema's indexes).
  const byCorrelation = filter.correlationId !== undefined;
  const indexHasTrigger = !byCorrelation && (filter.versionId !== undefined || (filter.workflowId !== undefined && (filter.trigger !== undefined || filter.status !== undefined)));
  const indexHasStatus = !byCorrelation && (indexHasTrigger || filter.trigger !== undefined || filter.status !== undefined);
  const triggers = filter.trigger !== undefined ? [filter.trigger] : indexHasTrigger ? await tenantTriggers(pool, tenantId) : [null];
  const statuses = filter.status !== undefined ? [filter.status] : indexHasStatus ? ALL_RUN_STATUSES : [null];
  if (triggers.length === 0) return { items: [], next: null };
  let pageSql: string;
  if (triggers.length * statuses.length > MERGE_APPEND_MAX_BRANCHES) {
    const fixed = filter.status !== undefined ? [`r.status = ${add(filter.status)}::run_status`] : [];
    pageSql = lateralPage([...where, ...fixed], limit, filter.trigger === undefined ? (triggers as string[]) : null, filter.status === undefined ? (statuses as RunStatus[]) : null, add);
  } else {
    const branches: string[] = [];
    for (const trigger of triggers) {
      for (const status of statuses) {
        const extra: string[] = [];
        if (trigger !== null && filter.trigger === undefined) extra.push(`r.trigger = ${add(trigger)}`);
        if (status !== null) extra.push(`r.status = ${add(status)}::run_status`);
        branches.push(branch(extra));
      }
    }
    pageSql =
      branches.length === 1
        ? branches[0]!
        : `SELECT * FROM (${branches.map((b) => `(${b})`).join('\nUNION ALL\n')}) b ORDER BY b.created_at DESC, b.id DESC LIMIT ${limit}`;
  }
  const { rows } = await pool.query<RunHistoryRow>(decorate(pageSql), params);
  return toPage(rows, filter.limit);
}

/**
 * Past this many branches a UNION ALL costs more to plan than to run (a version filter alone
 * enumerates every trigger × status: 40 branches, 6 to 20 ms of planning in the history bench).
 */
const MERGE_APPEND_MAX_BRANCHES = 8;

/**
 * The enumeration as one parameterised probe per (trigger, status) pair: a LATERAL subquery planned
 * once and run per pair, reading at most one page of (created_at, id) keys from the index each;
 * the page is cut from those keys and only its rows are read from the table.
 */
function lateralPage(where: string[], limit: string, triggers: string[] | null, statuses: RunStatus[] | null, add: (value: unknown) => string): string {
  const pairs = (triggers ?? [null]).flatMap((trigger) => (statuses ?? [null]).map((status) => [trigger, status] as const));
  const keys = [
    ...(triggers ? [`${add(pairs.map((p) => p[0]))}::text[]`] : []),
    ...(statuses ? [`${add(pairs.map((p) => p[1]))}::run_status[]`] : []),
  ];
  const columns = [...(triggers ? ['trigger'] : []), ...(statuses ? ['status'] : [])];
  const match = columns.map((c) => `r.${c} = b.${c}`);
  return `SELECT ${RUN_COLUMNS}
            FROM (SELECT k.created_at, k.id
                    FROM unnest(${keys.join(', ')}) AS b(${columns.join(', ')})
                    CROSS JOIN LATERAL (
                      SELECT r.created_at, r.id FROM runs r WHERE ${[...where, ...match].join(' AND ')}
                       ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}) k
                   ORDER BY k.created_at DESC, k.id DESC LIMIT ${limit}) page
            JOIN runs r ON r.id = page.id AND r.tenant_id = $1
           ORDER BY r.created_at DESC, r.id DESC`;
}

/**
 * The tenant's distinct trigger values (manual, webhook, schedule, …): a loose index scan over
 * (tenant_id, trigger, …), one probe per value, so new trigger kinds need no code change here.
 */
async function tenantTriggers(pool: pg.Pool, tenantId: string): Promise<string[]> {
  const { rows } = await pool.query<{ trigger: string }>(
    `WITH RECURSIVE t(trigger) AS (
       (SELECT r.trigger FROM runs r WHERE r.tenant_id = $1 ORDER BY r.trigger LIMIT 1)
       UNION ALL
       SELECT (SELECT r.trigger FROM runs r WHERE r.tenant_id = $1 AND r.trigger > t.trigger ORDER BY r.trigger LIMIT 1)
         FROM t WHERE t.trigger IS NOT NULL
     )
     SELECT trigger FROM t WHERE trigger IS NOT NULL`,
    [tenantId],
  );
  return rows.map((r) => r.trigger);
}

export interface RunSearchInput {
  /** A correlation id, idempotency key, business key or run id; matched exactly. */
  q: string;
  limit: number;
  after?: RunKey;
}

export const MAX_SEARCH_KEY_LENGTH = 200;

/**
 * Every run of the tenant, across workflows, whose correlation id or one of whose business keys
 * (which include the idempotency key) equals `q`, plus the replays of those runs (a replay keeps
 * the correlation id, and run_keys gives it its original's keys). Index use: the key branch is a
 * range of run_keys' primary key (tenant, key, created_at, run_id) read newest first and cut at one
 * page, so a key carried by a hundred thousand runs costs what a key of two does; correlation ids
 * through (tenant_id, correlation_id); a run id through the primary key and runs_replay_of_idx.
 */
export async function searchRuns(pool: pg.Pool, tenantId: string, input: RunSearchInput): Promise<RunHistoryPage> {
  checkCommon('searchRuns', tenantId, input.limit, input.after);
  const q = typeof input.q === 'string' ? input.q.trim() : '';
  if (q === '' || q.length > MAX_SEARCH_KEY_LENGTH) {
    throw new TypeError(`searchRuns: q must be 1 to ${MAX_SEARCH_KEY_LENGTH} characters (got ${q.length})`);
  }
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q);
  const params: unknown[] = [tenantId, q, input.limit + 1];
  const after = input.after ? `($${params.push(input.after.createdAt)}::timestamptz, $${params.push(input.after.id)}::uuid)` : null;
  // A run id matches that run and its replays (chains of replays too); they rarely number more than a few.
  const byId = isUuid
    ? `UNION
         (WITH RECURSIVE chain(id) AS (
            SELECT r.id FROM runs r WHERE r.tenant_id = $1 AND r.id = $2::uuid
            UNION
            SELECT x.id FROM runs x JOIN chain c ON x.replay_of = c.id WHERE x.tenant_id = $1)
          SELECT id FROM chain)`
    : '';
  const sql = `
    WITH hits(id) AS (
      (SELECT k.run_id FROM run_keys k
        WHERE k.tenant_id = $1 AND k.key = $2 ${after ? `AND (k.created_at, k.run_id) < ${after}` : ''}
        ORDER BY k.created_at DESC, k.run_id DESC LIMIT $3)
      UNION
      (SELECT r.id FROM runs r WHERE r.tenant_id = $1 AND r.correlation_id = $2)
      ${byId}
    )
    SELECT ${RUN_COLUMNS} FROM runs r
     WHERE r.tenant_id = $1 AND r.id IN (SELECT id FROM hits) ${after ? `AND (r.created_at, r.id) < ${after}` : ''}
     ORDER BY r.created_at DESC, r.id DESC LIMIT $3`;
  const { rows } = await pool.query<RunHistoryRow>(decorate(sql), params);
  return toPage(rows, input.limit);
}
