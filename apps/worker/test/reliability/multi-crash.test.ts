import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, enqueueMany, scaled, waitAllTerminal, waitFor, type Fixture } from './fixture';
import { startReceiver, type Receiver } from './receiver';

/**
 * Scenario 1 (crash.test.ts covers one run): a worker SIGKILLed while many runs are in the middle
 * of a step. Its runs resume on the surviving worker after their leases expire; steps committed
 * before the kill are never sent again, only the steps in flight are re-sent (same key), and the
 * receiver ends with one effect per step key.
 */
const hasPostgres = await postgresAvailable();
const RUNS = scaled(12, 40);

describe.skipIf(!hasPostgres)('reliability: SIGKILL with several runs in flight', () => {
  let fx: Fixture;
  let receiver: Receiver;

  beforeAll(async () => {
    fx = await createFixture('multicrash', { concurrency: RUNS });
    receiver = await startReceiver({ delayMs: (p) => (p === '/slow' ? 1200 : 20) });
    fx.receivers.push(receiver);
  }, 600_000);
  afterAll(async () => fx?.cleanup());

  it('resumes every run elsewhere, re-sending only the steps that were in flight', async () => {
    onTestFailed(() => console.warn(fx.workers.report()));
    const wf = await publishWorkflow(fx.env.db, 'crashy', chainGraph(receiver.url, ['/a', '/slow', '/c']));
    const victim = fx.workers.start({ id: 'victim' });
    await enqueueMany(fx.env.db.pool, wf, RUNS, 'crash');

    // Kill once most runs are inside the slow step.
    await waitFor('runs to be inside the slow step', async () => receiver.deliveries.filter((d) => d.path === '/slow').length >= Math.ceil(RUNS * 0.75), 30_000, 20);
    const committed = await fx.env.db.pool.query<{ idempotency_key: string }>(`SELECT idempotency_key FROM steps WHERE status = 'succeeded' AND node_id LIKE 'h%'`);
    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    expect(committed.rows.length).toBeGreaterThan(0);

    fx.workers.start({ id: 'survivor' });
    await waitAllTerminal(fx.env.db.pool, 60_000);

    const { rows } = await fx.env.db.pool.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM runs GROUP BY 1`);
    expect(rows).toEqual([{ status: 'succeeded', n: RUNS }]);
    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });
    expect(receiver.effects.size).toBe(RUNS * 3);

    // What was committed before the kill is never sent again.
    const committedKeys = new Set(committed.rows.map((r) => r.idempotency_key));
    const resentCommitted = receiver.deliveries.filter((d) => d.at > killedAt && d.key && committedKeys.has(d.key));
    expect(resentCommitted).toEqual([]);
    // Only keys first sent before the kill (in flight then) may have been delivered twice.
    const firstSent = new Map<string, number>();
    for (const d of receiver.deliveries) if (d.key && !firstSent.has(d.key)) firstSent.set(d.key, d.at);
    const counts = new Map<string, number>();
    for (const d of receiver.deliveries) if (d.key) counts.set(d.key, (counts.get(d.key) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
    expect(repeated.length).toBeGreaterThan(0);
    expect(repeated.filter((k) => firstSent.get(k)! > killedAt)).toEqual([]);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  }, 120_000);
});
