import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, enqueueMany, scaled, sleep, waitAllTerminal, type Fixture } from './fixture';
import { startReceiver, type Receiver } from './receiver';

/**
 * Scenario 3: every connection to the database is terminated (pg_terminate_backend), several
 * times, while runs are in the middle of steps and commits. Workers must survive it (no crash on a
 * dropped pooled or LISTEN connection), and every run must still complete with one effect per key.
 */
const hasPostgres = await postgresAvailable();
const RUNS = scaled(30, 150);
const ROUNDS = scaled(5, 12);

describe.skipIf(!hasPostgres)('reliability: all database connections terminated mid-run', () => {
  let fx: Fixture;
  let receiver: Receiver;

  beforeAll(async () => {
    fx = await createFixture('dbkill', { concurrency: 10 });
    receiver = await startReceiver({ delayMs: () => 50 + Math.floor(Math.random() * 150) });
    fx.receivers.push(receiver);
  }, 600_000);
  afterAll(async () => fx?.cleanup());

  it('completes every run, and the workers stay up', async () => {
    onTestFailed(() => console.warn(fx.workers.report()));
    const wf = await publishWorkflow(fx.env.db, 'dbkill', chainGraph(receiver.url, ['/a', '/b', '/c']));
    const workers = [fx.workers.start(), fx.workers.start()];
    await enqueueMany(fx.env.db.pool, wf, RUNS, 'dbkill');

    let terminated = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Strike while calls are in flight, so some answers arrive to a worker without a connection.
      const before = receiver.deliveries.length;
      for (let i = 0; i < 100 && receiver.deliveries.length === before; i++) await sleep(20);
      await sleep(300 + Math.floor(Math.random() * 400));
      const { rows } = await fx.env.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
         ) t`,
      );
      terminated += rows[0]!.n;
    }
    // Our own pool lost connections too; the pool replaces them.
    await waitAllTerminal(fx.env.db.pool, 90_000);

    expect(terminated).toBeGreaterThan(ROUNDS);
    expect(workers.map((w) => w.alive)).toEqual([true, true]);
    const { rows } = await fx.env.db.pool.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM runs GROUP BY 1`);
    expect(rows).toEqual([{ status: 'succeeded', n: RUNS }]);
    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });
    expect(receiver.effects.size).toBe(RUNS * 3);
  }, 150_000);
});
