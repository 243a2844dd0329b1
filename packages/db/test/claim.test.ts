import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgRunStore, claimRuns, enqueueRun, migrate, openDatabase, setTenantPolicy, setWorkflowPolicy, type Database } from '../src/index';
import { backends, expireLease, publishWorkflow, queueMany, type TestDatabase } from './support';

type Ids = Awaited<ReturnType<typeof publishWorkflow>>;

describe.each(backends)('fair, capped claims on $name', (backend) => {
  if (backend.skipReason) {
    it.skip(`skipped: ${backend.skipReason}`, () => undefined);
    return;
  }
  let target: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    target = await backend.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: backend.name, poolMax: 10 });
  }, 30_000);

  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });

  beforeEach(async () => {
    await db.pool.query('TRUNCATE tenants CASCADE');
  });

  const enqueue = (ids: Ids, n = 1) => enqueueRun(db.pool, { ...ids, trigger: 'manual', correlationId: `c-${n}`, payload: { n } });
  const running = async (tenantId: string) =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE tenant_id = $1 AND status = 'running'`, [tenantId])).rows[0]!.n;

  it("never lets a tenant exceed its maxConcurrentRuns, whatever number of workers claim at once", async () => {
    const ids = await publishWorkflow(db);
    expect((await setTenantPolicy(db.pool, ids.tenantId, { maxConcurrentRuns: 3 })).status).toBe('saved');
    await queueMany(db, ids, 30);

    // Three claimers, each claiming repeatedly and concurrently, with room for more than the cap.
    const claimer = async (workerId: string) => {
      const mine: string[] = [];
      for (let i = 0; i < 5; i++) mine.push(...(await claimRuns(db.pool, { workerId, limit: 4, leaseMs: 30_000 })).map((r) => r.id));
      return mine;
    };
    const claimed = (await Promise.all(['w1', 'w2', 'w3'].map(claimer))).flat();
    expect(claimed).toHaveLength(3);
    expect(new Set(claimed).size).toBe(3);
    expect(await running(ids.tenantId)).toBe(3);

    // A run that ends frees exactly one slot.
    const store = new PgRunStore(db.pool);
    const token = (await db.pool.query<{ lease_token: number }>('SELECT lease_token FROM runs WHERE id = $1', [claimed[0]])).rows[0]!.lease_token;
    expect(await store.commit(claimed[0]!, token, { steps: [], state: { pending: [], outputs: {}, seq: 1 }, status: 'succeeded' })).toBe('ok');
    const again = await Promise.all(['w1', 'w2', 'w3'].map((w) => claimRuns(db.pool, { workerId: w, limit: 4, leaseMs: 30_000 })));
    expect(again.flat()).toHaveLength(1);
    expect(await running(ids.tenantId)).toBe(3);
  });

  it('takes over an expired lease even when the tenant is at its cap', async () => {
    const ids = await publishWorkflow(db);
    await setTenantPolicy(db.pool, ids.tenantId, { maxConcurrentRuns: 2 });
    await queueMany(db, ids, 5);
    const first = await claimRuns(db.pool, { workerId: 'dead', limit: 5, leaseMs: 30_000 });
    expect(first).toHaveLength(2);
    await expireLease(db, first[0]!.id);
    const taken = await claimRuns(db.pool, { workerId: 'alive', limit: 5, leaseMs: 30_000 });
    expect(taken.map((r) => r.id)).toEqual([first[0]!.id]);
    expect(await running(ids.tenantId)).toBe(2);
  });

  it('does not let a noisy tenant starve a quiet one: round-robin between tenants in every batch', async () => {
    const noisy = await publishWorkflow(db);
    const quiet = await publishWorkflow(db);
    await queueMany(db, noisy, 500);
    const { runId: quietRun } = await enqueue(quiet);

    const batch = await claimRuns(db.pool, { workerId: 'w', limit: 4, leaseMs: 30_000 });
    expect(batch).toHaveLength(4);
    expect(batch.map((r) => r.id)).toContain(quietRun);
    expect(batch.filter((r) => r.tenantId === noisy.tenantId)).toHaveLength(3);

    // With three tenants and a batch of 3, each gets one.
    const third = await publishWorkflow(db);
    await queueMany(db, third, 50);
    await enqueue(quiet, 2);
    const next = await claimRuns(db.pool, { workerId: 'w', limit: 3, leaseMs: 30_000 });
    expect(new Set(next.map((r) => r.tenantId))).toEqual(new Set([noisy.tenantId, quiet.tenantId, third.tenantId]));
  });

  it("claims higher-priority runs first; a workflow's priority overrides its tenant's", async () => {
    const ids = await publishWorkflow(db);
    await setTenantPolicy(db.pool, ids.tenantId, { priority: 5 });
    const low = await enqueue(ids, 1);
    await setWorkflowPolicy(db.pool, ids.tenantId, ids.workflowId, { priority: 50 });
    const high = await enqueue(ids, 2);
    const priorities = await db.pool.query<{ id: string; priority: number }>('SELECT id, priority FROM runs WHERE tenant_id = $1', [ids.tenantId]);
    expect(Object.fromEntries(priorities.rows.map((r) => [r.id, r.priority]))).toEqual({ [low.runId]: 5, [high.runId]: 50 });

    const [first] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(first!.id).toBe(high.runId);
    const [second] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(second!.id).toBe(low.runId);
  });

  it("hands the worker the run's tenant and workflow retry and timeout overrides", async () => {
    const ids = await publishWorkflow(db);
    await setTenantPolicy(db.pool, ids.tenantId, { retry: { maxAttempts: 7, jitter: 0 }, timeoutMs: 9000 });
    await setWorkflowPolicy(db.pool, ids.tenantId, ids.workflowId, { retry: { maxAttempts: 2 } });
    await enqueue(ids);
    const [run] = await claimRuns(db.pool, { workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(run).toMatchObject({ workflowId: ids.workflowId, versionId: ids.versionId, priority: 0 });
    expect(run!.policyDefaults).toEqual({ retry: { maxAttempts: 2, jitter: 0 }, timeoutMs: 9000 });
  });
});
