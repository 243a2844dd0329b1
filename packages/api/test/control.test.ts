import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgRunStore, claimRuns } from '@switchyard/db';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph } from './support/graphs';

describe.skipIf(postgresUnavailable !== null)(`control routers on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let a: ReturnType<typeof callerFor>;
  let b: ReturnType<typeof callerFor>;
  let wf: { id: string };
  let store: PgRunStore;

  beforeAll(async () => {
    t = await createTestDatabase('api_control');
    await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
    a = callerFor(t.db, 'acme');
    b = callerFor(t.db, 'globex');
    store = new PgRunStore(t.db.pool);
    const { id } = await a.workflows.create({ name: 'Manual' });
    await a.workflows.saveDraft({ id, graph: manualGraph(), expectedRevision: 1 });
    await a.workflows.publish({ id });
    wf = { id };
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** Starts a run and commits it the way the engine would (a worker's claim, then one commit). */
  async function runTo(commit: Parameters<PgRunStore['commit']>[2]) {
    const { runId } = await a.runs.trigger({ workflowId: wf.id, payload: { invoice: 'INV-1' } });
    const claimed = await claimRuns(t.db.pool, { workerId: 'test', limit: 10, leaseMs: 30_000 });
    const mine = claimed.find((r) => r.id === runId)!;
    expect(await store.commit(runId, mine.leaseToken, commit)).toBe('ok');
    return runId;
  }
  const waitingOn = (kind: 'event' | 'approval', key: string) => ({
    steps: [],
    state: { pending: [{ id: 'a1', nodeId: 'map', input: null, attempt: 1 }], outputs: {}, seq: 2 },
    status: 'waiting' as const,
    waits: [{ activationId: 'a1', nodeId: 'map', kind, key }],
  });

  it('delivers events and approval decisions to the tenant’s waiting runs only', async () => {
    const waitingEvent = await runTo(waitingOn('event', 'INV-1'));
    expect(await b.events.deliver({ kind: 'event', key: 'INV-1', payload: {} })).toEqual({ runs: [] });
    expect(await a.events.deliver({ kind: 'event', key: 'INV-1', payload: { paid: true } })).toEqual({ runs: [{ runId: waitingEvent, previousStatus: 'waiting' }] });
    expect((await a.runs.get({ id: waitingEvent })).status).toBe('queued');

    const waitingApproval = await runTo(waitingOn('approval', 'PO-7'));
    await expectTrpcError(b.approvals.decide({ key: 'PO-7', decision: 'approved' }), 'NOT_FOUND');
    await expectTrpcError(a.approvals.decide({ key: 'PO-7', decision: 'maybe' as never }), 'BAD_REQUEST');
    const decided = await a.approvals.decide({ runId: waitingApproval, key: 'PO-7', decision: 'rejected', comment: 'too expensive' });
    expect(decided.runs).toEqual([{ runId: waitingApproval, previousStatus: 'waiting' }]);
    const inbox = await t.db.pool.query('SELECT decision, payload FROM run_deliveries WHERE run_id = $1', [waitingApproval]);
    expect(inbox.rows).toMatchObject([{ decision: 'rejected', payload: { decision: 'rejected', comment: 'too expensive' } }]);
    const empty = await expectTrpcError(a.events.deliver({ kind: 'event', key: '  ' }), 'BAD_REQUEST');
    expect(empty.message).toContain('key');
    const neither = await expectTrpcError(a.events.deliver({ kind: 'event', payload: {} }), 'BAD_REQUEST');
    expect(neither.message).toContain('or its correlationId');
    // By correlation id alone: every open event wait of the runs with that id.
    const byCorrelation = await runTo(waitingOn('event', 'SO-77'));
    const correlationId = (await a.runs.get({ id: byCorrelation })).correlationId;
    expect(await a.events.deliver({ correlationId, payload: {} })).toEqual({ runs: [{ runId: byCorrelation, previousStatus: 'waiting' }] });
  });

  it('cancels and replays with not-found across tenants and conflict for a live run', async () => {
    const failed = await runTo({
      steps: [],
      state: { pending: [], outputs: {}, seq: 2 },
      status: 'failed',
      error: { code: 'http_503', message: 'POST /x returned 503', retryable: true, nodeId: 'map' },
    });
    const live = (await a.runs.trigger({ workflowId: wf.id, payload: {} })).runId;

    await expectTrpcError(b.runs.cancel({ id: live }), 'NOT_FOUND');
    await expectTrpcError(b.runs.replay({ id: failed, version: 'pinned' }), 'NOT_FOUND');
    const stillRunning = await expectTrpcError(a.runs.replay({ id: live, version: 'pinned' }), 'CONFLICT');
    expect(stillRunning.message).toMatch(/still|live|running|queued/i);

    expect(await a.runs.cancel({ id: live })).toMatchObject({ status: 'cancelled', previousStatus: 'queued' });
    const again = await expectTrpcError(a.runs.cancel({ id: live }), 'CONFLICT');
    expect(again.message).toContain('already ended');

    expect(await a.deadLetters.groups()).toMatchObject([{ errorCode: 'http_503' }]);
    expect(await b.deadLetters.groups()).toEqual([]);
    const letter = await a.deadLetters.get({ id: failed });
    expect(letter).toMatchObject({ runId: failed, reason: 'retries_exhausted' });
    await expectTrpcError(b.deadLetters.get({ id: failed }), 'NOT_FOUND');
    expect((await a.deadLetters.list({ limit: 10 })).items.map((l) => l.runId)).toContain(failed);

    expect(await a.runs.bulkReplay({ filter: { errorCode: 'http_503' }, dryRun: true })).toMatchObject({ status: 'dry_run', count: 1 });
    expect(await b.runs.bulkReplay({ filter: {}, dryRun: true })).toMatchObject({ status: 'dry_run', count: 0 });
    const replay = await a.runs.replay({ id: failed, version: 'pinned' });
    expect(replay).toMatchObject({ status: 'replayed', originalRunId: failed });
    expect((await a.runs.get({ id: replay.runId })).status).toBe('queued');
  });

  it('sets, reads and explains policies with field errors for bad values', async () => {
    expect(await a.policies.setTenant({ policy: { retry: { maxAttempts: 7 } } })).toEqual({ retry: { maxAttempts: 7 } });
    expect(await a.policies.getTenant()).toEqual({ retry: { maxAttempts: 7 } });
    expect(await b.policies.getTenant()).toEqual({});
    const bad = await expectTrpcError(a.policies.setTenant({ policy: { retry: { maxAttempts: -1 } } }), 'BAD_REQUEST');
    expect(bad.cause).toMatchObject({ issues: [{ path: [expect.stringContaining('maxAttempts')] }] });
    expect(bad.message).toContain('maxAttempts');

    await a.policies.setWorkflow({ workflowId: wf.id, policy: { timeoutMs: 5_000 } });
    expect(await a.policies.getWorkflow({ workflowId: wf.id })).toEqual({ timeoutMs: 5_000 });
    await expectTrpcError(b.policies.getWorkflow({ workflowId: wf.id }), 'NOT_FOUND');
    await expectTrpcError(b.policies.setWorkflow({ workflowId: wf.id, policy: {} }), 'NOT_FOUND');

    const effective = await a.policies.effective({ workflowId: wf.id, nodeId: 'map' });
    expect(JSON.stringify(effective)).toContain('tenant');
    expect(JSON.stringify(effective)).toContain('workflow');
    await expectTrpcError(a.policies.effective({ workflowId: wf.id, nodeId: 'nope' }), 'NOT_FOUND');
    await expectTrpcError(a.policies.effective({ nodeId: 'map' }), 'BAD_REQUEST');
    await expectTrpcError(b.policies.effective({ workflowId: wf.id }), 'NOT_FOUND');
  });

  it('manages schedules per tenant and previews slots', async () => {
    const created = await a.schedules.create({ workflowId: wf.id, cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' });
    expect(created).toMatchObject({ workflowId: wf.id, cron: '0 9 * * 1-5', enabled: true });
    await expectTrpcError(b.schedules.create({ workflowId: wf.id, cron: '0 9 * * *' }), 'NOT_FOUND');
    const invalid = await expectTrpcError(a.schedules.create({ workflowId: wf.id, cron: 'every day' }), 'BAD_REQUEST');
    expect(invalid.message).toContain('cron');
    expect(await b.schedules.list()).toEqual([]);
    expect((await a.schedules.list()).map((s) => s.id)).toEqual([created.id]);
    await expectTrpcError(b.schedules.update({ id: created.id, patch: { enabled: false } }), 'NOT_FOUND');
    expect(await a.schedules.update({ id: created.id, patch: { enabled: false } })).toMatchObject({ enabled: false });
    const preview = await a.schedules.preview({ cron: '0 0 * * *', timeZone: 'UTC', count: 3 });
    expect(preview.slots).toHaveLength(3);
    expect(preview.slots.every((s) => s.getUTCHours() === 0)).toBe(true);
    await expectTrpcError(a.schedules.preview({ cron: '0 0 * * *', timeZone: 'Mars/Olympus' }), 'BAD_REQUEST');
    await expectTrpcError(b.schedules.delete({ id: created.id }), 'NOT_FOUND');
    expect(await a.schedules.delete({ id: created.id })).toEqual({ deleted: true });
    expect(await a.breakers.list()).toEqual([]);
  });
});
