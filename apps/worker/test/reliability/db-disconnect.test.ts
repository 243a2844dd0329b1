import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, enqueueMany, scaled, sleep, waitAllTerminal, type Fixture, type Published } from './fixture';
import type { WorkerProcess } from './processes';
import { startReceiver, type Receiver } from './receiver';

/**
 * Scenario 3: every connection to the database is terminated (pg_terminate_backend), several
 * times, while runs are in the middle of steps and commits. Workers must survive it (a dropped
 * pooled or LISTEN connection is an error to retry, not a crash), and every run must complete with
 * one effect per step key.
 */
const hasPostgres = await postgresAvailable();
const RUNS = scaled(30, 150);
const ROUNDS = scaled(8, 15);

describe.skipIf(!hasPostgres)('reliability: all database connections terminated mid-run', () => {
  let fx: Fixture;
  let receiver: Receiver;
  let wf: Published;

  beforeAll(async () => {
    fx = await createFixture('dbkill', { concurrency: 10 });
    receiver = await startReceiver({ delayMs: () => 50 + Math.floor(Math.random() * 150) });
    fx.receivers.push(receiver);
    wf = await publishWorkflow(fx.env.db, 'dbkill', chainGraph(receiver.url, ['/a', '/b', '/c']));
  }, 600_000);
  afterAll(async () => fx?.cleanup());

  /** Terminates every other backend of the test database; returns how many. */
  async function terminateAll(): Promise<number> {
    const { rows } = await fx.env.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
       ) t`,
    );
    return rows[0]!.n;
  }

  /** Strikes while calls are in flight, so answers arrive to workers whose connections are gone. */
  async function strike(rounds: number, onRound: () => void = () => undefined): Promise<number> {
    let terminated = 0;
    for (let round = 0; round < rounds; round++) {
      const before = receiver.deliveries.length;
      for (let i = 0; i < 100 && receiver.deliveries.length === before; i++) await sleep(20);
      await sleep(200 + Math.floor(Math.random() * 400));
      terminated += await terminateAll();
      onRound();
    }
    return terminated;
  }

  // Connections checked out of the pool carry an error listener (packages/db openDatabase), so a
  // terminated backend fails the statement in flight instead of killing the process.
  it('keeps the worker processes alive', async () => {
    const workers = [fx.workers.start(), fx.workers.start()];
    await enqueueMany(fx.env.db.pool, wf, RUNS, 'dbkill-a');
    const dead = (ws: WorkerProcess[]) => ws.filter((w) => !w.alive).map((w) => `${w.id}: ${w.output.find((l) => l.includes('rror')) ?? 'no output'}`);
    await strike(ROUNDS, () => expect(dead(workers)).toEqual([]));
    await waitAllTerminal(fx.env.db.pool, 60_000);
    expect(dead(workers)).toEqual([]);
  }, 120_000);

  it('completes every run when crashed workers are restarted (as a supervisor would)', async () => {
    onTestFailed(() => console.warn(fx.workers.report()));
    await fx.workers.killAll();
    const ids = await enqueueMany(fx.env.db.pool, wf, RUNS, 'dbkill-b');
    fx.workers.start();
    fx.workers.start();
    const supervise = () => {
      for (let i = fx.workers.running.length; i < 2; i++) fx.workers.start();
    };
    const terminated = await strike(ROUNDS, supervise);
    const supervisor = setInterval(supervise, 500);
    try {
      await waitAllTerminal(fx.env.db.pool, 90_000);
    } finally {
      clearInterval(supervisor);
    }
    expect(terminated).toBeGreaterThan(ROUNDS);
    const { rows } = await fx.env.db.pool.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM runs GROUP BY 1`);
    expect(rows).toEqual([{ status: 'succeeded', n: await countRuns() }]);
    expect(ids).toHaveLength(RUNS);
    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });
    expect(receiver.effects.size).toBe((await countRuns()) * 3);
  }, 150_000);

  async function countRuns(): Promise<number> {
    return (await fx.env.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')).rows[0]!.n;
  }
});
