import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimRuns, enqueueRun, migrate, openDatabase, PgRunStore, RUN_DONE_CHANNEL, waitForRunResponse, type Database, type RunCommit } from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

// The one-statement step commit and the run-done announcement (run-store.ts), on both backends.

const state = (seq: number, extra: Partial<RunCommit['state']> = {}) => ({ pending: [], outputs: { n: seq }, seq, ...extra });

function stepOf(activationId: string, output: unknown) {
  const now = Date.now();
  return { nodeId: 'map', activationId, attempt: 1, status: 'succeeded' as const, idempotencyKey: `k:${activationId}`, input: null, output, port: 'out', startedAt: now, finishedAt: now, durationMs: 0 };
}

describe.each(backends)('run store hot path on $name', (backend) => {
  if (backend.skipReason) {
    it.skip(`skipped: ${backend.skipReason}`, () => undefined);
    return;
  }
  let target: TestDatabase;
  let db: Database;
  let store: PgRunStore;

  beforeAll(async () => {
    target = await backend.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: backend.name, poolMax: 4 });
    store = new PgRunStore(db.pool);
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });

  async function claimedRun() {
    const ids = await publishWorkflow(db);
    const { runId } = await enqueueRun(db.pool, { ...ids, trigger: 'manual', correlationId: 'c', payload: {} });
    const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 });
    return { runId, run: run!, ids };
  }

  it('writes state and steps of a running commit in one statement, fenced by the lease token, JSON null kept apart from absent', async () => {
    const { runId, run } = await claimedRun();
    expect(await store.commit(runId, run.leaseToken, { steps: [stepOf('a1', null), stepOf('a2', { x: [1] })], state: state(3), status: 'running', waits: [] })).toBe('ok');
    // A stale token writes nothing, neither the run nor its steps.
    expect(await store.commit(runId, run.leaseToken - 1, { steps: [stepOf('a3', 1)], state: state(9), status: 'running', waits: [] })).toBe('lease-lost');
    const steps = await db.pool.query<{ activation_id: string; output: unknown; input_is_sql_null: boolean; error_is_sql_null: boolean }>(
      'SELECT activation_id, output, input IS NULL AS input_is_sql_null, error IS NULL AS error_is_sql_null FROM steps WHERE run_id = $1 ORDER BY activation_id',
      [runId],
    );
    expect(steps.rows).toEqual([
      // JSON null input is stored as JSON null; the absent error as SQL NULL (as the transaction path does).
      { activation_id: 'a1', output: null, input_is_sql_null: false, error_is_sql_null: true },
      { activation_id: 'a2', output: { x: [1] }, input_is_sql_null: false, error_is_sql_null: true },
    ]);
    const row = await db.pool.query<{ state: { seq: number }; status: string }>('SELECT state, status FROM runs WHERE id = $1', [runId]);
    expect(row.rows[0]).toMatchObject({ state: { seq: 3 }, status: 'running' });
  });

  it.runIf(backend.name === 'postgres')('announces a run that responded or ended on the run-done channel, and not a plain step', async () => {
    const { runId, run, ids } = await claimedRun();
    const listener = new pg.Client({ connectionString: target.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (msg) => heard.push(msg.payload ?? ''));
    await listener.query(`LISTEN ${RUN_DONE_CHANNEL}`);
    try {
      await store.commit(runId, run.leaseToken, { steps: [stepOf('a1', 1)], state: state(2), status: 'running', waits: [] });
      const response = { status: 200, headers: {}, body: { ok: true } };
      await store.commit(runId, run.leaseToken, { steps: [stepOf('a2', 2)], state: state(3, { response }), status: 'running', waits: [] });
      await listener.query('SELECT 1');
      expect(heard).toEqual([runId]);
      expect(await waitForRunResponse(db.pool, ids.tenantId, runId, 2000)).toEqual({ kind: 'response', status: 'running', response });
      await store.commit(runId, run.leaseToken, { steps: [], state: state(4, { response }), status: 'succeeded', waits: [] });
      await listener.query('SELECT 1');
      expect(heard).toEqual([runId, runId]);
      // The waiter's own LISTEN connection is up, outside the pool.
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'switchyard-run-done'`,
      );
      expect(rows[0]!.n).toBe(1);
    } finally {
      await listener.end();
    }
  });
});
