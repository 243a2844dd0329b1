import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { enqueueRun } from '@switchyard/db';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, scaled, sleep, waitAllTerminal, type Fixture } from './fixture';
import { seededRandom, startReceiver, suiteSeed, type Receiver } from './receiver';

/**
 * Scenario 8: a soak with random worker kills. Three worker processes, a steady stream of runs,
 * and every few seconds a random worker is SIGKILLed and a fresh one started. At the end every
 * accepted run is terminal (succeeded), and each step key had exactly one effect.
 */
const hasPostgres = await postgresAvailable();
const DURATION_MS = scaled(45_000, 300_000);
const RUNS_PER_SECOND = 5;
const WORKERS = 3;

describe.skipIf(!hasPostgres)('reliability: soak with random worker kills', () => {
  let fx: Fixture;
  let receiver: Receiver;
  const seed = suiteSeed();
  const random = seededRandom(seed);

  beforeAll(async () => {
    fx = await createFixture('soak', { concurrency: 8 });
    receiver = await startReceiver({ delayMs: () => 20 + Math.floor(random() * 300) });
    fx.receivers.push(receiver);
  }, 600_000);
  afterAll(async () => fx?.cleanup());

  it('ends with accepted runs = terminal runs and no duplicate effects', async () => {
    onTestFailed(() => console.warn(`[reliability] soak seed=${seed}\n${fx.workers.report()}`));
    const wf = await publishWorkflow(fx.env.db, 'soak', chainGraph(receiver.url, ['/a', '/b', '/c']));
    for (let i = 0; i < WORKERS; i++) fx.workers.start();

    const accepted: string[] = [];
    let kills = 0;
    const end = Date.now() + DURATION_MS;
    const producer = (async () => {
      for (let i = 0; Date.now() < end; i++) {
        const { runId } = await enqueueRun(fx.env.db.pool, { ...wf, trigger: 'manual', correlationId: `soak-${i}`, payload: { i } });
        accepted.push(runId);
        await sleep(1000 / RUNS_PER_SECOND);
      }
    })();
    const killer = (async () => {
      while (Date.now() < end - 2000) {
        await sleep(2500 + Math.floor(random() * 2500));
        const running = fx.workers.running;
        const victim = running[Math.floor(random() * running.length)];
        if (!victim) continue;
        await victim.kill('SIGKILL');
        kills++;
        fx.workers.start();
      }
    })();
    await Promise.all([producer, killer]);
    await waitAllTerminal(fx.env.db.pool, 120_000);

    const { rows } = await fx.env.db.pool.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM runs GROUP BY 1`);
    console.warn(
      `[reliability] soak seconds=${DURATION_MS / 1000} accepted=${accepted.length} kills=${kills} workers_started=${fx.workers.everStarted.length} deliveries=${receiver.deliveries.length} effects=${receiver.effects.size} seed=${seed}`,
    );
    expect(kills).toBeGreaterThanOrEqual(Math.floor(DURATION_MS / 5000) - 1);
    expect(rows).toEqual([{ status: 'succeeded', n: accepted.length }]);
    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });
    expect(receiver.effects.size).toBe(accepted.length * 3);
    // At-least-once with kills: a key is re-sent only when a worker died with it in flight.
    const perKey = new Map<string, number>();
    for (const d of receiver.deliveries) if (d.key) perKey.set(d.key, (perKey.get(d.key) ?? 0) + 1);
    expect([...perKey.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(kills * 8 * 2);
  }, DURATION_MS + 300_000);
});
