import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '@switchyard/connectors';
import { enqueueRun, migrate, openDatabase, startEmbeddedPostgres, toJsonValue } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow } from './support';

/**
 * Sub-workflow calls through a real worker: the parent parks on its workflow.call node, the child
 * runs as its own run, and its end wakes the parent, which goes on with the child's result (or
 * routes the child's failure to its error port).
 */
const hasPostgres = await postgresAvailable();
const at = { x: 0, y: 0 };

const parentGraph: Graph = {
  schemaVersion: 1,
  settings: {},
  nodes: [
    { id: 't', kind: 'trigger.manual', position: at, config: {} },
    { id: 'call', kind: 'workflow.call', position: at, config: { workflow: 'child', input: '{ "n": n }' } },
    { id: 'ok', kind: 'transform', position: at, config: { expression: '{ "fromChild": $ }' } },
    { id: 'bad', kind: 'transform', position: at, config: { expression: '{ "failed": error.code, "why": error.message }' } },
  ],
  edges: [
    { id: 'e1', source: 't', sourcePort: 'out', target: 'call' },
    { id: 'e2', source: 'call', sourcePort: 'out', target: 'ok' },
    { id: 'e3', source: 'call', sourcePort: 'error', target: 'bad' },
  ],
};

const childGraph = (expression: string, kind = 'transform'): Graph => ({
  schemaVersion: 1,
  settings: {},
  nodes: [
    { id: 'ct', kind: 'trigger.manual', position: at, config: {} },
    { id: 'double', kind, position: at, config: { expression } },
  ],
  edges: [{ id: 'c1', source: 'ct', sourcePort: 'out', target: 'double' }],
});

interface TestEnv {
  url: string;
  db: Awaited<ReturnType<typeof openDatabase>>;
  drop(): Promise<void>;
}

/** The embedded default: PGlite behind the wire server, polled (its socket cannot deliver NOTIFY). */
async function createPgliteDatabase(): Promise<TestEnv> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-calls-'));
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pglite') });
  await migrate(embedded.url);
  const db = await openDatabase({ url: embedded.url, kind: 'pglite' });
  return {
    url: embedded.url,
    db,
    async drop() {
      await db.close();
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const backends = [
  { name: 'PGlite', skip: false, create: createPgliteDatabase, listen: false },
  { name: 'PostgreSQL', skip: !hasPostgres, create: () => createTestDatabase('sy_calls'), listen: true },
];

describe.each(backends)('workflow.call with a worker ($name)', ({ skip, create, listen }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable', () => undefined);
    return;
  }
  let env: TestEnv;
  let worker: Worker;

  beforeAll(async () => {
    env = await create();
    worker = new Worker({
      listen,
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: createCoreExecutors(),
      logger: createLogger(process.env.TEST_LOG ?? 'silent'),
      workerId: 'calls-test',
      concurrency: 4,
      leaseMs: 5000,
      pollMs: 20,
      schedules: false,
    });
    await worker.start();
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await env?.drop();
  });

  const runRow = async (id: string) =>
    (await env.db.pool.query<{ status: string; result: unknown; correlation_id: string }>('SELECT status, result, correlation_id FROM runs WHERE id = $1', [id])).rows[0]!;

  async function addChild(tenantId: string, graph: Graph) {
    const workflow = await env.db.prisma.workflow.create({ data: { tenantId, name: 'child', draftGraph: toJsonValue(graph) }, select: { id: true } });
    const version = await env.db.prisma.workflowVersion.create({ data: { tenantId, workflowId: workflow.id, version: 1, graph: toJsonValue(graph) }, select: { id: true } });
    await env.db.prisma.workflow.update({ where: { id: workflow.id }, data: { activeVersionId: version.id } });
  }

  it('runs the child and continues with its result; the child is linked and shares the correlation id', { timeout: 20_000 }, async () => {
    const ids = await publishWorkflow(env.db, 'calls-a', parentGraph);
    await addChild(ids.tenantId, childGraph('{ "doubled": n * 2 }'));
    const { runId } = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'corr-call', payload: { n: 21 } });
    await waitFor(async () => (await runRow(runId)).status === 'succeeded');
    expect((await runRow(runId)).result).toEqual({ fromChild: { doubled: 42 } });

    const children = await env.db.pool.query('SELECT status, correlation_id, trigger_payload FROM runs WHERE parent_run_id = $1', [runId]);
    expect(children.rows).toEqual([{ status: 'succeeded', correlation_id: 'corr-call', trigger_payload: { n: 21 } }]);
    const callStep = await env.db.pool.query("SELECT status, port, output FROM steps WHERE run_id = $1 AND node_id = 'call'", [runId]);
    expect(callStep.rows).toEqual([{ status: 'succeeded', port: 'out', output: { doubled: 42 } }]);
  });

  it("routes a failed child to the parent's error port", { timeout: 20_000 }, async () => {
    const ids = await publishWorkflow(env.db, 'calls-b', parentGraph);
    await addChild(ids.tenantId, childGraph('$', 'no.such.kind'));
    const { runId } = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: 'corr-fail', payload: { n: 1 } });
    await waitFor(async () => (await runRow(runId)).status === 'succeeded');
    const result = (await runRow(runId)).result as { failed: string; why: string };
    expect(result.failed).toBe('child_run_failed');
    expect(result.why).toMatch(/ended failed: no executor is registered for node kind "no.such.kind"$/);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
