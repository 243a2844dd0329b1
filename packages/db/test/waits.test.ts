import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgRunStore, cancelRun, claimRuns, deliverRunEvent, enqueueRun, migrate, openDatabase, type Database, type RunCommit } from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('durable waits: run_waits and the run inbox (PostgreSQL)', () => {
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

  const state = { pending: [{ id: 'a1', nodeId: 'w', input: null, attempt: 1 }], outputs: {}, seq: 2 };
  const waiting = (extra: Partial<RunCommit> = {}): RunCommit => ({
    steps: [],
    state,
    status: 'waiting',
    waits: [{ activationId: 'a1', nodeId: 'w', kind: 'event', key: 'INV-1' }],
    ...extra,
  });
  const run = async (id: string) =>
    (await db.pool.query<{ status: string; wake_at: Date }>('SELECT status, wake_at FROM runs WHERE id = $1', [id])).rows[0]!;
  const waitsOf = async (id: string) => (await db.pool.query('SELECT activation_id, kind, key FROM run_waits WHERE run_id = $1', [id])).rows;

  async function startWaiting(extra: Partial<RunCommit> = {}) {
    const ids = await publishWorkflow(db);
    const { runId } = await enqueueRun(db.pool, { ...ids, trigger: 'manual', correlationId: 'c', payload: {} });
    const [claimed] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(await store.commit(runId, claimed!.leaseToken, waiting(extra))).toBe('ok');
    return { ids, runId };
  }

  it('registers waits on commit, delivers to the waiting run, hands the inbox to the next claim and deletes it once consumed', async () => {
    const { ids, runId } = await startWaiting();
    expect(await waitsOf(runId)).toEqual([{ activation_id: 'a1', kind: 'event', key: 'INV-1' }]);
    // No timeout: parked out of the claim range.
    expect((await run(runId)).wake_at.getUTCFullYear()).toBe(9999);

    const other = await publishWorkflow(db);
    expect(await deliverRunEvent(db.pool, { tenantId: other.tenantId, kind: 'event', key: 'INV-1', payload: {} })).toEqual({ status: 'delivered', runs: [] });
    expect(await deliverRunEvent(db.pool, { tenantId: ids.tenantId, kind: 'event', key: 'INV-2', payload: {} })).toEqual({ status: 'delivered', runs: [] });

    const delivered = await deliverRunEvent(db.pool, { tenantId: ids.tenantId, kind: 'event', key: 'INV-1', payload: { paid: true } });
    expect(delivered).toEqual({ status: 'delivered', runs: [{ runId, previousStatus: 'waiting' }] });
    const woken = await run(runId);
    expect(woken.status).toBe('queued');
    expect(woken.wake_at.getTime()).toBeLessThanOrEqual(Date.now());

    const [claimed] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(claimed!.id).toBe(runId);
    expect(claimed!.deliveries).toMatchObject([{ kind: 'event', key: 'INV-1', payload: { paid: true } }]);
    const deliveryId = claimed!.deliveries![0]!.id;
    expect(await store.commit(runId, claimed!.leaseToken, { steps: [], state, status: 'running', waits: [], consumedDeliveries: [deliveryId] })).toBe('ok');
    expect(await waitsOf(runId)).toEqual([]);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM run_deliveries')).rows[0].n).toBe(0);
  });

  it('queues a delivery for a run a worker holds and wakes it when that worker parks it', async () => {
    const { ids, runId } = await startWaiting({ wakeAt: Date.now() + 3_600_000, waits: [{ activationId: 'a1', nodeId: 'w', kind: 'approval', key: 'PO-9', timeoutAt: Date.now() + 3_600_000 }] });
    // Another branch of the run is being worked on.
    await db.pool.query(`UPDATE runs SET wake_at = now() WHERE id = $1`, [runId]);
    const [held] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    const delivered = await deliverRunEvent(db.pool, { tenantId: ids.tenantId, kind: 'approval', key: 'PO-9', payload: { by: 'ann' }, decision: 'approved' });
    expect(delivered).toEqual({ status: 'delivered', runs: [{ runId, previousStatus: 'running' }] });
    expect((await run(runId)).status).toBe('running');

    // The slice parks on the approval's timeout, not knowing about the decision: the commit wakes it now.
    const timeoutAt = Date.now() + 3_600_000;
    await store.commit(runId, held!.leaseToken, waiting({ wakeAt: timeoutAt, waits: [{ activationId: 'a1', nodeId: 'w', kind: 'approval', key: 'PO-9', timeoutAt }] }));
    expect((await run(runId)).wake_at.getTime()).toBeLessThanOrEqual(Date.now());
    const [again] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(again!.deliveries).toMatchObject([{ kind: 'approval', key: 'PO-9', decision: 'approved', payload: { by: 'ann' } }]);
  });

  it('parks a wait with a timeout until the timeout, and ignores deliveries after it', async () => {
    const timeoutAt = Date.now() + 50;
    const { ids, runId } = await startWaiting({ wakeAt: timeoutAt, waits: [{ activationId: 'a1', nodeId: 'w', kind: 'event', key: 'K', timeoutAt }] });
    expect((await run(runId)).wake_at.getTime()).toBe(timeoutAt);
    await new Promise((r) => setTimeout(r, 80));
    expect(await deliverRunEvent(db.pool, { tenantId: ids.tenantId, kind: 'event', key: 'K', payload: 1 })).toEqual({ status: 'delivered', runs: [] });
  });

  it('drops waits of a cancelled or finished run and rejects bad input by field', async () => {
    const { ids, runId } = await startWaiting();
    expect((await cancelRun(db.pool, ids.tenantId, runId)).status).toBe('cancelled');
    expect(await waitsOf(runId)).toEqual([]);
    expect(await deliverRunEvent(db.pool, { tenantId: ids.tenantId, kind: 'event', key: 'INV-1' })).toEqual({ status: 'delivered', runs: [] });

    const bad = await deliverRunEvent(db.pool, { tenantId: ids.tenantId, kind: 'approval', key: '', decision: 'maybe' as never, runId: 'x' });
    expect(bad.status).toBe('invalid');
    expect(bad.status === 'invalid' && bad.errors.map((e) => e.field)).toEqual(['key', 'decision', 'runId']);
  });
});
