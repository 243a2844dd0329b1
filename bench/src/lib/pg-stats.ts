import pg from 'pg';

/**
 * What PostgreSQL did for a workload: committed transactions of this database (pg_stat_database),
 * WAL written (cluster-wide LSN delta) and growth of the run tables. Each snapshot is itself one
 * transaction; `diff` takes that out.
 */

export interface PgSnapshot {
  at: number;
  xactCommit: number;
  xactRollback: number;
  tupInserted: number;
  tupUpdated: number;
  walBytes: number;
  /** WAL position (flushed) at the snapshot, for walOfDatabase. */
  lsn: string;
  tableBytes: number;
}

export async function pgSnapshot(pool: pg.Pool): Promise<PgSnapshot> {
  const { rows } = await pool.query<{
    xact_commit: string;
    xact_rollback: string;
    tup_inserted: string;
    tup_updated: string;
    wal: string;
    lsn: string;
    table_bytes: string;
  }>(
    `SELECT d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated,
            pg_wal_lsn_diff(pg_current_wal_flush_lsn(), '0/0')::text AS wal, pg_current_wal_flush_lsn()::text AS lsn,
            (pg_total_relation_size('runs') + pg_total_relation_size('steps'))::text AS table_bytes
       FROM pg_stat_database d WHERE d.datname = current_database()`,
  );
  const r = rows[0];
  if (!r) throw new Error('pg_stat_database has no row for the bench database');
  return {
    at: Date.now(),
    xactCommit: Number(r.xact_commit),
    xactRollback: Number(r.xact_rollback),
    tupInserted: Number(r.tup_inserted),
    tupUpdated: Number(r.tup_updated),
    walBytes: Number(r.wal),
    lsn: r.lsn,
    tableBytes: Number(r.table_bytes),
  };
}

export interface PgDelta {
  seconds: number;
  commits: number;
  rollbacks: number;
  inserted: number;
  updated: number;
  walBytes: number;
  tableBytes: number;
}

/** b − a, less `ownQueries` transactions the harness itself ran in between (the snapshot `a` counts as one). */
export function pgDiff(a: PgSnapshot, b: PgSnapshot, ownQueries = 0): PgDelta {
  return {
    seconds: (b.at - a.at) / 1000,
    commits: b.xactCommit - a.xactCommit - 1 - ownQueries,
    rollbacks: b.xactRollback - a.xactRollback,
    inserted: b.tupInserted - a.tupInserted,
    updated: b.tupUpdated - a.tupUpdated,
    walBytes: b.walBytes - a.walBytes,
    tableBytes: b.tableBytes - a.tableBytes,
  };
}

/**
 * Backends publish their transaction counts to pg_stat_database at most once a second while busy
 * and up to 10 s after going idle (PostgreSQL 15's PGSTAT_IDLE_INTERVAL), so a count read right after
 * a burst misses part of it. Full runs wait this long before the closing snapshot.
 */
export const STATS_SETTLE_MS = 11_000;

export interface DatabaseWal {
  bytes: number;
  records: number;
  /** Of `bytes`, full-page images (first change of a page after a checkpoint). */
  fpiBytes: number;
}

/**
 * WAL written for this database alone between two snapshots. The LSN delta is cluster-wide, and on
 * a shared server other databases can write far more than the benchmark does; pg_walinspect reads
 * the records themselves, keeping those whose block references are in this database (plus the
 * commit records of their transactions). Null when the extension is not available.
 */
export async function walOfDatabase(pool: pg.Pool, a: PgSnapshot, b: PgSnapshot): Promise<DatabaseWal | null> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    const { rows } = await pool.query<{ bytes: string; records: string; fpi: string }>(
      `WITH r AS (
         SELECT xid::text AS xid, resource_manager, record_length, fpi_length, block_ref
           FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
       ), pattern AS (
         SELECT '%rel ' || dattablespace || '/' || oid || '/%' AS p FROM pg_database WHERE datname = current_database()
       ), mine AS (
         SELECT DISTINCT xid FROM r, pattern WHERE r.block_ref LIKE pattern.p AND r.xid <> '0'
       )
       SELECT coalesce(sum(record_length), 0)::text AS bytes, count(*)::text AS records, coalesce(sum(fpi_length), 0)::text AS fpi
         FROM r, pattern
        WHERE r.block_ref LIKE pattern.p OR (r.resource_manager = 'Transaction' AND r.xid IN (SELECT xid FROM mine))`,
      [a.lsn, b.lsn],
    );
    const row = rows[0];
    return row ? { bytes: Number(row.bytes), records: Number(row.records), fpiBytes: Number(row.fpi) } : null;
  } catch (err) {
    console.warn(`[bench] WAL of the bench database could not be read with pg_walinspect (${(err as Error).message}); using the cluster-wide LSN delta`);
    return null;
  }
}

/**
 * Keeps the server from recycling WAL segments while a window is measured (other databases on a
 * shared server can write enough WAL to force checkpoints within seconds, and walOfDatabase can
 * only read segments that still exist). A temporary physical replication slot reserves WAL from
 * now on and disappears with its session, so a crashed harness cannot leave it behind.
 */
export async function holdWal(url: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url, application_name: 'switchyard-bench-wal-hold' });
  try {
    await client.connect();
    await client.query('SELECT pg_create_physical_replication_slot($1, true, true)', [`switchyard_bench_${process.pid}_${Date.now()}`]);
  } catch (err) {
    console.warn(`[bench] could not reserve WAL for the measurement (${(err as Error).message}); WAL per run may fall back to the cluster-wide figure`);
    await client.end().catch(() => undefined);
    return async () => undefined;
  }
  return async () => {
    await client.end().catch(() => undefined);
  };
}
