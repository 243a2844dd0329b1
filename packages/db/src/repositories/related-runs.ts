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
}

export const RELATED_LIMIT = 20;

/**
 * The run page's "related runs": its original, its replays and the other runs that touched the same
 * business keys. Null when the run is not the tenant's. Index use: primary key, runs_replay_of_idx,
 * and the GIN index on business_keys (`&&`: any key in common).
 */
export async function relatedRuns(pool: pg.Pool, tenantId: string, runId: string): Promise<RelatedRuns | null> {
  assertUuid(tenantId, 'relatedRuns: tenantId');
  assertUuid(runId, 'relatedRuns: runId');
  const self = await pool.query<{ replay_of: string | null; business_keys: string[] | null }>(
    'SELECT replay_of, business_keys FROM runs WHERE id = $1 AND tenant_id = $2',
    [runId, tenantId],
  );
  const run = self.rows[0];
  if (!run) return null;
  const keys = run.business_keys ?? [];
  const [parent, replays, sameKey] = await Promise.all([
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
  ]);
  return {
    replayOf: parent?.rows[0] ? toItem(parent.rows[0]) : null,
    replays: replays.rows.map(toItem),
    sameKey: sameKey ? sameKey.rows.map(toItem) : [],
  };
}
