import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '@switchyard/connectors';
import { PLATFORM_DEFAULTS } from '@switchyard/engine';
import { PLATFORM_POLICY, enqueueRun, getDeadLetter, setTenantPolicy } from '@switchyard/db';
import { NodeExecutionError, type ExecutorContext, type Graph } from '@switchyard/workflow';
import { guardedExecutors } from '../src/guarded-executors';
import { createLogger } from '../src/logger';
import { ResilienceGuard } from '../src/resilience-guard';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow } from './support';

const hasPostgres = await postgresAvailable();

/** A receiver whose answer per path is set by the test; counts the requests it saw. */
async function startEndpoint() {
  const statuses = new Map<string, number>();
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.url ?? '');
      const status = statuses.get(req.url ?? '') ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    statuses,
    seen,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const logger = createLogger('silent');
// The test endpoints listen on loopback, which the HTTP connector refuses unless allowed.
const loopback = { outboundAllowlist: '127.0.0.1' };
const ctx = (tenantId: string): ExecutorContext => ({
  runId: 'r',
  tenantId,
  correlationId: 'c',
  nodeId: 'n',
  attempt: 1,
  idempotencyKey: 'k',
  signal: new AbortController().signal,
  logger,
  trigger: null,
});

it("keeps db's platform retry and timeout defaults equal to the engine's", () => {
  expect(PLATFORM_POLICY.retry).toEqual(PLATFORM_DEFAULTS.retry);
  expect(PLATFORM_POLICY.timeoutMs).toBe(PLATFORM_DEFAULTS.timeoutMs);
});

describe.skipIf(!hasPostgres)('tenant rate limits and circuit breakers around outbound calls (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  let other: Awaited<ReturnType<typeof startEndpoint>>;
  let seq = 0;

  beforeAll(async () => {
    env = await createTestDatabase('sy_guard');
    endpoint = await startEndpoint();
    other = await startEndpoint();
  });
  afterAll(async () => {
    await endpoint?.close();
    await other?.close();
    await env?.drop();
  });
  beforeEach(() => {
    endpoint.seen.length = 0;
    endpoint.statuses.clear();
  });

  const tenant = async (graph: Graph = { schemaVersion: 1, settings: {}, nodes: [], edges: [] }) => publishWorkflow(env.db, `guard-${seq++}`, graph);
  const call = (executors: ReturnType<typeof guardedExecutors>, tenantId: string, url: string) =>
    executors['http.request']!(ctx(tenantId), { method: 'POST', url, headers: {} }, { n: 1 });

  it("opens one tenant's breaker for one host only, and refuses without calling while it is open", async () => {
    const a = await tenant();
    const b = await tenant();
    await setTenantPolicy(env.db.pool, a.tenantId, { breaker: { failureThreshold: 2, cooldownMs: 60_000 } });
    const executors = guardedExecutors(createCoreExecutors(loopback), new ResilienceGuard(env.db.pool));
    endpoint.statuses.set('/down', 503);

    for (let i = 0; i < 2; i++) await expect(call(executors, a.tenantId, `${endpoint.url}/down`)).rejects.toMatchObject({ code: 'http_503' });
    const refused = await call(executors, a.tenantId, `${endpoint.url}/down`).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(NodeExecutionError);
    expect(refused).toMatchObject({ code: 'circuit_open', retryable: true, countsAsAttempt: false });
    expect((refused as NodeExecutionError).retryAfterMs).toBeGreaterThan(50_000);
    expect(endpoint.seen).toEqual(['/down', '/down']);

    // Another tenant on the same host, and the same tenant on another host, still get through.
    await expect(call(executors, b.tenantId, `${endpoint.url}/down`)).rejects.toMatchObject({ code: 'http_503' });
    await expect(call(executors, a.tenantId, `${other.url}/fine`)).resolves.toMatchObject({ output: { status: 200 } });
    expect(endpoint.seen).toHaveLength(3);
    // 4xx answers show the endpoint is up: they do not trip anything.
    endpoint.statuses.set('/missing', 404);
    for (let i = 0; i < 3; i++) await expect(call(executors, b.tenantId, `${endpoint.url}/missing`)).rejects.toMatchObject({ code: 'http_404' });
    await expect(call(executors, b.tenantId, `${endpoint.url}/ok`)).resolves.toBeDefined();
  });

  it('takes a token per call: waits briefly in process, refuses with the wait when it is long', async () => {
    const slow = await tenant();
    await setTenantPolicy(env.db.pool, slow.tenantId, { rateLimits: { '*': { capacity: 2, refillPerSecond: 0.01 } } });
    const executors = guardedExecutors(createCoreExecutors(loopback), new ResilienceGuard(env.db.pool));
    await call(executors, slow.tenantId, `${endpoint.url}/x`);
    await call(executors, slow.tenantId, `${endpoint.url}/x`);
    const refused = await call(executors, slow.tenantId, `${endpoint.url}/x`).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, countsAsAttempt: false });
    expect((refused as NodeExecutionError).retryAfterMs).toBeGreaterThan(90_000);
    expect(endpoint.seen).toHaveLength(2);

    const quick = await tenant();
    await setTenantPolicy(env.db.pool, quick.tenantId, { rateLimits: { [endpoint.host]: { capacity: 1, refillPerSecond: 10 } } });
    const started = Date.now();
    await call(executors, quick.tenantId, `${endpoint.url}/y`);
    await call(executors, quick.tenantId, `${endpoint.url}/y`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    expect(endpoint.seen).toHaveLength(4);
  });

  it("applies the tenant's retry policy, and parks a run on an open breaker instead of calling", async () => {
    const graph: Graph = {
      schemaVersion: 1,
      settings: {},
      nodes: [
        { id: 't', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
        { id: 'call', kind: 'http.request', position: { x: 0, y: 0 }, config: { method: 'POST', url: `${endpoint.url}/down`, headers: {} } },
      ],
      edges: [{ id: 'e', source: 't', sourcePort: 'out', target: 'call' }],
    };
    endpoint.statuses.set('/down', 503);
    const once = await tenant(graph);
    await setTenantPolicy(env.db.pool, once.tenantId, { retry: { maxAttempts: 1 } });
    const parked = await tenant(graph);
    await setTenantPolicy(env.db.pool, parked.tenantId, {
      retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 },
      breaker: { failureThreshold: 1, cooldownMs: 60_000 },
    });
    const worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: createCoreExecutors(loopback),
      logger,
      workerId: 'guard-test',
      concurrency: 4,
      leaseMs: 5000,
      pollMs: 20,
      schedules: false,
    });
    await worker.start();
    try {
      const first = await enqueueRun(env.db.pool, { ...once, trigger: 'manual', correlationId: 'c1', payload: {} });
      const second = await enqueueRun(env.db.pool, { ...parked, trigger: 'manual', correlationId: 'c2', payload: {} });
      const status = async (id: string) => (await env.db.pool.query('SELECT status, wake_at FROM runs WHERE id = $1', [id])).rows[0];
      await waitFor(async () => (await status(first.runId)).status === 'failed');
      const letter = await getDeadLetter(env.db.pool, once.tenantId, first.runId);
      expect(letter).toMatchObject({ reason: 'retries_exhausted', error: { code: 'http_503' } });
      expect(letter!.history.filter((s) => s.nodeId === 'call')).toHaveLength(1);

      // One real call opens the breaker; the retry is refused without a call and parked until the
      // cooldown. The refusal is not an attempt: no step for it, and attempt 2 of 2 is still to come.
      await waitFor(async () => {
        const run = await status(second.runId);
        return run.status === 'queued' && run.wake_at.getTime() > Date.now() + 50_000;
      });
      const steps = await env.db.pool.query(`SELECT attempt, error->>'code' AS code FROM steps WHERE run_id = $1 AND node_id = 'call'`, [second.runId]);
      expect(steps.rows).toEqual([{ attempt: 1, code: 'http_503' }]);
      const state = await env.db.pool.query(`SELECT state FROM runs WHERE id = $1`, [second.runId]);
      expect(state.rows[0].state.pending).toMatchObject([{ nodeId: 'call', attempt: 2 }]);
      expect(endpoint.seen.filter((p) => p === '/down')).toHaveLength(2);
    } finally {
      await worker.stop();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
