import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { enqueueRun } from '@switchyard/db';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, sleep, waitFor, type Fixture } from './fixture';
import { startReceiver, type Receiver } from './receiver';

/**
 * Scenario 2: a worker that is alive but frozen (SIGSTOP, like a long GC pause or a VM stall) past
 * its lease. A second worker takes the run over and finishes it. When the first one is thawed, the
 * answer to its in-flight call is already waiting in its socket: it tries to commit it with its old
 * fencing token, and that late write must be rejected.
 */
const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)('reliability: lease taken over from a paused worker', () => {
  let fx: Fixture;
  let receiver: Receiver;

  beforeAll(async () => {
    // warn: the thawed worker's "lease lost" line is part of what the test checks.
    fx = await createFixture('takeover', { logLevel: 'warn', leaseMs: 1500 });
    // The first delivery is answered while the first worker is frozen; later ones at once.
    receiver = await startReceiver({ delayMs: (p, n) => (p === '/slow' && n === 1 ? 300 : 0) });
    fx.receivers.push(receiver);
  }, 600_000);
  afterAll(async () => fx?.cleanup());

  it("rejects the paused worker's late commit; the run's result is the second worker's", async () => {
    onTestFailed(() => console.warn(fx.workers.report()));
    // A long step timeout, so the thawed worker sees the answer rather than its own timeout.
    const wf = await publishWorkflow(fx.env.db, 'takeover', chainGraph(receiver.url, ['/first', '/slow'], undefined, 60_000));
    const { runId } = await enqueueRun(fx.env.db.pool, { ...wf, trigger: 'manual', correlationId: 'takeover-1', payload: {} });

    const inSlow = new Promise<void>((resolve) => receiver.onDelivery((d) => d.path === '/slow' && resolve()));
    const first = fx.workers.start({ id: 'first' });
    await inSlow;
    first.pause();
    const tokenBefore = (await fx.env.db.pool.query<{ lease_token: number }>('SELECT lease_token FROM runs WHERE id = $1', [runId])).rows[0]!.lease_token;

    const second = fx.workers.start({ id: 'second' });
    await waitFor('the second worker to finish the run', async () => {
      const { rows } = await fx.env.db.pool.query<{ status: string }>('SELECT status::text FROM runs WHERE id = $1', [runId]);
      return rows[0]!.status === 'succeeded';
    }, 60_000);
    const finished = (await fx.env.db.pool.query('SELECT result, lease_token, updated_at FROM runs WHERE id = $1', [runId])).rows[0];
    expect(finished.lease_token).toBeGreaterThan(tokenBefore);
    await second.kill('SIGTERM');

    // Thaw the first worker: its call's answer (delivery 1) is waiting; it must not land.
    first.resume();
    await waitFor('the thawed worker to notice it lost the lease', async () => first.output.some((l) => l.includes('lease lost')), 15_000);
    await sleep(500);

    const after = (await fx.env.db.pool.query('SELECT status::text, result, lease_token, updated_at FROM runs WHERE id = $1', [runId])).rows[0];
    expect(after).toEqual({ status: 'succeeded', result: finished.result, lease_token: finished.lease_token, updated_at: finished.updated_at });
    // The result is the answer to the second worker's call (the receiver's replay of delivery 1's effect).
    expect(after.result.body).toEqual({ replayed: true, delivery: 1, path: '/slow' });
    expect(receiver.deliveries.filter((d) => d.path === '/slow')).toHaveLength(2);
    expect(receiver.deliveries.filter((d) => d.path === '/first')).toHaveLength(1);

    const steps = await fx.env.db.pool.query<{ node_id: string; status: string }>(`SELECT node_id, status FROM steps WHERE run_id = $1 ORDER BY node_id`, [runId]);
    expect(steps.rows).toEqual([
      { node_id: 'h0', status: 'succeeded' },
      { node_id: 'h1', status: 'succeeded' },
      { node_id: 't', status: 'succeeded' },
    ]);
    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });
  }, 120_000);
});
