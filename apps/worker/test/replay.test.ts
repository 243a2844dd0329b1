import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '@switchyard/connectors';
import { cancelRun, createSchedule, enqueueRun, replayRun, setTenantPolicy, toJsonValue } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow, startRecorder } from './support';

/**
 * Dead letters, replay, cancel and schedules through a real worker and the engine: a run that
 * failed at a step is replayed from that step once the target is fixed, and succeeds without
 * repeating the steps before it.
 */
const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)('replay, cancel and schedules with a worker (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let worker: Worker;

  beforeAll(async () => {
    env = await createTestDatabase('sy_replay');
    recorder = await startRecorder({ '/slow': 600 });
    worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      // The recorder listens on loopback, which the HTTP connector refuses unless allowed.
      executors: createCoreExecutors({ outboundAllowlist: '127.0.0.1' }),
      logger: createLogger(process.env.TEST_LOG ?? 'silent'),
      workerId: 'replay-test',
      concurrency: 4,
      leaseMs: 5000,
      pollMs: 20,
      scheduleIntervalMs: 100,
    });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await recorder?.close();
    await env?.drop();
  });

  const node = (id: string, kind: string, config: Record<string, unknown> = {}) => ({ id, kind, position: { x: 0, y: 0 }, config });
  /** `successStatuses` [201] makes the recorder's 200 a permanent failure: the "broken" target of v1. */
  const graphWith = (url: string, successStatuses?: number[]): Graph => ({
    schemaVersion: 1,
    settings: {},
    nodes: [
      node('t', 'trigger.manual'),
      node('a', 'transform', { expression: '{ "amount": n * 10 }' }),
      node('b', 'http.request', { method: 'POST', url, headers: {}, ...(successStatuses ? { successStatuses } : {}) }),
      node('c', 'transform', { expression: '{ "done": true }' }),
    ],
    edges: [
      { id: 'e1', source: 't', sourcePort: 'out', target: 'a' },
      { id: 'e2', source: 'a', sourcePort: 'out', target: 'b' },
      { id: 'e3', source: 'b', sourcePort: 'out', target: 'c' },
    ],
  });
  const statusOf = async (id: string) => (await env.db.pool.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [id])).rows[0]?.status;
  async function settle(id: string): Promise<string> {
    for (let i = 0; i < 300; i++) {
      const status = await statusOf(id);
      if (status && !['queued', 'running', 'waiting'].includes(status)) return status;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`run ${id} did not finish`);
  }

  it('replays a failed run from the failed step: it starts there, keeps its keys and succeeds', async () => {
    const ids = await publishWorkflow(env.db, 'replay', graphWith(`${recorder.url}/invoices`, [201]));
    const { runId } = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'corr-replay', payload: { n: 4 } });
    expect(await settle(runId)).toBe('failed');
    const firstCalls = recorder.requests.filter((r) => r.path === '/invoices');
    expect(firstCalls).toHaveLength(1);

    // Version 2 fixes the node (any 2xx is success); the dead letter is replayed on it from node b.
    const fixedGraph = graphWith(`${recorder.url}/invoices`);
    const v2 = await env.db.prisma.workflowVersion.create({ data: { tenantId: ids.tenantId, workflowId: ids.workflowId, version: 2, graph: toJsonValue(fixedGraph) } });
    await env.db.prisma.workflow.update({ where: { id: ids.workflowId }, data: { activeVersionId: v2.id } });
    const replay = await replayRun(env.db.pool, { tenantId: ids.tenantId, runId, fromNodeId: 'b', version: 'latest' });
    expect(replay).toMatchObject({ status: 'replayed', fromNodeId: 'b', version: 2, correlationId: 'corr-replay' });
    if (replay.status !== 'replayed') return;
    expect(await settle(replay.runId)).toBe('succeeded');

    const steps = await env.db.pool.query<{ node_id: string; input: unknown }>(
      'SELECT node_id, input FROM steps WHERE run_id = $1 ORDER BY started_at, attempt',
      [replay.runId],
    );
    expect(steps.rows.map((s) => s.node_id)).toEqual(['b', 'c']);
    expect(steps.rows[0]!.input).toEqual({ amount: 40 });
    const calls = recorder.requests.filter((r) => r.path === '/invoices');
    expect(calls).toHaveLength(2);
    // Same step key as the original attempt: the target can drop it if the first call had landed.
    expect(calls[1]!.idempotencyKey).toBe(calls[0]!.idempotencyKey);
    expect(calls[1]!.correlationId).toBe('corr-replay');
  });

  it('cancels a running run: its worker stops at the next commit and nothing after it runs', async () => {
    const graph: Graph = {
      schemaVersion: 1,
      settings: {},
      nodes: [node('t', 'trigger.manual'), node('s', 'http.request', { method: 'POST', url: `${recorder.url}/slow`, headers: {} }), node('after', 'http.request', { method: 'POST', url: `${recorder.url}/after`, headers: {} })],
      edges: [
        { id: 'e1', source: 't', sourcePort: 'out', target: 's' },
        { id: 'e2', source: 's', sourcePort: 'out', target: 'after' },
      ],
    };
    const ids = await publishWorkflow(env.db, 'cancel', graph);
    const slowSeen = new Promise<void>((resolve) => recorder.onRequest((r) => r.path === '/slow' && resolve()));
    const { runId } = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'corr-cancel', payload: {} });
    await slowSeen;
    expect(await cancelRun(env.db.pool, ids.tenantId, runId)).toEqual({ status: 'cancelled', previousStatus: 'running' });
    // The step in flight finishes; its commit is refused and the worker lets the run go.
    for (let i = 0; i < 200 && worker.activeCount > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(worker.activeCount).toBe(0);
    expect(recorder.requests.filter((r) => r.path === '/slow')).toHaveLength(1);
    expect(await statusOf(runId)).toBe('cancelled');
    expect(recorder.requests.filter((r) => r.path === '/after')).toHaveLength(0);
    const steps = await env.db.pool.query('SELECT count(*)::int AS n FROM steps WHERE run_id = $1 AND node_id = $2', [runId, 's']);
    expect(steps.rows[0].n).toBe(0);
  });

  it("purges finished runs past their tenant's retention window, and nothing else", async () => {
    const graph: Graph = { schemaVersion: 1, settings: {}, nodes: [node('t', 'trigger.manual')], edges: [] };
    const ids = await publishWorkflow(env.db, 'retention', graph);
    expect(await setTenantPolicy(env.db.pool, ids.tenantId, { retentionDays: 7 })).toMatchObject({ status: 'saved' });
    const old = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'old', payload: {} });
    const recent = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'recent', payload: {} });
    const live = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'live', payload: {} });
    await env.db.pool.query(`UPDATE runs SET status = 'succeeded', created_at = now() - interval '8 days' WHERE id = $1`, [old.runId]);
    await env.db.pool.query(`UPDATE runs SET status = 'succeeded', created_at = now() - interval '6 days' WHERE id = $1`, [recent.runId]);
    await env.db.pool.query(`UPDATE runs SET status = 'waiting', wake_at = now() + interval '1 day', created_at = now() - interval '30 days' WHERE id = $1`, [live.runId]);

    const sweeper = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: {},
      logger: createLogger('silent'),
      workerId: 'retention-test',
      concurrency: 1,
      leaseMs: 5000,
      pollMs: 1000,
      listen: false,
      schedules: false,
      retentionIntervalMs: 50,
    });
    await sweeper.start();
    try {
      for (let i = 0; i < 100 && (await statusOf(old.runId)) !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await sweeper.stop();
    }
    expect(await statusOf(old.runId)).toBeUndefined();
    expect(await statusOf(recent.runId)).toBe('succeeded');
    expect(await statusOf(live.runId)).toBe('waiting');
  });

  it('fires cron schedules from the worker loop and runs them', async () => {
    const graph: Graph = { schemaVersion: 1, settings: {}, nodes: [node('t', 'trigger.manual'), node('x', 'transform', { expression: 'scheduledFor' })], edges: [{ id: 'e', source: 't', sourcePort: 'out', target: 'x' }] };
    const ids = await publishWorkflow(env.db, 'cron', graph);
    const created = await createSchedule(env.db.pool, ids.tenantId, { workflowId: ids.workflowId, cron: '* * * * * *', timeZone: 'Europe/Paris' });
    expect(created.status).toBe('saved');
    let done: Array<{ result: string }> = [];
    for (let i = 0; i < 120 && done.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      done = (await env.db.pool.query(`SELECT result FROM runs WHERE tenant_id = $1 AND trigger = 'schedule' AND status = 'succeeded'`, [ids.tenantId])).rows;
    }
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(Number.isNaN(Date.parse(done[0]!.result))).toBe(false);
  });
});
