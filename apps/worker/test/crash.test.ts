import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRun } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { createTestDatabase, postgresAvailable, publishWorkflow, startRecorder } from './support';

/**
 * The durability promise, tested with real processes: a worker SIGKILLed in the middle of a step
 * loses nothing; after its lease expires a second worker finishes the run, and no step that had
 * completed runs again.
 */
const hasPostgres = await postgresAvailable();
const workerEntry = path.resolve(import.meta.dirname, '../src/main.ts');

function startWorker(databaseUrl: string, id: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', workerEntry], {
    env: { ...process.env, DATABASE_URL: databaseUrl, WORKER_ID: id, WORKER_LEASE_MS: '1500', WORKER_POLL_MS: '100', LOG_LEVEL: 'warn', SWITCHYARD_OUTBOUND_ALLOWLIST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

describe.skipIf(!hasPostgres)('worker crash recovery (PostgreSQL, real processes)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    env = await createTestDatabase('sy_crash');
    recorder = await startRecorder({ '/slow': 1500 });
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await recorder?.close();
    await env?.drop();
  });

  it('resumes on another worker from the last completed step', async () => {
    const http = (id: string, p: string) => ({
      id,
      kind: 'http.request',
      position: { x: 0, y: 0 },
      config: { method: 'POST', url: `${recorder.url}${p}`, headers: {} },
      policy: { timeoutMs: 10_000 },
    });
    const graph: Graph = {
      schemaVersion: 1,
      settings: {},
      nodes: [
        { id: 't', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
        http('a', '/fast-a'),
        http('b', '/slow'),
        http('c', '/fast-c'),
        { id: 'd', kind: 'transform', position: { x: 0, y: 0 }, config: { expression: '{ "done": true }' } },
      ],
      edges: [
        { id: 'e1', source: 't', sourcePort: 'out', target: 'a' },
        { id: 'e2', source: 'a', sourcePort: 'out', target: 'b' },
        { id: 'e3', source: 'b', sourcePort: 'out', target: 'c' },
        { id: 'e4', source: 'c', sourcePort: 'out', target: 'd' },
      ],
    };
    const ids = await publishWorkflow(env.db, 'crash', graph);
    const { runId } = await enqueueRun(env.db.pool, {
      tenantId: ids.tenantId,
      workflowId: ids.workflowId,
      versionId: ids.versionId,
      trigger: 'manual',
      correlationId: 'corr-crash-1',
      payload: { n: 1 },
    });

    const slowSeen = new Promise<void>((resolve) => recorder.onRequest((r) => r.path === '/slow' && resolve()));
    const first = startWorker(env.url, 'first');
    workers.push(first);
    await slowSeen;
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = startWorker(env.url, 'second');
    workers.push(second);
    let status = '';
    for (let i = 0; i < 150 && status !== 'succeeded' && status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const row = await env.db.pool.query<{ status: string }>('select status from runs where id = $1', [runId]);
      status = row.rows[0]?.status ?? '';
    }
    second.kill('SIGTERM');
    expect(status).toBe('succeeded');

    const steps = await env.db.pool.query<{ node_id: string; status: string; idempotency_key: string }>(
      'select node_id, status, idempotency_key from steps where run_id = $1 order by started_at',
      [runId],
    );
    const succeeded = steps.rows.filter((s) => s.status === 'succeeded').map((s) => s.node_id);
    // Every node completed exactly once: nothing lost, nothing that had completed ran again.
    expect(succeeded.sort()).toEqual(['a', 'b', 'c', 'd', 't']);

    const byPath = (p: string) => recorder.requests.filter((r) => r.path === p);
    expect(byPath('/fast-a')).toHaveLength(1); // completed before the crash: not repeated
    expect(byPath('/fast-c')).toHaveLength(1);
    // The step in flight at the crash ran again (at-least-once), with the same idempotency key.
    const slow = byPath('/slow');
    expect(slow).toHaveLength(2);
    expect(new Set(slow.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(recorder.requests.every((r) => r.correlationId === 'corr-crash-1')).toBe(true);
  }, 60_000);
});
