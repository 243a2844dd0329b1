import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { listBreakers, setTenantPolicy } from '@switchyard/db';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, enqueueMany, sleep, waitAllTerminal, waitFor, type Fixture } from './fixture';
import { startReceiver, type Receiver } from './receiver';

/**
 * Scenario 7: one tenant's endpoint fails on a host that another tenant calls too. The failing
 * tenant's breaker for that host opens (and its runs stop calling); the other tenant's breaker
 * stays closed and its runs keep succeeding.
 */
const hasPostgres = await postgresAvailable();
const RUNS = 12;

describe.skipIf(!hasPostgres)("reliability: a failing endpoint opens that tenant's breaker only", () => {
  let fx: Fixture;
  let receiver: Receiver;

  beforeAll(async () => {
    fx = await createFixture('breaker', { concurrency: 8 });
    receiver = await startReceiver({ delayMs: () => 30, fault: (p) => (p === '/down' ? { status: 503 } : undefined) });
    fx.receivers.push(receiver);
  }, 600_000);
  afterAll(async () => fx?.cleanup());

  it('opens the breaker of the failing tenant × host and leaves the other tenant unaffected', async () => {
    onTestFailed(() => console.warn(fx.workers.report()));
    const failing = await publishWorkflow(fx.env.db, 'failing', chainGraph(receiver.url, ['/down']));
    const healthy = await publishWorkflow(fx.env.db, 'healthy', chainGraph(receiver.url, ['/up', '/up2']));
    await setTenantPolicy(fx.env.db.pool, failing.tenantId, {
      breaker: { failureThreshold: 3, cooldownMs: 120_000 },
      retry: { maxAttempts: 10, initialDelayMs: 100, backoffFactor: 1, jitter: 0 },
    });
    // The healthy tenant keeps the platform defaults (threshold 5): the same host must stay closed for it.
    fx.workers.start();
    fx.workers.start();
    const failingRuns = await enqueueMany(fx.env.db.pool, failing, RUNS, 'failing');
    const healthyRuns = await enqueueMany(fx.env.db.pool, healthy, RUNS, 'healthy');

    await waitFor('the failing tenant\'s breaker to open', async () => (await listBreakers(fx.env.db.pool, failing.tenantId)).some((b) => b.host === receiver.host && b.state === 'open'), 30_000);
    await waitAllTerminal(fx.env.db.pool, 30_000, healthyRuns);
    // Calls already past the breaker when it opened may still land; after that, none.
    await sleep(500);
    const downCalls = receiver.deliveries.filter((d) => d.path === '/down').length;
    await sleep(2000);
    expect(receiver.deliveries.filter((d) => d.path === '/down')).toHaveLength(downCalls);
    // Without the breaker the failing runs would have made up to RUNS × 10 calls.
    expect(downCalls).toBeLessThan(3 + 2 * 8);

    const breakersOfFailing = await listBreakers(fx.env.db.pool, failing.tenantId);
    expect(breakersOfFailing.map((b) => ({ host: b.host, state: b.state }))).toEqual([{ host: receiver.host, state: 'open' }]);
    const breakersOfHealthy = await listBreakers(fx.env.db.pool, healthy.tenantId);
    expect(breakersOfHealthy.every((b) => b.state === 'closed' && b.consecutiveFailures === 0)).toBe(true);

    const status = async (ids: string[]) =>
      (await fx.env.db.pool.query<{ status: string; n: number }>('SELECT status::text, count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) GROUP BY 1', [ids])).rows;
    expect(await status(healthyRuns)).toEqual([{ status: 'succeeded', n: RUNS }]);
    // The failing tenant's runs wait for the cooldown instead of burning their attempts.
    const parked = await status(failingRuns);
    expect(parked.filter((r) => r.status === 'succeeded')).toEqual([]);
    expect(parked.reduce((sum, r) => sum + r.n, 0)).toBe(RUNS);
    expect(parked.find((r) => r.status === 'failed')).toBeUndefined();

    expect(receiver.effects.size).toBe(RUNS * 2);
    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });
  }, 90_000);
});
