import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph, webhookGraph } from './support/graphs';

describe.skipIf(postgresUnavailable !== null)(`runs router on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let a: ReturnType<typeof callerFor>;
  let b: ReturnType<typeof callerFor>;
  let tenantA: { id: string };
  let manualWf: { id: string; versionId: string };
  let hookWf: { id: string; versionId: string };

  async function publishedWorkflow(name: string, graph: unknown) {
    const { id } = await a.workflows.create({ name });
    await a.workflows.saveDraft({ id, graph, expectedRevision: 1 });
    const { versionId } = await a.workflows.publish({ id });
    return { id, versionId };
  }

  beforeAll(async () => {
    t = await createTestDatabase('api_runs');
    tenantA = await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
    a = callerFor(t.db, 'acme');
    b = callerFor(t.db, 'globex');
    manualWf = await publishedWorkflow('Manual', manualGraph());
    hookWf = await publishedWorkflow('Hooked', webhookGraph('hooked'));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('triggers only published workflows, keeping a given correlation id', async () => {
    const draft = await a.workflows.create({ name: 'Unpublished' });
    const unpublished = await expectTrpcError(a.runs.trigger({ workflowId: draft.id, payload: {} }), 'PRECONDITION_FAILED');
    expect(unpublished.message).toContain('"Unpublished" has no published version');

    const run = await a.runs.trigger({ workflowId: manualWf.id, payload: { hello: 'world' }, correlationId: 'order-42' });
    expect(run.correlationId).toBe('order-42');
    const made = await a.runs.trigger({ workflowId: manualWf.id, payload: null });
    expect(made.correlationId).toMatch(/^[0-9a-f-]{36}$/);

    const detail = await a.runs.get({ id: run.runId });
    expect(detail).toMatchObject({
      id: run.runId,
      workflowId: manualWf.id,
      workflowName: 'Manual',
      version: 1,
      status: 'queued',
      trigger: 'manual',
      correlationId: 'order-42',
      triggerPayload: { hello: 'world' },
      steps: [],
      durationMs: null,
    });
    await expectTrpcError(a.runs.trigger({ workflowId: manualWf.id, payload: {}, correlationId: 'has space' }), 'BAD_REQUEST');
  });

  it('lists runs newest first with filters and keyset pagination across pages', async () => {
    await t.db.prisma.run.deleteMany({ where: { tenantId: tenantA.id } });
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    // Pairs of runs share a created_at so the id tie-breaker is exercised at page boundaries.
    const rows = Array.from({ length: 13 }, (_, i) => ({
      tenantId: tenantA.id,
      workflowId: i % 3 === 0 ? hookWf.id : manualWf.id,
      versionId: i % 3 === 0 ? hookWf.versionId : manualWf.versionId,
      status: i % 4 === 0 ? ('failed' as const) : ('succeeded' as const),
      correlationId: i === 5 ? 'needle' : `corr-${i}`,
      triggerPayload: { i },
      createdAt: new Date(base + Math.floor(i / 2) * 1000),
    }));
    await t.db.prisma.run.createMany({ data: rows });
    const all = await t.db.prisma.run.findMany({ where: { tenantId: tenantA.id }, select: { id: true, createdAt: true, workflowId: true, status: true } });
    const expected = [...all].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id > x.id ? 1 : -1));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await a.runs.list({ limit: 5, cursor });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected.map((r) => r.id));

    const byWorkflow = await a.runs.list({ workflowId: hookWf.id, limit: 2 });
    expect(byWorkflow.items.every((r) => r.workflowId === hookWf.id && r.workflowName === 'Hooked')).toBe(true);
    const rest = await a.runs.list({ workflowId: hookWf.id, limit: 3, cursor: byWorkflow.nextCursor });
    expect([...byWorkflow.items, ...rest.items].map((r) => r.id)).toEqual(expected.filter((r) => r.workflowId === hookWf.id).map((r) => r.id));
    expect(rest.nextCursor).toBeNull();

    const failed = await a.runs.list({ status: 'failed' });
    expect(failed.items.map((r) => r.id)).toEqual(expected.filter((r) => r.status === 'failed').map((r) => r.id));
    const needle = await a.runs.list({ correlationId: 'needle' });
    expect(needle.items).toHaveLength(1);
    expect(needle.items[0]).toMatchObject({ correlationId: 'needle', version: 1, trigger: 'manual', idempotencyKey: null });
    expect((await a.runs.list({})).items).toHaveLength(13);
  });

  it('refuses a cursor it did not issue', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('["yesterday","x"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      const error = await expectTrpcError(a.runs.list({ cursor }), 'BAD_REQUEST');
      expect(error.message).toMatch(/^cursor: /);
    }
    await expectTrpcError(a.runs.list({ limit: 0 }), 'BAD_REQUEST');
    await expectTrpcError(a.runs.list({ limit: 101 }), 'BAD_REQUEST');
  });

  it('gets a run with every step attempt in start order and the pinned graph', async () => {
    const { runId } = await a.runs.trigger({ workflowId: hookWf.id, payload: { invoice: { number: 'INV-1' } } });
    const start = Date.parse('2026-02-01T10:00:00.000Z');
    const step = (nodeId: string, attempt: number, offset: number, extra: Record<string, unknown> = {}) => ({
      tenantId: tenantA.id,
      runId,
      nodeId,
      activationId: `act-${nodeId}`,
      attempt,
      status: 'succeeded',
      idempotencyKey: `${runId}:${nodeId}:${attempt}`,
      input: { n: offset },
      output: { ok: true },
      port: 'out',
      startedAt: new Date(start + offset),
      finishedAt: new Date(start + offset + 5),
      durationMs: 5,
      ...extra,
    });
    // Inserted out of order: the read must sort by start time.
    await t.db.prisma.step.createMany({
      data: [
        step('reply', 1, 3000),
        step('hook', 1, 0),
        step('map', 1, 1000, {
          status: 'failed',
          output: undefined,
          port: null,
          error: { message: 'boom', code: 'internal', retryable: true },
          retryAt: new Date(start + 1500),
        }),
        step('map', 2, 2000),
      ],
    });
    await t.db.prisma.run.update({
      where: { id: runId },
      data: { status: 'succeeded', startedAt: new Date(start), finishedAt: new Date(start + 3005), result: { id: 'INV-1' } },
    });

    const run = await a.runs.get({ id: runId });
    expect(run).toMatchObject({ status: 'succeeded', durationMs: 3005, result: { id: 'INV-1' }, workflowName: 'Hooked' });
    expect(run.steps.map((s) => [s.nodeId, s.attempt, s.status])).toEqual([
      ['hook', 1, 'succeeded'],
      ['map', 1, 'failed'],
      ['map', 2, 'succeeded'],
      ['reply', 1, 'succeeded'],
    ]);
    expect(run.steps[1]).toMatchObject({
      port: null,
      output: null,
      error: { message: 'boom', code: 'internal', retryable: true },
      retryAt: new Date(start + 1500),
      durationMs: 5,
      idempotencyKey: `${runId}:map:1`,
      input: { n: 1000 },
    });
    expect(Object.keys(run.steps[0]!).sort()).toEqual(
      ['attempt', 'durationMs', 'error', 'finishedAt', 'id', 'idempotencyKey', 'input', 'nodeId', 'output', 'port', 'retryAt', 'startedAt', 'status'].sort(),
    );
    expect((run.graph as { nodes: { id: string; label?: string }[] }).nodes.map((n) => n.label)).toEqual(['Incoming invoice', 'Map', 'Reply']);
  });

  it("keeps tenant B away from tenant A's runs", async () => {
    const { runId } = await a.runs.trigger({ workflowId: manualWf.id, payload: {} });
    await expectTrpcError(b.runs.get({ id: runId }), 'NOT_FOUND');
    await expectTrpcError(b.runs.trigger({ workflowId: manualWf.id, payload: {} }), 'NOT_FOUND');
    expect((await b.runs.list({})).items).toEqual([]);
    expect((await b.runs.list({ workflowId: manualWf.id })).items).toEqual([]);
  });
});
