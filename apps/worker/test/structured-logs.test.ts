import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '@switchyard/connectors';
import { enqueueRun } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow, startRecorder } from './support';

/**
 * The worker's pino output as an operator's log pipeline sees it: every line about a run is JSON
 * carrying the tenant, run and correlation ids, and every line about a step also its node and
 * attempt, so one query in the log store finds everything a run did. Secrets sent to a target
 * never appear.
 */
const hasPostgres = await postgresAvailable();

interface LogLine {
  msg: string;
  level: number;
  tenantId?: string;
  runId?: string;
  correlationId?: string;
  nodeId?: string;
  kind?: string;
  attempt?: number;
  code?: string;
}

describe.skipIf(!hasPostgres)('structured logs of a worker (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let worker: Worker;
  const raw: string[] = [];

  beforeAll(async () => {
    env = await createTestDatabase('sy_logs');
    recorder = await startRecorder();
    worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: createCoreExecutors({ outboundAllowlist: '127.0.0.1' }),
      logger: createLogger('info', 'switchyard', { write: (line: string) => void raw.push(line) }),
      workerId: 'logs-test',
      concurrency: 2,
      leaseMs: 5000,
      pollMs: 20,
    });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await recorder?.close();
    await env?.drop();
  });

  const node = (id: string, kind: string, config: Record<string, unknown> = {}) => ({ id, kind, position: { x: 0, y: 0 }, config });
  const graphWith = (url: string, successStatuses?: number[]): Graph => ({
    schemaVersion: 1,
    settings: {},
    nodes: [
      node('t', 'trigger.manual'),
      node('post', 'http.request', { method: 'POST', url, headers: { authorization: 'Bearer sk-live-do-not-log-42' }, ...(successStatuses ? { successStatuses } : {}) }),
    ],
    edges: [{ id: 'e1', source: 't', sourcePort: 'out', target: 'post' }],
  });
  const lines = () => raw.map((l) => JSON.parse(l) as LogLine);
  async function settle(id: string): Promise<string> {
    for (let i = 0; i < 400; i++) {
      const { rows } = await env.db.pool.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [id]);
      const status = rows[0]?.status;
      if (status && !['queued', 'running', 'waiting'].includes(status)) return status;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`run ${id} did not finish`);
  }

  it('tags run and step lines with tenant, run, correlation, node and attempt, and never logs the secret', async () => {
    const ok = await publishWorkflow(env.db, 'logs-ok', graphWith(`${recorder.url}/ok`));
    const bad = await publishWorkflow(env.db, 'logs-bad', graphWith(`${recorder.url}/bad`, [201]));
    const good = await enqueueRun(env.db.pool, { ...ok, trigger: 'manual', correlationId: 'corr-logs-ok', payload: { n: 1 } });
    const failed = await enqueueRun(env.db.pool, { ...bad, trigger: 'manual', correlationId: 'corr-logs-bad', payload: { n: 2 } });
    expect(await settle(good.runId)).toBe('succeeded');
    expect(await settle(failed.runId)).toBe('failed');

    const all = lines();
    const ofRun = (runId: string) => all.filter((l) => l.runId === runId);
    // Every line about the good run carries its tenant and correlation id.
    expect(ofRun(good.runId).length).toBeGreaterThanOrEqual(2);
    for (const l of ofRun(good.runId)) expect(l).toMatchObject({ tenantId: ok.tenantId, correlationId: 'corr-logs-ok' });
    expect(ofRun(good.runId).find((l) => l.msg === 'step succeeded' && l.nodeId === 'post')).toMatchObject({ kind: 'http.request', attempt: 1 });
    expect(ofRun(good.runId).find((l) => l.msg === 'run finished')).toBeDefined();

    // The failing step's line says which step of which run failed, and why, at error level.
    const failure = ofRun(failed.runId).find((l) => l.msg === 'step failed; run fails');
    expect(failure).toMatchObject({ tenantId: bad.tenantId, correlationId: 'corr-logs-bad', nodeId: 'post', attempt: 1, kind: 'http.request' });
    expect(failure!.level).toBeGreaterThanOrEqual(50);
    expect(failure!.code).toBeTruthy();

    expect(raw.join('\n')).not.toContain('sk-live-do-not-log-42');
    // The target received the header: it is kept from the logs, not from the call.
    expect(recorder.requests.some((r) => r.path === '/ok')).toBe(true);
  });
});
