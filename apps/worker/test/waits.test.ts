import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '@switchyard/connectors';
import { deliverRunEvent, enqueueRun } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow } from './support';

/**
 * Durable waits through a real worker: the run parks on wait.event / approval, the event or the
 * decision comes through the db's delivery function, and the run goes on from the waiting node.
 */
const hasPostgres = await postgresAvailable();

const at = { x: 0, y: 0 };
const graph: Graph = {
  schemaVersion: 1,
  settings: {},
  nodes: [
    { id: 't', kind: 'trigger.manual', position: at, config: {} },
    { id: 'paid', kind: 'wait.event', position: at, config: { key: 'invoice' } },
    { id: 'ok', kind: 'approval', position: at, config: { key: 'invoice' } },
    { id: 'yes', kind: 'transform', position: at, config: { expression: '{ "approved": true, "by": by }' } },
    { id: 'no', kind: 'transform', position: at, config: { expression: '{ "approved": false }' } },
    { id: 'late', kind: 'transform', position: at, config: { expression: '"timed out"' } },
  ],
  edges: [
    { id: 'e1', source: 't', sourcePort: 'out', target: 'paid' },
    { id: 'e2', source: 'paid', sourcePort: 'out', target: 'ok' },
    { id: 'e3', source: 'ok', sourcePort: 'approved', target: 'yes' },
    { id: 'e4', source: 'ok', sourcePort: 'rejected', target: 'no' },
    { id: 'e5', source: 'paid', sourcePort: 'timeout', target: 'late' },
  ],
};

describe.skipIf(!hasPostgres)('wait.event and approval with a worker (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Worker;

  beforeAll(async () => {
    env = await createTestDatabase('sy_waits');
    worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: createCoreExecutors(),
      logger: createLogger(process.env.TEST_LOG ?? 'silent'),
      workerId: 'waits-test',
      concurrency: 4,
      leaseMs: 5000,
      pollMs: 20,
      schedules: false,
    });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await env?.drop();
  });

  const runRow = async (id: string) =>
    (await env.db.pool.query<{ status: string; result: unknown }>('SELECT status, result FROM runs WHERE id = $1', [id])).rows[0]!;
  const waitsOf = async (id: string) => (await env.db.pool.query('SELECT node_id, kind, key FROM run_waits WHERE run_id = $1', [id])).rows;

  it('parks on the event, then on the approval, and follows the decision', { timeout: 20_000 }, async () => {
    const ids = await publishWorkflow(env.db, 'waits-a', graph);
    const { runId } = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'c-1', payload: { invoice: 'INV-9' } });
    await waitFor(async () => (await runRow(runId)).status === 'waiting');
    expect(await waitsOf(runId)).toEqual([{ node_id: 'paid', kind: 'event', key: 'INV-9' }]);

    expect(await deliverRunEvent(env.db.pool, { tenantId: ids.tenantId, kind: 'event', key: 'INV-9', payload: { invoice: 'INV-9', amount: 5 } })).toMatchObject({
      status: 'delivered',
      runs: [{ runId }],
    });
    await waitFor(async () => (await waitsOf(runId)).some((w) => w.node_id === 'ok'));
    expect((await runRow(runId)).status).toBe('waiting');
    // The event was consumed: delivering it again reaches nothing.
    expect(await deliverRunEvent(env.db.pool, { tenantId: ids.tenantId, kind: 'event', key: 'INV-9', payload: {} })).toEqual({ status: 'delivered', runs: [] });

    await deliverRunEvent(env.db.pool, { tenantId: ids.tenantId, kind: 'approval', key: 'INV-9', decision: 'approved', payload: { by: 'ann' } });
    await waitFor(async () => (await runRow(runId)).status === 'succeeded');
    expect((await runRow(runId)).result).toEqual({ approved: true, by: 'ann' });
    expect(await waitsOf(runId)).toEqual([]);
    expect((await env.db.pool.query('SELECT count(*)::int AS n FROM run_deliveries WHERE run_id = $1', [runId])).rows[0].n).toBe(0);
  });

  it('leaves by the timeout port when nothing arrives in time', async () => {
    const timed: Graph = structuredClone(graph);
    timed.nodes[1]!.config = { key: 'invoice', timeoutMs: 300 };
    const ids = await publishWorkflow(env.db, 'waits-b', timed);
    const { runId } = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'c-2', payload: { invoice: 'INV-10' } });
    await waitFor(async () => (await runRow(runId)).status === 'succeeded');
    expect((await runRow(runId)).result).toBe('timed out');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
