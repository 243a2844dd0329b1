import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { setTenantPolicy } from '@switchyard/db';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, enqueueMany, scaled, waitAllTerminal, type Fixture } from './fixture';
import { seededRandom, startReceiver, suiteSeed, type Receiver } from './receiver';

/**
 * Scenario 5: a flaky partner (30% 5xx, 10% 429 with Retry-After: 1) under many runs and two
 * worker processes. Every run ends succeeded or dead-lettered (failed, with dead_lettered_at),
 * each step key has at most one effect, and no key is sent again once its success was answered.
 */
const hasPostgres = await postgresAvailable();
const RUNS = scaled(100, 500);

describe.skipIf(!hasPostgres)('reliability: flaky receiver under load', () => {
  let fx: Fixture;
  let receiver: Receiver;
  const seed = suiteSeed();

  beforeAll(async () => {
    fx = await createFixture('flaky', { concurrency: 16 });
    const random = seededRandom(seed);
    receiver = await startReceiver({
      delayMs: () => 5 + Math.floor(random() * 40),
      fault: () => {
        const r = random();
        if (r < 0.3) return { status: r < 0.15 ? 503 : 500 };
        if (r < 0.4) return { status: 429, headers: { 'retry-after': '1' } };
        return undefined;
      },
    });
    fx.receivers.push(receiver);
  }, 600_000);
  afterAll(async () => fx?.cleanup());

  it('ends every run succeeded or dead-lettered, with zero duplicate effects', async () => {
    onTestFailed(() => console.warn(`[reliability] flaky-receiver seed=${seed} (RELIABILITY_SEED to replay)\n${fx.workers.report()}`));
    const wf = await publishWorkflow(fx.env.db, 'flaky', chainGraph(receiver.url, ['/order', '/invoice']));
    // The breaker is scenario 7's subject; here every failure must go through the retry policy.
    await setTenantPolicy(fx.env.db.pool, wf.tenantId, { breaker: { failureThreshold: 10_000, minimumCalls: 100_000 }, retry: { initialDelayMs: 200, maxDelayMs: 2000 } });
    fx.workers.start();
    fx.workers.start();
    const started = Date.now();
    await enqueueMany(fx.env.db.pool, wf, RUNS, 'flaky');
    await waitAllTerminal(fx.env.db.pool, scaled(120_000, 600_000));

    const { rows } = await fx.env.db.pool.query<{ id: string; status: string; dead_lettered_at: Date | null; error: { code?: string } | null }>(
      'SELECT id, status::text, dead_lettered_at, error FROM runs',
    );
    const succeeded = rows.filter((r) => r.status === 'succeeded');
    const dead = rows.filter((r) => r.status === 'failed' && r.dead_lettered_at !== null);
    expect(rows).toHaveLength(RUNS);
    expect(succeeded.length + dead.length).toBe(RUNS);
    expect(succeeded.length).toBeGreaterThan(RUNS / 2);
    // Three attempts at 40% failure: about one run in eight runs out of retries.
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.every((r) => /^http_(500|503|429)$/.test(r.error?.code ?? ''))).toBe(true);

    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });
    expect(receiver.resentAfterSuccess()).toEqual([]);
    // Succeeded runs made both effects; dead-lettered ones stopped at the step that failed.
    const effects = await fx.env.db.pool.query<{ run_id: string; n: number }>(
      `SELECT run_id, count(*)::int AS n FROM steps WHERE status = 'succeeded' AND node_id LIKE 'h%' GROUP BY run_id`,
    );
    const perRun = new Map(effects.rows.map((r) => [r.run_id, r.n]));
    expect(succeeded.every((r) => perRun.get(r.id) === 2)).toBe(true);
    expect(dead.every((r) => (perRun.get(r.id) ?? 0) < 2)).toBe(true);
    console.warn(
      `[reliability] flaky-receiver runs=${RUNS} succeeded=${succeeded.length} dead_lettered=${dead.length} deliveries=${receiver.deliveries.length} effects=${receiver.effects.size} seconds=${((Date.now() - started) / 1000).toFixed(1)} seed=${seed}`,
    );
  }, 660_000);
});
