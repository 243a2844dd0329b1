import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '@switchyard/workflow';
import {
  PgRunStore,
  bulkReplay,
  cancelRun,
  claimRuns,
  enqueueRun,
  getDeadLetter,
  listDeadLetterGroups,
  listDeadLetters,
  migrate,
  openDatabase,
  renewLeases,
  replayRun,
  toJsonValue,
  type Database,
  type StepError,
  type StepRecord,
} from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

const node = (id: string, kind: string) => ({ id, kind, position: { x: 0, y: 0 }, config: {} });
const graph: Graph = {
  schemaVersion: 1,
  settings: {},
  nodes: [node('t', 'trigger.manual'), node('a', 'transform'), node('b', 'http.request'), node('c', 'transform')],
  edges: [
    { id: 'e1', source: 't', sourcePort: 'out', target: 'a' },
    { id: 'e2', source: 'a', sourcePort: 'out', target: 'b' },
    { id: 'e3', source: 'b', sourcePort: 'out', target: 'c' },
  ],
};

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('dead letters, replay and cancel (PostgreSQL)', () => {
  let target: TestDatabase;
  let db: Database;
  let store: PgRunStore;
  beforeAll(async () => {
    target = await postgres.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: 'postgres', poolMax: 6 });
    store = new PgRunStore(db.pool);
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE tenants CASCADE');
  });

  type Ids = Awaited<ReturnType<typeof publishWorkflow>>;
  const start = (ids: Ids, payload: unknown = { invoice: 'INV-1' }) =>
    enqueueRun(db.pool, { ...ids, trigger: 'manual', correlationId: 'corr-7', idempotencyKey: `key-${Math.random()}`, payload });

  function attempt(nodeId: string, activationId: string, n: number, extra: Partial<StepRecord>): StepRecord {
    const at = Date.now() + n;
    return { nodeId, activationId, attempt: n, status: 'succeeded', idempotencyKey: `k:${nodeId}:${activationId}`, input: null, startedAt: at, finishedAt: at, durationMs: 0, ...extra };
  }

  /** Runs the original to a failure at node b, the way the engine records it. */
  async function failAtB(ids: Ids, error: StepError = { code: 'http_503', message: 'POST /b returned 503', retryable: true, status: 503 }) {
    const { runId } = await start(ids);
    const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(run!.id).toBe(runId);
    const outputs = { t: { invoice: 'INV-1' }, a: { amount: 10 } };
    const steps = [
      attempt('t', 'a0', 1, { output: outputs.t }),
      attempt('a', 'a1', 1, { input: outputs.t, output: outputs.a }),
      attempt('b', 'a2', 1, { input: outputs.a, status: 'failed', error, retryAt: Date.now() + 10 }),
      attempt('b', 'a2', 2, { input: outputs.a, status: 'failed', error }),
    ];
    const outcome = await store.commit(runId, run!.leaseToken, { steps, state: { pending: [], outputs, seq: 3 }, status: 'failed', error: { ...error, nodeId: 'b' } });
    expect(outcome).toBe('ok');
    return runId;
  }

  it('dead-letters failed runs with the reason, last error and attempt history, grouped by error code', async () => {
    const ids = await publishWorkflow(db);
    const exhausted = await failAtB(ids);
    const permanent = await failAtB(ids, { code: 'http_400', message: 'POST /b returned 400', retryable: false, status: 400 });
    await failAtB(ids);
    await start(ids); // queued: not a dead letter

    const groups = await listDeadLetterGroups(db.pool, ids.tenantId);
    expect(groups.map((g) => [g.errorCode, g.count])).toEqual([['http_503', 2], ['http_400', 1]]);
    expect(groups[0]!.sampleMessage).toBe('POST /b returned 503');

    const page = await listDeadLetters(db.pool, ids.tenantId, { limit: 2 });
    expect(page.items).toHaveLength(2);
    const rest = await listDeadLetters(db.pool, ids.tenantId, { limit: 2, after: page.next! });
    expect(rest.items).toHaveLength(1);
    expect(rest.next).toBeNull();

    const letter = await getDeadLetter(db.pool, ids.tenantId, exhausted);
    expect(letter).toMatchObject({ status: 'failed', reason: 'retries_exhausted', correlationId: 'corr-7', attempts: 4, replays: 0, error: { code: 'http_503', nodeId: 'b' } });
    expect(letter!.history.filter((s) => s.nodeId === 'b').map((s) => [s.attempt, s.status])).toEqual([[1, 'failed'], [2, 'failed']]);
    expect((await getDeadLetter(db.pool, ids.tenantId, permanent))!.reason).toBe('permanent_error');

    const other = await publishWorkflow(db);
    expect(await getDeadLetter(db.pool, other.tenantId, exhausted)).toBeNull();
    expect(await listDeadLetterGroups(db.pool, other.tenantId)).toEqual([]);
  });

  it('keeps failed draft test runs (versions below 1) out of the list, the groups, bulk replay and the detail', async () => {
    const ids = await publishWorkflow(db);
    const published = await failAtB(ids);
    const test = await db.prisma.workflowVersion.create({
      data: { tenantId: ids.tenantId, workflowId: ids.workflowId, version: -1, graph: toJsonValue(graph), note: 'Test run of the draft' },
      select: { id: true },
    });
    const draftRun = await failAtB({ ...ids, versionId: test.id });
    // The run store dead-letters it like any other failure; only the list leaves it out.
    const row = await db.pool.query('SELECT dead_lettered_at FROM runs WHERE id = $1', [draftRun]);
    expect(row.rows[0].dead_lettered_at).not.toBeNull();

    const page = await listDeadLetters(db.pool, ids.tenantId, { limit: 10 });
    expect(page.items.map((i) => i.runId)).toEqual([published]);
    expect((await listDeadLetterGroups(db.pool, ids.tenantId)).map((g) => g.count)).toEqual([1]);
    expect(await bulkReplay(db.pool, ids.tenantId, {}, { dryRun: true })).toMatchObject({ count: 1 });
    expect(await getDeadLetter(db.pool, ids.tenantId, draftRun)).toBeNull();
  });

  it('replays from the start as a new linked run with the same correlation id and the original step keys', async () => {
    const ids = await publishWorkflow(db);
    const original = await failAtB(ids);
    const result = await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, version: 'pinned' });
    expect(result).toMatchObject({ status: 'replayed', originalRunId: original, correlationId: 'corr-7', versionId: ids.versionId, fromNodeId: null, keepsStepKeys: true });
    if (result.status !== 'replayed') return;

    const [claimed] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(claimed).toMatchObject({ id: result.runId, correlationId: 'corr-7', triggerPayload: { invoice: 'INV-1' }, state: null });
    const originalKey = (await db.pool.query('SELECT idempotency_key FROM runs WHERE id = $1', [original])).rows[0].idempotency_key;
    expect(claimed!.idempotencyKey).toBe(originalKey);
    const row = (await db.pool.query('SELECT replay_of, idempotency_key FROM runs WHERE id = $1', [result.runId])).rows[0];
    expect(row).toEqual({ replay_of: original, idempotency_key: null });

    // An edited input starts fresh keys: the data changed, so must the effects.
    const edited = await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, version: 'pinned', input: { invoice: 'INV-1b' } });
    expect(edited).toMatchObject({ status: 'replayed', keepsStepKeys: false });
    const [second] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(second).toMatchObject({ triggerPayload: { invoice: 'INV-1b' }, idempotencyKey: null });
  });

  it('replays from a chosen step: that node pending with its recorded input, upstream outputs kept', async () => {
    const ids = await publishWorkflow(db, undefined, graph);
    const original = await failAtB(ids);
    const result = await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, fromNodeId: 'b', version: 'pinned' });
    expect(result).toMatchObject({ status: 'replayed', fromNodeId: 'b', keepsStepKeys: true });
    const [claimed] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(claimed!.state).toEqual({
      pending: [{ id: 'a2', nodeId: 'b', input: { amount: 10 }, attempt: 1 }],
      outputs: { t: { invoice: 'INV-1' }, a: { amount: 10 } },
      seq: 3,
    });

    // Node c never ran: it has no recorded input unless one is given.
    const refused = await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, fromNodeId: 'c', version: 'pinned' });
    expect(refused).toMatchObject({ status: 'refused', reason: 'no_recorded_input', message: expect.stringContaining('pass the input') });
    const withInput = await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, fromNodeId: 'c', version: 'pinned', input: { fixed: true } });
    expect(withInput).toMatchObject({ status: 'replayed', keepsStepKeys: false });
    const unknown = await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, fromNodeId: 'zz', version: 'pinned' });
    expect(unknown).toMatchObject({ status: 'refused', reason: 'unknown_node', message: expect.stringContaining('its nodes: t, a, b, c') });
  });

  it('replays on the latest published version when asked', async () => {
    const ids = await publishWorkflow(db, undefined, graph);
    const original = await failAtB(ids);
    const v2 = await db.prisma.workflowVersion.create({ data: { tenantId: ids.tenantId, workflowId: ids.workflowId, version: 2, graph: toJsonValue(graph) } });
    await db.prisma.workflow.update({ where: { id: ids.workflowId }, data: { activeVersionId: v2.id } });
    expect(await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, version: 'latest' })).toMatchObject({ versionId: v2.id, version: 2 });
    expect(await replayRun(db.pool, { tenantId: ids.tenantId, runId: original, version: 'pinned' })).toMatchObject({ versionId: ids.versionId, version: 1 });
  });

  it("refuses another tenant's run (not found) and a run that is still running (clear message)", async () => {
    const ids = await publishWorkflow(db);
    const original = await failAtB(ids);
    const other = await publishWorkflow(db);
    expect(await replayRun(db.pool, { tenantId: other.tenantId, runId: original, version: 'pinned' })).toEqual({ status: 'not_found' });

    const { runId: live } = await start(ids);
    await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(await replayRun(db.pool, { tenantId: ids.tenantId, runId: live, version: 'pinned' })).toEqual({
      status: 'refused',
      reason: 'run_active',
      message: `run ${live} is still running: cancel it or wait until it ends before replaying it`,
    });
    await expect(replayRun(db.pool, { tenantId: ids.tenantId, runId: original, version: 'newest' as 'latest' })).rejects.toThrow(/version must be/);
  });

  it('bulk-replays by filter after a dry-run count, and does not replay a run twice', async () => {
    const ids = await publishWorkflow(db);
    await failAtB(ids);
    await failAtB(ids);
    await failAtB(ids, { code: 'http_400', message: 'bad', retryable: false, status: 400 });
    expect(await bulkReplay(db.pool, ids.tenantId, { errorCode: 'http_503' }, { dryRun: true })).toEqual({ status: 'dry_run', count: 2, wouldReplay: 2 });
    expect(await bulkReplay(db.pool, ids.tenantId, {}, { dryRun: true, limit: 1 })).toEqual({ status: 'dry_run', count: 3, wouldReplay: 1 });

    const done = await bulkReplay(db.pool, ids.tenantId, { errorCode: 'http_503' }, { dryRun: false });
    expect(done).toMatchObject({ status: 'replayed', count: 2, refused: [] });
    const replays = await db.pool.query('SELECT count(*)::int AS n FROM runs WHERE tenant_id = $1 AND replay_of IS NOT NULL', [ids.tenantId]);
    expect(replays.rows[0].n).toBe(2);
    // Replayed dead letters leave the list; a second bulk replay finds nothing.
    expect(await bulkReplay(db.pool, ids.tenantId, { errorCode: 'http_503' }, { dryRun: true })).toMatchObject({ count: 0 });
    expect((await listDeadLetterGroups(db.pool, ids.tenantId, { includeReplayed: true })).find((g) => g.errorCode === 'http_503')!.count).toBe(2);
  });

  it("cancels queued, waiting and running runs; a running run's worker then loses its lease", async () => {
    const ids = await publishWorkflow(db);
    const queued = (await start(ids)).runId;
    expect(await cancelRun(db.pool, ids.tenantId, queued)).toEqual({ status: 'cancelled', previousStatus: 'queued' });

    const running = (await start(ids)).runId;
    const [claimed] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(await cancelRun(db.pool, ids.tenantId, running)).toEqual({ status: 'cancelled', previousStatus: 'running' });
    const commit = { steps: [], state: { pending: [], outputs: {}, seq: 1 }, status: 'succeeded' as const };
    expect(await store.commit(running, claimed!.leaseToken, commit)).toBe('lease-lost');
    expect(await renewLeases(db.pool, 'w', [running], 30_000)).toEqual([]);

    const waiting = (await start(ids)).runId;
    const [w] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    await store.commit(waiting, w!.leaseToken, { ...commit, status: 'waiting' });
    expect(await cancelRun(db.pool, ids.tenantId, waiting)).toEqual({ status: 'cancelled', previousStatus: 'waiting' });

    const row = (await db.pool.query('SELECT status, error, finished_at, dead_lettered_at FROM runs WHERE id = $1', [running])).rows[0];
    expect(row).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' }, dead_lettered_at: null });
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(await cancelRun(db.pool, ids.tenantId, running)).toMatchObject({ status: 'already_finished', runStatus: 'cancelled' });
    const other = await publishWorkflow(db);
    expect(await cancelRun(db.pool, other.tenantId, (await start(ids)).runId)).toEqual({ status: 'not_found' });
  });
});

describe.skipIf(Boolean(postgres.skipReason))('oversized payloads in run history (PostgreSQL)', () => {
  it('stores a truncation marker in the step history and refuses to replay from a truncated input', async () => {
    const target = await postgres.create();
    try {
      await migrate(target.url);
      const db = await openDatabase({ url: target.url, kind: 'postgres', poolMax: 2 });
      try {
        const ids = await publishWorkflow(db);
        const { runId } = await enqueueRun(db.pool, { ...ids, trigger: 'manual', correlationId: 'c', payload: {} });
        const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
        const big = { blob: 'x'.repeat(300 * 1024) };
        const at = Date.now();
        const step = (nodeId: string, activationId: string, extra: Partial<StepRecord>): StepRecord => ({
          nodeId, activationId, attempt: 1, status: 'succeeded', idempotencyKey: `k:${nodeId}`, input: null, startedAt: at, finishedAt: at, durationMs: 0, ...extra,
        });
        const outcome = await new PgRunStore(db.pool).commit(runId, run!.leaseToken, {
          steps: [step('start', 'a0', { output: big }), step('map', 'a1', { input: big, status: 'failed', error: { code: 'x', message: 'boom', retryable: false } })],
          state: { pending: [], outputs: { start: big }, seq: 2 },
          status: 'failed',
          error: { code: 'x', message: 'boom', retryable: false, nodeId: 'map' },
        });
        expect(outcome).toBe('ok');
        const rows = await db.pool.query<{ node_id: string; input: unknown; output: unknown }>('SELECT node_id, input, output FROM steps WHERE run_id = $1 ORDER BY node_id DESC', [runId]);
        expect(rows.rows[0]!.output).toEqual({ $truncated: true, bytes: JSON.stringify(big).length });
        expect(rows.rows[1]!.input).toEqual({ $truncated: true, bytes: JSON.stringify(big).length });
        const replay = await replayRun(db.pool, { tenantId: ids.tenantId, runId, fromNodeId: 'map', version: 'pinned' });
        expect(replay).toMatchObject({ status: 'refused', reason: 'no_recorded_input' });
      } finally {
        await db.close();
      }
    } finally {
      await target.teardown();
    }
  }, 60_000);
});
