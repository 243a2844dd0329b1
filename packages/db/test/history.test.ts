import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '@switchyard/workflow';
import {
  capPayload,
  enqueueRunWithKeys,
  listRunHistory,
  loadDashboard,
  migrate,
  openDatabase,
  purgeExpiredHistory,
  scrapeTenantMetrics,
  searchRuns,
  type Database,
  type RunHistoryFilter,
  type RunKey,
} from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

const postgres = backends.find((b) => b.name === 'postgres')!;
const NOW = new Date('2026-11-20T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

const httpGraph: Graph = {
  schemaVersion: 1,
  settings: {},
  nodes: [
    { id: 'start', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
    { id: 'post', kind: 'http.request', position: { x: 200, y: 0 }, config: { url: 'https://user:pw@ERP.example.com:8443/invoices?key=1' } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'post' }],
};

type Ids = Awaited<ReturnType<typeof publishWorkflow>>;

describe.skipIf(Boolean(postgres.skipReason))('run history, dashboards and retention (PostgreSQL)', () => {
  let target: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    target = await postgres.create();
    await migrate(target.url);
    db = await openDatabase({ url: target.url, kind: 'postgres', poolMax: 8 });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await target?.teardown();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE tenants CASCADE');
  });

  /** A second version and a second workflow in the same tenant. */
  async function addVersion(ids: Ids, version: number): Promise<string> {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO workflow_versions (id, tenant_id, workflow_id, version, graph) SELECT gen_random_uuid(), $1, $2, $3, graph FROM workflow_versions WHERE id = $4 RETURNING id`,
      [ids.tenantId, ids.workflowId, version, ids.versionId],
    );
    return rows[0]!.id;
  }

  async function addWorkflow(ids: Ids, name: string): Promise<Ids> {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO workflows (id, tenant_id, name, draft_graph, updated_at) SELECT gen_random_uuid(), tenant_id, $2, draft_graph, now() FROM workflows WHERE id = $1 RETURNING id`,
      [ids.workflowId, name],
    );
    const workflowId = rows[0]!.id;
    const v = await db.pool.query<{ id: string }>(
      `INSERT INTO workflow_versions (id, tenant_id, workflow_id, version, graph) SELECT gen_random_uuid(), tenant_id, $2, 1, graph FROM workflow_versions WHERE id = $1 RETURNING id`,
      [ids.versionId, workflowId],
    );
    return { tenantId: ids.tenantId, workflowId, versionId: v.rows[0]!.id };
  }

  interface Seed {
    status?: string;
    trigger?: string;
    createdAt: Date;
    versionId?: string;
    keys?: string[];
    correlationId?: string;
    durationMs?: number;
    replayOf?: string;
  }
  async function seed(ids: Ids, s: Seed): Promise<string> {
    const status = s.status ?? 'succeeded';
    const started = new Date(s.createdAt.getTime() + 10);
    const finished = ['queued', 'running', 'waiting'].includes(status) ? null : new Date(started.getTime() + (s.durationMs ?? 100));
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, trigger_payload, business_keys,
                         created_at, started_at, finished_at, wake_at, updated_at, replay_of, dead_lettered_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4::run_status, $5, $6, '{}', $7, $8, $9, $10::timestamptz, $8, $8, $11,
               CASE WHEN $4::text IN ('failed', 'compensated', 'compensation_failed') THEN $10::timestamptz END)
       RETURNING id`,
      [ids.tenantId, ids.workflowId, s.versionId ?? ids.versionId, status, s.trigger ?? 'webhook', s.correlationId ?? `c-${Math.random()}`, s.keys ?? [], s.createdAt, started, finished, s.replayOf ?? null],
    );
    return rows[0]!.id;
  }

  async function collect(tenantId: string, filter: Omit<RunHistoryFilter, 'limit' | 'after'>, limit = 3): Promise<string[]> {
    const ids: string[] = [];
    let after: RunKey | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await listRunHistory(db.pool, tenantId, { ...filter, limit, after });
      ids.push(...page.items.map((r) => r.id));
      if (!page.next) break;
      after = page.next;
    }
    return ids;
  }

  it('filters by workflow, version, status, trigger and time range, pages without gaps and stays in the tenant', async () => {
    const a = await publishWorkflow(db, 'acme');
    const v2 = await addVersion(a, 2);
    const other = await publishWorkflow(db, 'globex');
    const expected: Record<string, string[]> = { all: [], v2: [], failed: [], manual: [], v2Failed: [], manualFailed: [], window: [] };
    // Newest first: i = 0 is the newest run.
    for (let i = 0; i < 24; i++) {
      const status = i % 3 === 0 ? 'failed' : 'succeeded';
      const trigger = i % 4 === 0 ? 'manual' : 'webhook';
      const versionId = i % 2 === 0 ? v2 : a.versionId;
      const id = await seed(a, { status, trigger, versionId, createdAt: minutesAgo(i) });
      expected.all!.push(id);
      if (versionId === v2) expected.v2!.push(id);
      if (status === 'failed') expected.failed!.push(id);
      if (trigger === 'manual') expected.manual!.push(id);
      if (versionId === v2 && status === 'failed') expected.v2Failed!.push(id);
      if (trigger === 'manual' && status === 'failed') expected.manualFailed!.push(id);
      if (i >= 5 && i < 15) expected.window!.push(id);
      await seed(other, { status, trigger, createdAt: minutesAgo(i) });
    }
    expect(await collect(a.tenantId, {})).toEqual(expected.all);
    expect(await collect(a.tenantId, { workflowId: a.workflowId })).toEqual(expected.all);
    expect(await collect(a.tenantId, { versionId: v2 })).toEqual(expected.v2);
    expect(await collect(a.tenantId, { status: 'failed' })).toEqual(expected.failed);
    expect(await collect(a.tenantId, { trigger: 'manual' })).toEqual(expected.manual);
    expect(await collect(a.tenantId, { versionId: v2, status: 'failed' })).toEqual(expected.v2Failed);
    expect(await collect(a.tenantId, { workflowId: a.workflowId, trigger: 'manual', status: 'failed' })).toEqual(expected.manualFailed);
    expect(await collect(a.tenantId, { from: minutesAgo(14), to: minutesAgo(4.5) })).toEqual(expected.window);
    expect(await collect(a.tenantId, { versionId: v2, from: minutesAgo(14), to: minutesAgo(4.5) }, 2)).toEqual(expected.window!.filter((id) => expected.v2!.includes(id)));
    // Another tenant's workflow is not visible through the filter.
    expect(await collect(a.tenantId, { workflowId: other.workflowId })).toEqual([]);
    const page = await listRunHistory(db.pool, a.tenantId, { limit: 1 });
    expect(page.items[0]).toMatchObject({ workflowName: 'wf', version: 2, trigger: 'manual', status: 'failed', durationMs: 100, businessKeys: [] });
  });

  it('finds runs by business key, idempotency key or correlation id across workflows, with their replays, in one tenant only', async () => {
    const a = await publishWorkflow(db, 'acme');
    const b2 = await addWorkflow(a, 'wf-2');
    const other = await publishWorkflow(db, 'globex');

    const first = await enqueueRunWithKeys(db.pool, { ...a, trigger: 'webhook', correlationId: 'corr-1', idempotencyKey: 'INV-2026-0042', payload: {} }, ['INV-2026-0042', 'CUST-9']);
    const second = await enqueueRunWithKeys(db.pool, { ...b2, trigger: 'webhook', correlationId: 'corr-2', payload: {} }, ['INV-2026-0042']);
    const replay = await seed(a, { createdAt: new Date(Date.now() + 1000), correlationId: 'corr-1', replayOf: first.runId });
    await enqueueRunWithKeys(db.pool, { ...other, trigger: 'webhook', correlationId: 'corr-1', payload: {} }, ['INV-2026-0042']);
    // An idempotent repeat returns the existing run and leaves its keys alone.
    const repeat = await enqueueRunWithKeys(db.pool, { ...a, trigger: 'webhook', correlationId: 'corr-x', idempotencyKey: 'INV-2026-0042', payload: {} }, ['OTHER']);
    expect(repeat).toMatchObject({ runId: first.runId, created: false });

    const byKey = await searchRuns(db.pool, a.tenantId, { q: 'INV-2026-0042', limit: 10 });
    expect(byKey.items.map((r) => r.id)).toEqual([replay, second.runId, first.runId]);
    expect(byKey.items[2]!.businessKeys).toEqual(['INV-2026-0042', 'CUST-9']);
    expect((await searchRuns(db.pool, a.tenantId, { q: 'CUST-9', limit: 10 })).items.map((r) => r.id)).toEqual([replay, first.runId]);
    expect((await searchRuns(db.pool, a.tenantId, { q: 'corr-2', limit: 10 })).items.map((r) => r.id)).toEqual([second.runId]);
    expect((await searchRuns(db.pool, a.tenantId, { q: first.runId, limit: 10 })).items.map((r) => r.id)).toContain(first.runId);
    // Exact match only, and keyset pages.
    expect((await searchRuns(db.pool, a.tenantId, { q: 'INV-2026', limit: 10 })).items).toEqual([]);
    const p1 = await searchRuns(db.pool, a.tenantId, { q: 'INV-2026-0042', limit: 2 });
    const p2 = await searchRuns(db.pool, a.tenantId, { q: 'INV-2026-0042', limit: 2, after: p1.next! });
    expect([...p1.items, ...p2.items].map((r) => r.id)).toEqual([replay, second.runId, first.runId]);
    expect(p2.next).toBeNull();
    // globex sees only its own run.
    expect((await searchRuns(db.pool, other.tenantId, { q: 'INV-2026-0042', limit: 10 })).items).toHaveLength(1);
    await expect(enqueueRunWithKeys(db.pool, { ...a, trigger: 'manual', correlationId: 'c', payload: {} }, ['x'.repeat(201)])).rejects.toThrow(/businessKeys\[0\]/);
  });

  it('pages a key carried by many runs newest first, with a late replay of an old run on the first page', async () => {
    const a = await publishWorkflow(db, 'busy-key');
    const base = Date.now() - 3_600_000;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await seed(a, { createdAt: new Date(base + i * 1000), keys: ['CUST-BUSY', `INV-${i}`] }));
    // The oldest run is replayed now: the replay carries no keys of its own but is found by its original's.
    const replay = await seed(a, { createdAt: new Date(), replayOf: ids[0]!, keys: [] });
    const pages: string[][] = [];
    let after: RunKey | undefined;
    do {
      const page = await searchRuns(db.pool, a.tenantId, { q: 'CUST-BUSY', limit: 7, after });
      pages.push(page.items.map((r) => r.id));
      after = page.next ?? undefined;
    } while (after && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7]);
    expect(pages.flat()).toEqual([replay, ...[...ids].reverse()]);
    expect((await searchRuns(db.pool, a.tenantId, { q: 'INV-0', limit: 5 })).items.map((r) => r.id)).toEqual([replay, ids[0]]);
  });

  it('dashboards count only the tenants in scope and report durations, retries, endpoints and backlog', async () => {
    const a = await publishWorkflow(db, 'acme', httpGraph);
    const other = await publishWorkflow(db, 'globex', httpGraph);
    for (let i = 0; i < 10; i++) await seed(a, { status: i < 8 ? 'succeeded' : 'failed', createdAt: minutesAgo(i * 5 + 1), durationMs: (i + 1) * 100 });
    await seed(a, { status: 'queued', createdAt: minutesAgo(30) });
    await seed(a, { status: 'waiting', createdAt: minutesAgo(2) });
    await seed(a, { status: 'succeeded', createdAt: minutesAgo(200) }); // outside 1h
    for (let i = 0; i < 7; i++) await seed(other, { status: 'failed', createdAt: minutesAgo(i + 1) });
    const run = await seed(a, { status: 'failed', createdAt: minutesAgo(3) });
    await db.pool.query(
      `INSERT INTO steps (id, tenant_id, run_id, node_id, activation_id, attempt, status, idempotency_key, started_at, finished_at, duration_ms)
       VALUES (gen_random_uuid(), $1, $2, 'post', 'a1', 1, 'failed', 'k', $3, $3, 120),
              (gen_random_uuid(), $1, $2, 'post', 'a1', 2, 'failed', 'k', $3, $3, 80),
              (gen_random_uuid(), $1, $2, 'start', 'a0', 1, 'succeeded', 'k0', $3, $3, 1)`,
      [a.tenantId, run, minutesAgo(3)],
    );

    const d = await loadDashboard(db.pool, { tenantIds: [a.tenantId], range: '1h', now: NOW });
    expect(d.totals).toMatchObject({ runs: 13, succeeded: 8, failed: 3, live: 2, attempts: 3, retries: 1, deadLetters: 3 });
    expect(d.totals.successRate).toBeCloseTo(8 / 11);
    expect(d.series).toHaveLength(60);
    expect(d.series.reduce((n, p) => n + p.runs, 0)).toBe(13);
    expect(d.workflows).toHaveLength(1);
    expect(d.workflows[0]).toMatchObject({ tenantSlug: 'acme', runs: 13, succeeded: 8, failed: 3 });
    expect(d.workflows[0]!.p95Ms).toBeGreaterThan(d.workflows[0]!.p50Ms!);
    expect(d.failingEndpoints).toEqual([{ host: 'erp.example.com:8443', calls: 2, failures: 2, failureRate: 1, p50Ms: 100, p95Ms: 118 }]);
    expect(d.tenants).toEqual([
      { tenantId: a.tenantId, slug: 'acme', name: 'acme', queued: 1, waiting: 1, running: 0, backlog: 2, oldestQueuedAgeMs: 30 * 60_000, slaBreaches: 1, openSlaBreaches: 1 },
    ]);
    // The queued run has waited 30 minutes, past the platform's 15-minute SLA: the window's only breach.
    expect(d.totals.slaBreaches).toBe(1);

    const platform = await loadDashboard(db.pool, { tenantIds: [a.tenantId, other.tenantId], range: '1h', now: NOW });
    expect(platform.totals.runs).toBe(20);
    expect(platform.tenants.map((t) => t.slug)).toEqual(['acme', 'globex']);

    const metrics = await scrapeTenantMetrics(db.pool, NOW);
    expect(metrics.find((m) => m.slug === 'globex')).toMatchObject({ deadLetters: 7, recentByStatus: { failed: 5 }, backlog: 0 });
  });

  it('attributes endpoint calls by the run\'s pinned version when a node\'s URL changed between versions', async () => {
    const a = await publishWorkflow(db, 'acme', httpGraph);
    const moved = structuredClone(httpGraph);
    (moved.nodes[1]!.config as { url: string }).url = 'https://erp-new.example.com/invoices';
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO workflow_versions (id, tenant_id, workflow_id, version, graph) VALUES (gen_random_uuid(), $1, $2, 2, $3) RETURNING id`,
      [a.tenantId, a.workflowId, JSON.stringify(moved)],
    );
    const onOld = await seed(a, { createdAt: minutesAgo(5) });
    const onNew = await seed(a, { createdAt: minutesAgo(4), versionId: rows[0]!.id });
    for (const [run, ms] of [[onOld, 10], [onNew, 30], [onNew, 50]] as const) {
      await db.pool.query(
        `INSERT INTO steps (id, tenant_id, run_id, node_id, activation_id, attempt, status, idempotency_key, started_at, finished_at, duration_ms)
         VALUES (gen_random_uuid(), $1, $2, 'post', gen_random_uuid()::text, 1, 'succeeded', 'k', $3, $3, $4)`,
        [a.tenantId, run, minutesAgo(3), ms],
      );
    }
    const d = await loadDashboard(db.pool, { tenantIds: [a.tenantId], range: '1h', now: NOW });
    expect(d.slowestEndpoints.map((e) => [e.host, e.calls, e.p50Ms])).toEqual([
      ['erp-new.example.com', 2, 40],
      ['erp.example.com:8443', 1, 10],
    ]);
  });

  it('purges expired finished runs and their steps per tenant and workflow policy, keeping live runs and other tenants', async () => {
    const a = await publishWorkflow(db, 'acme');
    const b = await publishWorkflow(db, 'globex');
    const day = 86_400_000;
    const old = new Date(Date.now() - 40 * day);
    const recent = new Date(Date.now() - 5 * day);
    const expiredA = await seed(a, { createdAt: old });
    const liveOld = await seed(a, { status: 'queued', createdAt: old });
    const keptA = await seed(a, { createdAt: recent });
    const keptB = await seed(b, { createdAt: old });
    await db.pool.query(
      `INSERT INTO steps (id, tenant_id, run_id, node_id, activation_id, attempt, status, idempotency_key, started_at, finished_at, duration_ms)
       SELECT gen_random_uuid(), tenant_id, id, 'n', 'a', g, 'succeeded', 'k', created_at, created_at, 1 FROM runs, generate_series(1, 3) g`,
    );
    // globex keeps history for 60 days; acme uses the platform default (30).
    await db.pool.query(`INSERT INTO tenant_policies (tenant_id, policy) VALUES ($1, '{"retentionDays": 60}')`, [b.tenantId]);
    const result = await purgeExpiredHistory(db.pool, { batchSize: 1 });
    expect(result).toMatchObject({ runs: 1, steps: 3, more: false, tenants: [{ tenantId: a.tenantId, runs: 1, steps: 3 }] });
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM runs ORDER BY id');
    expect(rows.map((r) => r.id).sort()).toEqual([liveOld, keptA, keptB].sort());
    expect(rows.map((r) => r.id)).not.toContain(expiredA);
    const steps = await db.pool.query('SELECT 1 FROM steps WHERE run_id = $1', [expiredA]);
    expect(steps.rowCount).toBe(0);

    // A workflow policy narrows the window for that workflow only.
    await db.pool.query(`INSERT INTO workflow_policies (workflow_id, tenant_id, policy) VALUES ($1, $2, '{"retentionDays": 3}')`, [a.workflowId, a.tenantId]);
    const second = await purgeExpiredHistory(db.pool, { maxBatches: 1, batchSize: 500 });
    expect(second.runs).toBe(1);
    expect((await db.pool.query('SELECT 1 FROM runs WHERE id = $1', [keptA])).rowCount).toBe(0);
  });

  it('keeps run history when its workflow is deleted: the delete is refused', async () => {
    const a = await publishWorkflow(db, 'acme');
    await seed(a, { createdAt: minutesAgo(1) });
    await expect(db.pool.query('DELETE FROM workflows WHERE id = $1', [a.workflowId])).rejects.toThrow(/foreign key/);
    await expect(db.pool.query('DELETE FROM workflow_versions WHERE id = $1', [a.versionId])).rejects.toThrow(/foreign key/);
    expect((await listRunHistory(db.pool, a.tenantId, { limit: 10 })).items).toHaveLength(1);
    // Deleting the tenant still removes everything it owns.
    await db.pool.query('DELETE FROM tenants WHERE id = $1', [a.tenantId]);
    expect((await db.pool.query('SELECT 1 FROM runs')).rowCount).toBe(0);
  });
});

describe('capPayload', () => {
  it('keeps small values and replaces large ones with a marker giving the size', () => {
    expect(capPayload({ a: 1 }, 64)).toEqual({ a: 1 });
    expect(capPayload(undefined, 64)).toBeUndefined();
    const big = { text: 'é'.repeat(100) };
    expect(capPayload(big, 64)).toEqual({ $truncated: true, bytes: Buffer.byteLength(JSON.stringify(big)) });
    expect(() => capPayload(1, 10)).toThrow(/maxBytes/);
  });
});
