import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_POLICY, explainPolicy, loadDashboard, migrate, openDatabase, parseTenantPolicy, setTenantPolicy, setWorkflowPolicy, type Database } from '../src/index';
import { backends, publishWorkflow, type TestDatabase } from './support';

describe('SLA policy (pure)', () => {
  it('inherits slaSeconds platform → tenant → workflow and says where it came from', () => {
    expect(explainPolicy({}).slaSeconds).toEqual({ value: PLATFORM_POLICY.slaSeconds, source: 'platform' });
    expect(explainPolicy({ tenant: { slaSeconds: 60 } }).slaSeconds).toEqual({ value: 60, source: 'tenant' });
    expect(explainPolicy({ tenant: { slaSeconds: 60 }, workflow: { slaSeconds: 5 } }).slaSeconds).toEqual({ value: 5, source: 'workflow' });
  });

  it('rejects a non-positive or fractional SLA with the field name', () => {
    expect(parseTenantPolicy({ slaSeconds: 0 })).toMatchObject({ ok: false, issues: [{ path: 'slaSeconds' }] });
    expect(parseTenantPolicy({ slaSeconds: 1.5 })).toMatchObject({ ok: false, issues: [{ path: 'slaSeconds' }] });
  });
});

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.skipIf(Boolean(postgres.skipReason))('SLA breaches on the dashboard (PostgreSQL)', () => {
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

  const now = new Date();
  const ago = (s: number) => new Date(now.getTime() - s * 1000);

  /** A run received `createdAgo` seconds ago that ended `tookSeconds` later (or is still running). */
  async function run(ids: { tenantId: string; workflowId: string; versionId: string }, createdAgo: number, tookSeconds: number | null, status = 'succeeded') {
    const created = ago(createdAgo);
    const finished = tookSeconds === null ? null : new Date(created.getTime() + tookSeconds * 1000);
    await db.pool.query(
      `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, trigger_payload, created_at, started_at, finished_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::run_status, 'manual', 'c', '{}'::jsonb, $6, $6, $7, $6)`,
      [randomUUID(), ids.tenantId, ids.workflowId, ids.versionId, status, created, finished],
    );
  }

  it('holds each run to its workflow, tenant or platform SLA and counts the late ones per workflow and tenant', async () => {
    const strict = await publishWorkflow(db);
    expect(await setTenantPolicy(db.pool, strict.tenantId, { slaSeconds: 60 })).toMatchObject({ status: 'saved' });
    const second = await db.prisma.workflow.create({ data: { tenantId: strict.tenantId, name: 'fast lane', draftGraph: {} }, select: { id: true } });
    const secondVersion = await db.prisma.workflowVersion.create({ data: { tenantId: strict.tenantId, workflowId: second.id, version: 1, graph: {} }, select: { id: true } });
    const fast = { tenantId: strict.tenantId, workflowId: second.id, versionId: secondVersion.id };
    expect(await setWorkflowPolicy(db.pool, strict.tenantId, fast.workflowId, { slaSeconds: 5 })).toMatchObject({ status: 'saved' });
    const relaxed = await publishWorkflow(db);

    await run(strict, 600, 30); // within 60 s
    await run(strict, 600, 90); // breach
    await run(strict, 300, null, 'running'); // open 300 s: an open breach
    await run(strict, 600, 500, 'cancelled'); // cancelled: not held to the SLA
    await run(fast, 600, 4); // within 5 s
    await run(fast, 600, 6); // breach
    await run(relaxed, 1200, 600); // within the platform's 900 s
    await run(relaxed, 3000, 1000); // breach

    const dash = await loadDashboard(db.pool, { tenantIds: [strict.tenantId, relaxed.tenantId], range: '1h', now });
    expect(dash.totals.slaBreaches).toBe(4);
    const bySla = Object.fromEntries(dash.sla.map((s) => [s.workflowId, [s.slaSeconds, s.source, s.runs, s.breaches, s.openBreaches]]));
    expect(bySla).toEqual({
      [strict.workflowId]: [60, 'tenant', 3, 2, 1],
      [fast.workflowId]: [5, 'workflow', 2, 1, 0],
      [relaxed.workflowId]: [PLATFORM_POLICY.slaSeconds, 'platform', 2, 1, 0],
    });
    expect(dash.workflows.find((w) => w.workflowId === fast.workflowId)).toMatchObject({ slaSeconds: 5, slaBreaches: 1 });
    expect(dash.tenants.find((t) => t.tenantId === strict.tenantId)).toMatchObject({ slaBreaches: 3, openSlaBreaches: 1 });

    // A tenant's own dashboard sees only its workflows.
    const own = await loadDashboard(db.pool, { tenantIds: [relaxed.tenantId], range: '1h', now });
    expect(own.sla.map((s) => s.workflowId)).toEqual([relaxed.workflowId]);
    expect(own.totals.slaBreaches).toBe(1);
  });
});
