import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '@switchyard/connectors';
import { enqueueRun } from '@switchyard/db';
import type { ExecutorContext, Graph } from '@switchyard/workflow';
import { createLogger } from '../src/logger';
import { createTracing, tracingFromEnv } from '../src/tracing';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow } from './support';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const hasPostgres = await postgresAvailable();

/** A loopback receiver that records the headers of every request. */
async function receiver(status = 200): Promise<{ server: Server; url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ledger`, seen };
}

function ctx(extra: Partial<ExecutorContext> = {}): ExecutorContext {
  return {
    runId: 'run-1',
    tenantId: 'tenant-1',
    correlationId: 'corr-1',
    nodeId: 'post',
    attempt: 2,
    idempotencyKey: 'k:post:a1',
    signal: new AbortController().signal,
    logger: createLogger('silent'),
    trigger: {},
    ...extra,
  };
}

describe('step spans (OpenTelemetry)', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: the executors are not wrapped', async () => {
    expect(await tracingFromEnv({})).toBeNull();
  });

  it('records one span per attempt under the run trace and sends the span as traceparent', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing([new SimpleSpanProcessor(exporter)]);
    const target = await receiver();
    try {
      const executors = tracing.instrument(createCoreExecutors({ outboundAllowlist: '127.0.0.1' }));
      await executors['http.request']!(ctx({ traceparent: TRACEPARENT }), { url: target.url, method: 'POST' }, { a: 1 });
      const [span] = exporter.getFinishedSpans();
      expect(span).toBeDefined();
      expect(span!.name).toBe('step http.request');
      expect(span!.spanContext().traceId).toBe(TRACE_ID);
      expect(span!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(span!.attributes).toMatchObject({
        'switchyard.tenant_id': 'tenant-1',
        'switchyard.run_id': 'run-1',
        'switchyard.node_id': 'post',
        'switchyard.node_kind': 'http.request',
        'switchyard.attempt': 2,
        'switchyard.port': 'out',
      });
      // The target sees the step's own span as its parent.
      expect(target.seen[0]!.traceparent).toBe(`00-${TRACE_ID}-${span!.spanContext().spanId}-01`);
    } finally {
      target.server.close();
      await tracing.shutdown();
    }
  });

  it('marks a failed attempt as an error with its code, and gives runs without a trace one of their own', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing([new SimpleSpanProcessor(exporter)]);
    const target = await receiver(503);
    try {
      const executors = tracing.instrument(createCoreExecutors({ outboundAllowlist: '127.0.0.1' }));
      await expect(executors['http.request']!(ctx(), { url: target.url, method: 'POST' }, {})).rejects.toThrow();
      await expect(executors['http.request']!(ctx({ attempt: 3 }), { url: target.url, method: 'POST' }, {})).rejects.toThrow();
      const spans = exporter.getFinishedSpans();
      expect(spans).toHaveLength(2);
      expect(spans[0]!.status.code).toBe(2); // SpanStatusCode.ERROR
      expect(spans[0]!.attributes).toMatchObject({ 'switchyard.error.retryable': true, 'http.response.status_code': 503 });
      // Same run, no stored traceparent: both attempts still share one trace id.
      expect(spans[1]!.spanContext().traceId).toBe(spans[0]!.spanContext().traceId);
      expect(target.seen[0]!.traceparent).toMatch(new RegExp(`^00-${spans[0]!.spanContext().traceId}-`));
    } finally {
      target.server.close();
      await tracing.shutdown();
    }
  });
});

describe.skipIf(!hasPostgres)('step spans through a worker (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    env = await createTestDatabase('sy_tracing');
  });
  afterAll(async () => {
    await env?.drop();
  });

  it("parents every step span on the run's stored traceparent", { timeout: 20_000 }, async () => {
    const at = { x: 0, y: 0 };
    const graph: Graph = {
      schemaVersion: 1,
      settings: {},
      nodes: [
        { id: 't', kind: 'trigger.manual', position: at, config: {} },
        { id: 'a', kind: 'transform', position: at, config: { expression: '{ "n": n + 1 }' } },
        { id: 'b', kind: 'transform', position: at, config: { expression: '{ "n": n * 2 }' } },
      ],
      edges: [
        { id: 'e1', source: 't', sourcePort: 'out', target: 'a' },
        { id: 'e2', source: 'a', sourcePort: 'out', target: 'b' },
      ],
    };
    const ids = await publishWorkflow(env.db, 'tracing-a', graph);
    const { runId } = await enqueueRun(env.db.pool, { ...ids, trigger: 'manual', correlationId: TRACE_ID, payload: { n: 1 } });
    await env.db.pool.query('UPDATE runs SET traceparent = $2 WHERE id = $1', [runId, TRACEPARENT]);

    const exporter = new InMemorySpanExporter();
    const tracing = createTracing([new SimpleSpanProcessor(exporter)]);
    const worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: tracing.instrument(createCoreExecutors()),
      logger: createLogger('silent'),
      workerId: 'tracing-test',
      concurrency: 2,
      leaseMs: 5000,
      pollMs: 20,
      schedules: false,
    });
    await worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while ((await env.db.pool.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0].status !== 'succeeded') {
        if (Date.now() > deadline) throw new Error('run did not finish');
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await worker.stop();
    }
    // Read before shutdown: shutting the in-memory exporter down empties it.
    const spans = exporter.getFinishedSpans().filter((s) => s.attributes['switchyard.run_id'] === runId);
    await tracing.shutdown();
    expect(spans.map((s) => s.attributes['switchyard.node_id'])).toEqual(['a', 'b']);
    for (const span of spans) {
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(span.attributes).toMatchObject({ 'switchyard.tenant_id': ids.tenantId, 'switchyard.correlation_id': TRACE_ID });
    }
  });
});
