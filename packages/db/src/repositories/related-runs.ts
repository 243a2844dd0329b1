import type pg from 'pg';
import { assertUuid } from '../sql';
import { RUN_COLUMNS, decorate, toItem, type RunHistoryItem, type RunHistoryRow } from './run-history';

export interface RelatedRuns {
  /** The run this one replays. */
  replayOf: RunHistoryItem | null;
  /** Runs that replay this one, newest first. */
  replays: RunHistoryItem[];
  /** Other runs of the tenant (any workflow) sharing one of this run's business keys, newest first. */
  sameKey: RunHistoryItem[];
  /** The run that called this one (workflow.call), if any. */
  parent: RunHistoryItem | null;
  /** Runs this one called, newest first. */
  children: RunHistoryItem[];
}

export const RELATED_LIMIT = 20;

/**
 * The run page's "related runs": its original, its replays, the other runs that touched the same
 * business keys, and its caller and callees (workflow.call). Null when the run is not the tenant's. Index use: primary key, runs_replay_of_idx,
 * and the GIN index on business_keys (`&&`: any key in common).
 */
export async function relatedRuns(pool: pg.Pool, tenantId: string, runId: string): Promise<RelatedRuns | null> {
  assertUuid(tenantId, 'relatedRuns: tenantId');
  assertUuid(runId, 'relatedRuns: runId');
  const self = await pool.query<{ replay_of: string | null; business_keys: string[] | null; parent_run_id: string | null }>(
    'SELECT replay_of, business_keys, parent_run_id FROM runs WHERE id = $1 AND tenant_id = $2',
    [runId, tenantId],
  );
  const run = self.rows[0];
  if (!run) return null;
  const keys = run.business_keys ?? [];
  const [original, replays, sameKey, parent, children] = await Promise.all([
    run.replay_of
      ? pool.query<RunHistoryRow>(decorate(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = $1 AND r.tenant_id = $2`), [run.replay_of, tenantId])
      : null,
    pool.query<RunHistoryRow>(
      decorate(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.replay_of = $1 AND r.tenant_id = $2 ORDER BY r.created_at DESC, r.id DESC LIMIT ${RELATED_LIMIT}`),
      [runId, tenantId],
    ),
    keys.length === 0
      ? null
      : pool.query<RunHistoryRow>(
          decorate(
            `SELECT ${RUN_COLUMNS} FROM runs r WHERE r.tenant_id = $1 AND r.business_keys && $2::text[] AND r.id <> $3
              ORDER BY r.created_at DESC, r.id DESC LIMIT ${RELATED_LIMIT}`,
          ),
          [tenantId, keys, runId],
        ),
    run.parent_run_id
      ? pool.query<RunHistoryRow>(decorate(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = $1 AND r.tenant_id = $2`), [run.parent_run_id, tenantId])
      : null,
    // Index use: runs_parent_run_id_idx.
    pool.query<RunHistoryRow>(
      decorate(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.parent_run_id = $1 AND r.tenant_id = $2 ORDER BY r.created_at DESC, r.id DESC LIMIT ${RELATED_LIMIT}`),
      [runId, tenantId],
    ),
  ]);
  return {
    replayOf: original?.rows[0] ? toItem(original.rows[0]) : null,
    replays: replays.rows.map(toItem),
    sameKey: sameKey ? sameKey.rows.map(toItem) : [],
    parent: parent?.rows[0] ? toItem(parent.rows[0]) : null,
    children: children.rows.map(toItem),
  };
}
