import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgRunStore, cancelRun, claimRuns, enqueueRun, migrate, openDatabase, toJsonValue, type ChildRunRequest, type Database, type RunCommit } from '../src/index';
import { backends, publishWorkflow, testGraph, type TestDatabase } from './support';

describe.each(backends)('sub-workflow calls (child runs) on $name', (backend) => {
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
    db = await openDatabase({ url: target.url, kind: backend.name, poolMax: 6 });
    store = new PgRunStore(db.pool);
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE tenants CASCADE');
  });

  /** A tenant with a parent workflow and a child workflow named `child` (versions 1 and 2, 2 active). */
  async function estate() {
    const parent = await publishWorkflow(db);
    const child = await db.prisma.workflow.create({ data: { tenantId: parent.tenantId, name: 'child', draftGraph: toJsonValue(testGraph) }, select: { id: true } });
    const versions = [];
    for (const version of [1, 2]) {
      versions.push(
        await db.prisma.workflowVersion.create({ data: { tenantId: parent.tenantId, workflowId: child.id, version, graph: toJsonValue(testGraph) }, select: { id: true } }),
      );
    }
    await db.prisma.workflow.update({ where: { id: child.id }, data: { activeVersionId: versions[1]!.id } });
    return { parent, childWorkflowId: child.id, childVersions: versions.map((v) => v.id) };
  }

  const request = (extra: Partial<ChildRunRequest> = {}): ChildRunRequest => ({
    activationId: 'a1',
    nodeId: 'call',
    workflow: 'child',
    input: { invoice: 'INV-9' },
    idempotencyKey: 'call:parent:k:call:a1',
    effectKey: 'k:call:a1',
    ...extra,
  });
  const parked = (req: ChildRunRequest): RunCommit => ({
    steps: [],
    state: { pending: [{ id: req.activationId, nodeId: req.nodeId, input: null, attempt: 1 }], outputs: {}, seq: 2 },
    status: 'waiting',
    waits: [{ activationId: req.activationId, nodeId: req.nodeId, kind: 'child', key: req.idempotencyKey }],
    childRuns: [req],
  });
  const row = async (id: string) =>
    (
      await db.pool.query(
        'SELECT status, parent_run_id, correlation_id, idempotency_key, effect_key, version_id, workflow_id, trigger, trigger_payload, wake_at FROM runs WHERE id = $1',
        [id],
      )
    ).rows[0];
  const childrenOf = async (id: string) => (await db.pool.query<{ id: string }>('SELECT id FROM runs WHERE parent_run_id = $1', [id])).rows.map((r) => r.id);

  async function startParent(ids: Awaited<ReturnType<typeof estate>>['parent']) {
    const { runId } = await enqueueRun(db.pool, { ...ids, trigger: 'manual', correlationId: 'corr-parent', payload: {} });
    // Other queued runs (children, woken parents) may be claimed alongside: only this one matters here.
    const claimed = (await claimRuns(db.pool, { workerId: 'w1', limit: 10, leaseMs: 30_000 })).find((r) => r.id === runId);
    expect(claimed).toBeDefined();
    return claimed!;
  }

  it('starts the child with the parking commit: linked, same correlation id, keys from the step, active version', async () => {
    const e = await estate();
    const parent = await startParent(e.parent);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await db.pool.query('UPDATE runs SET traceparent = $2 WHERE id = $1', [parent.id, traceparent]);
    expect(await store.commit(parent.id, parent.leaseToken, parked(request()))).toBe('ok');

    const [childId] = await childrenOf(parent.id);
    expect((await db.pool.query('SELECT traceparent FROM runs WHERE id = $1', [childId])).rows[0].traceparent).toBe(traceparent);
    expect(await row(childId!)).toMatchObject({
      status: 'queued',
      parent_run_id: parent.id,
      correlation_id: 'corr-parent',
      idempotency_key: 'call:parent:k:call:a1',
      effect_key: 'k:call:a1',
      workflow_id: e.childWorkflowId,
      version_id: e.childVersions[1],
      trigger: 'call',
      trigger_payload: { invoice: 'INV-9' },
    });
    expect((await row(parent.id)).status).toBe('waiting');
    // The child's steps are keyed from the calling step's key.
    const [claimedChild] = await claimRuns(db.pool, { workerId: 'w2', limit: 1, leaseMs: 30_000 });
    expect(claimedChild).toMatchObject({ id: childId, idempotencyKey: 'k:call:a1', correlationId: 'corr-parent' });
  });

  it('never starts two children for one step: the same request again finds the first child', async () => {
    const e = await estate();
    const parent = await startParent(e.parent);
    const req = request({ version: 1 });
    const commit = { ...parked(req), status: 'running' as const };
    expect(await store.commit(parent.id, parent.leaseToken, commit)).toBe('ok');
    expect(await store.commit(parent.id, parent.leaseToken, parked(req))).toBe('ok');
    const children = await childrenOf(parent.id);
    expect(children).toHaveLength(1);
    expect((await row(children[0]!)).version_id).toBe(e.childVersions[0]);
  });

  it("puts the child's outcome in the parent's inbox when it ends, wakes the parent, and hands it to the next claim", async () => {
    const e = await estate();
    const parent = await startParent(e.parent);
    await store.commit(parent.id, parent.leaseToken, parked(request()));
    const [child] = await claimRuns(db.pool, { workerId: 'w2', limit: 1, leaseMs: 30_000 });
    expect((await row(parent.id)).status).toBe('waiting');

    const done = await store.commit(child!.id, child!.leaseToken, { steps: [], state: { pending: [], outputs: {}, seq: 1 }, status: 'succeeded', result: { ledgerId: 'L-1' }, waits: [] });
    expect(done).toBe('ok');
    const woken = await row(parent.id);
    expect(woken.status).toBe('queued');
    expect(woken.wake_at.getTime()).toBeLessThanOrEqual(Date.now());

    const [again] = await claimRuns(db.pool, { workerId: 'w1', limit: 1, leaseMs: 30_000 });
    expect(again!.id).toBe(parent.id);
    expect(again!.deliveries).toEqual([
      expect.objectContaining({ kind: 'child', key: 'call:parent:k:call:a1', payload: { runId: child!.id, status: 'succeeded', result: { ledgerId: 'L-1' }, error: null } }),
    ]);
  });

  it('reports a cancelled child as its outcome, and leaves an ended parent alone', async () => {
    const e = await estate();
    const parent = await startParent(e.parent);
    await store.commit(parent.id, parent.leaseToken, parked(request()));
    const [childId] = await childrenOf(parent.id);
    expect(await cancelRun(db.pool, e.parent.tenantId, childId!)).toMatchObject({ status: 'cancelled' });
    const inbox = await db.pool.query('SELECT payload FROM run_deliveries WHERE run_id = $1', [parent.id]);
    expect(inbox.rows).toEqual([{ payload: expect.objectContaining({ runId: childId, status: 'cancelled', result: null }) }]);

    // A second call whose parent was cancelled meanwhile: the child's end delivers nothing.
    const other = await startParent(e.parent);
    await store.commit(other.id, other.leaseToken, parked(request({ idempotencyKey: 'call:other:k' })));
    await cancelRun(db.pool, e.parent.tenantId, other.id);
    const [orphan] = await childrenOf(other.id);
    await cancelRun(db.pool, e.parent.tenantId, orphan!);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM run_deliveries WHERE run_id = $1', [other.id])).rows[0].n).toBe(0);
  });

  it('cancels the live children of a cancelled parent, with the reason', async () => {
    const e = await estate();
    const parent = await startParent(e.parent);
    await store.commit(parent.id, parent.leaseToken, parked(request()));
    const [childId] = await childrenOf(parent.id);
    expect(await cancelRun(db.pool, e.parent.tenantId, parent.id)).toMatchObject({ status: 'cancelled' });
    const child = (await db.pool.query("SELECT status, error->>'message' AS message FROM runs WHERE id = $1", [childId])).rows[0];
    expect(child).toEqual({ status: 'cancelled', message: `its parent run ${parent.id} was cancelled` });
    // The parent ended first: the child's end put nothing in its (deleted) inbox.
    expect((await db.pool.query('SELECT count(*)::int AS n FROM run_deliveries WHERE run_id = $1', [parent.id])).rows[0].n).toBe(0);
  });

  it('refuses an unknown workflow or version into the inbox at once (the parent wakes with it)', async () => {
    const e = await estate();
    const parent = await startParent(e.parent);
    await store.commit(parent.id, parent.leaseToken, parked(request({ workflow: 'nope' })));
    expect(await childrenOf(parent.id)).toEqual([]);
    // Parked, but claimable at once with the refusal in its inbox.
    expect((await row(parent.id)).wake_at.getTime()).toBeLessThanOrEqual(Date.now());
    const [again] = await claimRuns(db.pool, { workerId: 'w1', limit: 1, leaseMs: 30_000 });
    expect(again!.deliveries?.[0]?.payload).toEqual({
      runId: null,
      status: 'not_started',
      error: { code: 'call_workflow_not_found', message: 'workflow.call "call": this tenant has no workflow "nope" with an active published version', retryable: false },
    });

    const other = await startParent(e.parent);
    await store.commit(other.id, other.leaseToken, parked(request({ version: 7 })));
    const inbox = await db.pool.query("SELECT payload->'error'->>'message' AS message FROM run_deliveries WHERE run_id = $1", [other.id]);
    expect(inbox.rows[0].message).toMatch(/no workflow "child" with published version 7$/);

    // Another tenant's workflow of the same name is not reachable.
    const stranger = await estate();
    const third = await startParent(stranger.parent);
    await db.pool.query('DELETE FROM workflows WHERE id = $1', [stranger.childWorkflowId]);
    await store.commit(third.id, third.leaseToken, parked(request()));
    expect(await childrenOf(third.id)).toEqual([]);
  });

  it('stops calls nested deeper than the limit', async () => {
    const e = await estate();
    const parent = await startParent(e.parent);
    // A chain of 8 ancestors above the parent.
    let ancestor: string | null = null;
    for (let i = 0; i < 8; i++) {
      const { runId } = await enqueueRun(db.pool, { ...e.parent, trigger: 'manual', correlationId: `x${i}`, payload: {} });
      await db.pool.query("UPDATE runs SET status = 'waiting', wake_at = '9999-12-31', parent_run_id = $2 WHERE id = $1", [runId, ancestor]);
      ancestor = runId;
    }
    await db.pool.query('UPDATE runs SET parent_run_id = $2 WHERE id = $1', [parent.id, ancestor]);
    await store.commit(parent.id, parent.leaseToken, parked(request()));
    expect(await childrenOf(parent.id)).toEqual([]);
    const inbox = await db.pool.query("SELECT payload->'error'->>'code' AS code FROM run_deliveries WHERE run_id = $1", [parent.id]);
    expect(inbox.rows).toEqual([{ code: 'call_depth_exceeded' }]);
  });
});
