import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  PgRunStore,
  claimRuns,
  enqueueRun,
  listenForRuns,
  migrate,
  openDatabase,
  releaseRun,
  renewLeases,
  waitForRunResponse,
  type ClaimedRun,
  type Database,
  type RunCommit,
  type StepRecord,
} from '../src/index';
import { backends, publishWorkflow, sleep, testGraph, type TestDatabase } from './support';

function step(activationId: string, extra: Partial<StepRecord> = {}): StepRecord {
  const now = Date.now();
  return {
    nodeId: 'map',
    activationId,
    attempt: 1,
    status: 'succeeded',
    idempotencyKey: `run:map:${activationId}`,
    input: { n: 1 },
    output: [1, 2, { deep: true }],
    port: 'out',
    startedAt: now - 5,
    finishedAt: now,
    durationMs: 5,
    ...extra,
  };
}

function commitOf(extra: Partial<RunCommit> = {}): RunCommit {
  return { steps: [], state: { pending: [], outputs: { map: [1, 2] }, seq: 1 }, status: 'running', ...extra };
}

describe.each(backends)('dispatch and run store on $name', (backend) => {
  if (backend.skipReason) {
    it.skip(`skipped: ${backend.skipReason}`, () => undefined);
    return;
  }
  let target: TestDatabase;
  let db: Database;
  let store: PgRunStore;

  beforeAll(async () => {
    target = await backend.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: backend.name, poolMax: 8 });
    store = new PgRunStore(db.pool);
  }, 30_000);

  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });

  // Claims see every tenant's runs: start each test from an empty queue.
  beforeEach(async () => {
    await db.pool.query('TRUNCATE tenants CASCADE');
  });

  async function enqueue(ids: Awaited<ReturnType<typeof publishWorkflow>>, extra: { idempotencyKey?: string; payload?: unknown } = {}) {
    return enqueueRun(db.pool, { ...ids, trigger: 'manual', correlationId: 'corr-1', payload: extra.payload ?? { n: 1 }, idempotencyKey: extra.idempotencyKey });
  }

  it('enqueues a run and claims it with its graph, trigger node and a lease', async () => {
    const ids = await publishWorkflow(db);
    const { runId, created, correlationId } = await enqueue(ids, { payload: [1, 2, 3] });
    expect(created).toBe(true);
    expect(correlationId).toBe('corr-1');

    const [claimed, ...rest] = await claimRuns(db.pool, { workerId: 'w1', limit: 5, leaseMs: 10_000 });
    expect(rest).toHaveLength(0);
    expect(claimed).toMatchObject({
      id: runId,
      tenantId: ids.tenantId,
      correlationId: 'corr-1',
      idempotencyKey: null,
      triggerNodeId: 'start',
      triggerPayload: [1, 2, 3],
      state: null,
      leaseToken: 1,
    } satisfies Partial<ClaimedRun>);
    expect(claimed!.graph).toEqual(testGraph);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: 'running', leaseOwner: 'w1', attempts: 1 });
    expect(run.startedAt).toBeInstanceOf(Date);
    expect(run.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 5_000);
    // Held: nobody else can claim it.
    expect(await claimRuns(db.pool, { workerId: 'w2', limit: 5, leaseMs: 10_000 })).toHaveLength(0);
  });

  it('returns the existing run for a repeated idempotency key, and refuses a version of another tenant', async () => {
    const ids = await publishWorkflow(db);
    const a = await enqueueRun(db.pool, { ...ids, trigger: 'webhook', correlationId: 'c-a', idempotencyKey: 'INV-1', payloadHash: 'h1', payload: {} });
    const b = await enqueueRun(db.pool, { ...ids, trigger: 'webhook', correlationId: 'c-b', idempotencyKey: 'INV-1', payloadHash: 'h2', payload: {} });
    expect(a.created).toBe(true);
    expect(b).toEqual({ runId: a.runId, correlationId: 'c-a', created: false, payloadHash: 'h1' });
    expect(await db.prisma.run.count({ where: { tenantId: ids.tenantId } })).toBe(1);

    const other = await publishWorkflow(db);
    await expect(enqueueRun(db.pool, { ...ids, versionId: other.versionId, trigger: 'manual', correlationId: 'x', payload: {} })).rejects.toThrow(
      /does not exist for tenant/,
    );
    await expect(enqueueRun(db.pool, { ...ids, tenantId: 'acme', trigger: 'manual', correlationId: 'x', payload: {} })).rejects.toThrow(
      /tenantId must be a UUID/,
    );
  });

  it('never hands the same run to two concurrent claimers', async () => {
    const ids = await publishWorkflow(db);
    const runIds = new Set<string>();
    for (let i = 0; i < 24; i++) runIds.add((await enqueue(ids)).runId);

    const claimer = async (workerId: string) => {
      const mine: string[] = [];
      for (;;) {
        const batch = await claimRuns(db.pool, { workerId, limit: 3, leaseMs: 30_000 });
        if (batch.length === 0) return mine;
        mine.push(...batch.map((r) => r.id));
      }
    };
    const results = await Promise.all(['a', 'b', 'c', 'd'].map(claimer));
    const all = results.flat();
    expect(all).toHaveLength(24);
    expect(new Set(all)).toEqual(runIds);
  });

  it('re-claims an expired lease with a higher token; the old token can no longer commit', async () => {
    const ids = await publishWorkflow(db);
    const { runId } = await enqueue(ids);
    const [old] = await claimRuns(db.pool, { workerId: 'dead', limit: 1, leaseMs: 30 });
    expect(await store.commit(runId, old!.leaseToken, commitOf({ steps: [step('a1')] }))).toBe('ok');
    await sleep(60);

    const [taken] = await claimRuns(db.pool, { workerId: 'alive', limit: 1, leaseMs: 10_000 });
    expect(taken!.id).toBe(runId);
    expect(taken!.leaseToken).toBe(old!.leaseToken + 1);
    expect(taken!.state).toEqual(commitOf().state);

    const lateState = { pending: [], outputs: { late: true }, seq: 9 };
    expect(await store.commit(runId, old!.leaseToken, commitOf({ steps: [step('a2')], state: lateState }))).toBe('lease-lost');
    const steps = await db.prisma.step.findMany({ where: { runId, tenantId: ids.tenantId } });
    expect(steps.map((s) => s.activationId)).toEqual(['a1']);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.state).toEqual(commitOf().state);
    expect(run).toMatchObject({ leaseOwner: 'alive', attempts: 2 });

    expect(await renewLeases(db.pool, 'dead', [runId], 10_000)).toEqual([]);
    expect(await renewLeases(db.pool, 'alive', [runId], 10_000)).toEqual([runId]);
    expect(await store.commit(runId, taken!.leaseToken, commitOf({ steps: [step('a2')] }))).toBe('ok');
  });

  it('commits steps and state together, or neither', async () => {
    const ids = await publishWorkflow(db);
    const { runId } = await enqueue(ids);
    const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 });
    const token = run!.leaseToken;

    const failed = step('a1', { attempt: 1, status: 'failed', output: undefined, error: { message: 'HTTP 503', code: 'HTTP_503', retryable: true, status: 503 }, retryAt: Date.now() + 1000 });
    expect(await store.commit(runId, token, commitOf({ steps: [failed, step('a2')], state: { pending: [], outputs: { a: 1 }, seq: 2 } }))).toBe('ok');

    // The second row repeats (activation, attempt): the unique key rejects it and the whole commit rolls back.
    await expect(store.commit(runId, token, commitOf({ steps: [step('a3'), step('a3')], state: { pending: [], outputs: { b: 2 }, seq: 3 } }))).rejects.toThrow(
      /duplicate key/,
    );
    const rows = await db.prisma.step.findMany({ where: { runId, tenantId: ids.tenantId }, orderBy: { activationId: 'asc' } });
    expect(rows.map((r) => r.activationId)).toEqual(['a1', 'a2']);
    expect(rows[0]).toMatchObject({ status: 'failed', error: { code: 'HTTP_503', status: 503 }, output: null, port: 'out' });
    expect(rows[0]!.retryAt).toBeInstanceOf(Date);
    expect(rows[1]).toMatchObject({ status: 'succeeded', output: [1, 2, { deep: true }], durationMs: 5, tenantId: ids.tenantId });
    const stored = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(stored.state).toEqual({ pending: [], outputs: { a: 1 }, seq: 2 });
  });

  it('parks a run on a durable timer, wakes it when due, and finishes it with result and response', async () => {
    const ids = await publishWorkflow(db);
    const { runId } = await enqueue(ids);
    const [first] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 });
    const wakeAt = Date.now() + 150;
    expect(await store.commit(runId, first!.leaseToken, commitOf({ status: 'waiting', wakeAt }))).toBe('ok');
    let run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: 'waiting', leaseOwner: null, leaseExpiresAt: null, finishedAt: null });
    expect(run.wakeAt.getTime()).toBe(wakeAt);

    expect(await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 })).toHaveLength(0);
    await sleep(200);
    const [second] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 });
    expect(second).toMatchObject({ id: runId, leaseToken: first!.leaseToken + 1 });

    const response = { status: 201, headers: { 'x-a': 'b' }, body: { ok: true } };
    const done = commitOf({ status: 'succeeded', result: { total: 3 }, state: { pending: [], outputs: {}, seq: 4, response } });
    expect(await store.commit(runId, second!.leaseToken, done)).toBe('ok');
    run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: 'succeeded', result: { total: 3 }, response, leaseOwner: null, error: null });
    expect(run.finishedAt).toBeInstanceOf(Date);
    // Finished runs cannot be committed to again.
    expect(await store.commit(runId, second!.leaseToken, done)).toBe('lease-lost');
    expect(await waitForRunResponse(db.pool, ids.tenantId, runId, 1000)).toEqual({ kind: 'response', status: 'succeeded', response });
  });

  it('releases a run back to the queue only for the current token', async () => {
    const ids = await publishWorkflow(db);
    const { runId } = await enqueue(ids);
    const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 });
    expect(await releaseRun(db.pool, runId, run!.leaseToken - 1)).toBe(false);
    expect(await releaseRun(db.pool, runId, run!.leaseToken)).toBe(true);
    const [again] = await claimRuns(db.pool, { workerId: 'w2', limit: 1, leaseMs: 10_000 });
    expect(again).toMatchObject({ id: runId, leaseToken: run!.leaseToken + 1 });
  });

  it('waits for a response: answers when set, reports a failed run, times out, and keeps tenants apart', async () => {
    const ids = await publishWorkflow(db);
    const { runId } = await enqueue(ids);
    const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 });
    expect(await waitForRunResponse(db.pool, ids.tenantId, runId, 50)).toEqual({ kind: 'timeout', status: 'running' });
    const other = await publishWorkflow(db);
    expect(await waitForRunResponse(db.pool, other.tenantId, runId, 50)).toEqual({ kind: 'not-found' });

    const waiting = waitForRunResponse(db.pool, ids.tenantId, runId, 5000);
    await sleep(50);
    const error = { message: 'boom', code: 'X', retryable: false, nodeId: 'map' };
    await store.commit(runId, run!.leaseToken, commitOf({ status: 'failed', error }));
    expect(await waiting).toEqual({ kind: 'finished', status: 'failed', result: null, error });
  });

  it('announces new and released runs to LISTENers (on PGlite: says LISTEN is unavailable, the worker polls)', async () => {
    if (backend.name === 'pglite') {
      await expect(listenForRuns(target.url, () => undefined)).rejects.toThrow(/does not reach other connections on the embedded PGlite/);
      return;
    }
    const ids = await publishWorkflow(db);
    const heard: string[] = [];
    const listener = await listenForRuns(target.url, (id) => heard.push(id));
    try {
      const { runId } = await enqueue(ids);
      for (let i = 0; i < 100 && !heard.includes(runId); i++) await sleep(20);
      expect(heard).toEqual([runId]);
      const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 10_000 });
      await releaseRun(db.pool, runId, run!.leaseToken);
      for (let i = 0; i < 100 && heard.length < 2; i++) await sleep(20);
      expect(heard).toEqual([runId, runId]);
    } finally {
      await listener.close();
    }
  });
});
