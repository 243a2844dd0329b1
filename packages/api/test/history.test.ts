import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessKeysOf, handleWebhook, renderMetrics } from '../src/index';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph, webhookGraph } from './support/graphs';

/** A webhook graph whose trigger also records the customer and every line's SKU as business keys. */
function keyedWebhookGraph(path: string) {
  const graph = webhookGraph(path, { idempotencyKeyPath: 'invoice.number' });
  const trigger = graph.nodes[0] as { config: Record<string, unknown> };
  trigger.config = { ...trigger.config, businessKeyPaths: ['invoice.customer', 'invoice.skus'] };
  return graph;
}

describe('businessKeysOf', () => {
  it('takes the idempotency key and scalar values at the paths, skipping missing and non-scalar ones', () => {
    const body = { invoice: { number: 'INV-1', customer: 42, skus: ['A-1', 'B-2', { no: 1 }], nested: { x: 1 } } };
    expect(businessKeysOf(body, ['invoice.customer', 'invoice.skus', 'invoice.nested', 'invoice.missing'], 'INV-1')).toEqual(['INV-1', '42', 'A-1', 'B-2']);
    expect(businessKeysOf(null, ['a.b'], null)).toEqual([]);
    expect(businessKeysOf({ a: 'x'.repeat(201) }, ['a'], null)).toEqual([]);
  });
});

describe.skipIf(postgresUnavailable !== null)(`run history routers on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let a: ReturnType<typeof callerFor>;
  let b: ReturnType<typeof callerFor>;
  let manual: { id: string; versionId: string };

  async function publish(caller: ReturnType<typeof callerFor>, name: string, graph: unknown) {
    const { id } = await caller.workflows.create({ name });
    await caller.workflows.saveDraft({ id, graph, expectedRevision: 1 });
    const { versionId } = await caller.workflows.publish({ id });
    return { id, versionId };
  }
  const post = (tenantSlug: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    handleWebhook(t.db, { tenantSlug, path, headers: { 'content-type': 'application/json', ...headers }, rawBody: JSON.stringify(body) });

  beforeAll(async () => {
    t = await createTestDatabase('api_history');
    await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
    a = callerFor(t.db, 'acme');
    b = callerFor(t.db, 'globex');
    await publish(a, 'Invoices', keyedWebhookGraph('invoices'));
    const manualKeyed = manualGraph();
    (manualKeyed.nodes[0] as { config: Record<string, unknown> }).config = { businessKeyPaths: ['invoiceNumber'] };
    manual = await publish(a, 'Manual', manualKeyed);
    await publish(b, 'Invoices', keyedWebhookGraph('invoices'));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('search finds every run of the tenant that carries a key, across workflows and triggers, newest first, in pages', async () => {
    const first = await post('acme', 'invoices', { invoice: { number: 'INV-2026-0042', customer: 'CUST-7', skus: ['A-1'] } });
    expect(first.status).toBe(202);
    const other = await post('acme', 'invoices', { invoice: { number: 'INV-2026-0043', customer: 'CUST-7' } }, { 'x-correlation-id': 'corr-43' });
    const fromManual = await a.runs.trigger({ workflowId: manual.id, payload: { invoiceNumber: 'INV-2026-0042' } });
    const globex = await post('globex', 'invoices', { invoice: { number: 'INV-2026-0042' } });
    const runId = (r: { body: unknown }) => (r.body as { runId: string }).runId;

    const found = await a.runs.search({ q: 'INV-2026-0042' });
    expect(found.items.map((r) => r.id)).toEqual([fromManual.runId, runId(first)]);
    expect(found.items[1]).toMatchObject({ workflowName: 'Invoices', trigger: 'webhook', idempotencyKey: 'INV-2026-0042', businessKeys: ['INV-2026-0042', 'CUST-7', 'A-1'] });
    expect(found.items[0]).toMatchObject({ workflowName: 'Manual', trigger: 'manual', businessKeys: ['INV-2026-0042'] });

    const byCustomer = await a.runs.search({ q: 'CUST-7', limit: 1 });
    expect(byCustomer.items.map((r) => r.id)).toEqual([runId(other)]);
    const next = await a.runs.search({ q: 'CUST-7', limit: 1, cursor: byCustomer.nextCursor });
    expect(next.items.map((r) => r.id)).toEqual([runId(first)]);
    expect(next.nextCursor).toBeNull();
    expect((await a.runs.search({ q: 'corr-43' })).items.map((r) => r.id)).toEqual([runId(other)]);

    // Related runs of the first webhook run: the manual run shares its invoice number, the other its customer.
    const related = await a.runs.related({ id: runId(first) });
    expect(related.replayOf).toBeNull();
    expect(related.replays).toEqual([]);
    expect(related.sameKey.map((r) => r.id)).toEqual([fromManual.runId, runId(other)]);
    await expectTrpcError(b.runs.related({ id: runId(first) }), 'NOT_FOUND');

    // Tenant scoping: globex finds its own run only, and acme's run ids mean nothing there.
    expect((await b.runs.search({ q: 'INV-2026-0042' })).items.map((r) => r.id)).toEqual([runId(globex)]);
    expect((await b.runs.search({ q: runId(first) })).items).toEqual([]);
    await expectTrpcError(a.runs.search({ q: '   ' }), 'BAD_REQUEST');
    await expectTrpcError(a.runs.search({ q: 'x', cursor: 'garbage' }), 'BAD_REQUEST');
  });

  it('list accepts version, trigger and time range filters and pages across them', async () => {
    const before = new Date();
    for (let i = 0; i < 5; i++) await a.runs.trigger({ workflowId: manual.id, payload: { invoiceNumber: `INV-L-${i}` } });
    const all = await a.runs.list({ versionId: manual.versionId, trigger: 'manual', from: before });
    expect(all.items).toHaveLength(5);
    const ids: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await a.runs.list({ workflowId: manual.id, trigger: 'manual', from: before, limit: 2, cursor });
      ids.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(all.items.map((r) => r.id));
    expect((await a.runs.list({ trigger: 'webhook', from: before })).items).toEqual([]);
    expect((await a.runs.list({ status: 'compensated' })).items).toEqual([]);
    expect((await a.runs.list({ to: before, trigger: 'manual' })).items.every((r) => r.createdAt < before)).toBe(true);
    // Another tenant's version filters nothing in.
    expect((await b.runs.list({ versionId: manual.versionId })).items).toEqual([]);
    const bad = await expectTrpcError(a.runs.list({ from: new Date(), to: before }), 'BAD_REQUEST');
    expect(bad.message).toContain('must be after from');
  });

  it('dashboards are scoped to the tenant; the platform view lists every tenant', async () => {
    const acme = await a.dashboards.tenant({ range: '1h' });
    const globex = await b.dashboards.tenant({ range: '1h' });
    const acmeRuns = (await a.runs.list({ limit: 100 })).items.length;
    expect(acme.totals.runs).toBe(acmeRuns);
    expect(globex.totals.runs).toBe(1);
    expect(acme.tenants.map((x) => x.slug)).toEqual(['acme']);
    expect(acme.tenants[0]!.queued).toBe(acmeRuns);
    expect(acme.workflows.map((w) => w.workflowName).sort()).toEqual(['Invoices', 'Manual']);
    // 60 one-minute buckets, plus the current partial one unless now is on a minute boundary.
    expect(acme.series.length).toBeGreaterThanOrEqual(60);
    expect(acme.series.length).toBeLessThanOrEqual(61);
    const platform = await a.dashboards.platform({ range: '1h' });
    expect(platform.totals.runs).toBe(acmeRuns + 1);
    expect(platform.tenants.map((x) => x.slug).sort()).toEqual(['acme', 'globex']);
    await expectTrpcError(a.dashboards.tenant({ range: '2d' as '1h' }), 'BAD_REQUEST');
  });

  it('metrics carry tenant labels for backlog, live runs and recent runs', async () => {
    const { contentType, body } = await renderMetrics(t.db);
    expect(contentType).toContain('text/plain');
    expect(body).toMatch(/switchyard_runs_backlog\{tenant="acme"\} \d+/);
    expect(body).toContain('switchyard_runs_backlog{tenant="globex"} 1');
    expect(body).toContain('switchyard_runs_live{tenant="globex",status="queued"} 1');
    expect(body).toMatch(/switchyard_oldest_queued_run_age_seconds\{tenant="acme"\} [\d.]+/);
    expect(body).toContain('switchyard_runs_recent{tenant="globex",status="queued"} 1');
    expect(body).toContain('switchyard_metrics_database_up 1');
    expect(body).toContain('switchyard_web_process_cpu_seconds_total');
  });
});
