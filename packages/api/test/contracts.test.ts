import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleInvoice, sampleInvoiceV1, validateCanonical } from '@switchyard/canonical';
import { handleWebhook } from '../src/index';
import { checkContract } from '../src/ingress/contract';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

/** A webhook graph whose trigger declares a canonical contract. */
function contractGraph(path: string, contract: unknown) {
  const graph = webhookGraph(path, { idempotencyKeyPath: 'number' });
  const [hook, ...rest] = graph.nodes;
  return { ...graph, nodes: [{ ...hook!, config: { ...hook!.config, contract } }, ...rest] };
}

describe('checkContract (pure)', () => {
  const contract = { object: 'invoice', version: 2, deprecated: [{ version: 1, sunset: '2027-01-01' }] };
  it('accepts v1 with a warning until the start of its sunset day (UTC), then refuses it', () => {
    const before = checkContract(contract, { 'schema-version': '1' }, sampleInvoiceV1(), new Date('2026-12-31T23:59:59Z'));
    expect(before).toMatchObject({ ok: true, headers: { warning: expect.stringContaining('invoice v1 is deprecated'), sunset: 'Fri, 01 Jan 2027 00:00:00 GMT' } });
    const at = checkContract(contract, { 'schema-version': '1' }, sampleInvoiceV1(), new Date('2027-01-01T00:00:00Z'));
    expect(at).toMatchObject({ ok: false, status: 400, body: { error: expect.stringContaining('reached its sunset on 2027-01-01') } });
  });
});

describe.skipIf(postgresUnavailable !== null)(`contracts at the edge${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let tenantId: string;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    handleWebhook(t.db, { tenantSlug: 'acme', path, headers: { 'content-type': 'application/json', ...headers }, rawBody: typeof body === 'string' ? body : JSON.stringify(body) });
  const runCount = () => t.db.prisma.run.count({ where: { tenantId } });

  beforeAll(async () => {
    t = await createTestDatabase('api_contracts');
    tenantId = (await createTenant(t.db, 'acme', 'Acme')).id;
    const a = callerFor(t.db, 'acme');
    const publish = async (name: string, path: string, contract: unknown) => {
      const { id } = await a.workflows.create({ name });
      await a.workflows.saveDraft({ id, graph: contractGraph(path, contract), expectedRevision: 1 });
      return a.workflows.publish({ id });
    };
    await publish('Invoices v2', 'invoices', { object: 'invoice', version: 2, deprecated: [{ version: 1, sunset: '2099-01-01' }] });
    await publish('Invoices retired', 'retired', { object: 'invoice', version: 2, deprecated: [{ version: 1, sunset: '2020-01-01' }] });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('refuses to publish a contract naming an unknown object or version, naming the field', async () => {
    const a = callerFor(t.db, 'acme');
    const { id } = await a.workflows.create({ name: 'Bad contract' });
    const saved = await a.workflows.saveDraft({ id, graph: contractGraph('bad', { object: 'widget', version: 1 }), expectedRevision: 1 });
    expect(saved.issues).toMatchObject([{ nodeId: 'hook', path: 'nodes[0].config.contract.object', message: expect.stringContaining('no canonical object "widget"') }]);
    await expectTrpcError(a.workflows.publish({ id }), 'BAD_REQUEST');
    await a.workflows.saveDraft({ id, graph: contractGraph('bad', { object: 'invoice', version: 2, deprecated: [{ version: 2, sunset: '2030-01-01' }] }), expectedRevision: 2 });
    const err = await expectTrpcError(a.workflows.publish({ id }), 'BAD_REQUEST');
    expect(JSON.stringify(err.cause)).toContain('must be older than the accepted version 2');
    await a.workflows.saveDraft({ id, graph: contractGraph('bad', { object: 'invoice', version: 2, deprecated: [{ version: 1, sunset: '2030-02-30' }] }), expectedRevision: 3 });
    expect(JSON.stringify((await a.workflows.get({ id })).issues)).toContain('is not a calendar date');
  });

  it('accepts a matching payload and rejects a non-matching one with field-level errors before a run exists', async () => {
    const ok = await post('invoices', sampleInvoice());
    expect(ok.status).toBe(202);
    expect(ok.headers).not.toHaveProperty('warning');

    const before = await runCount();
    const bad = { ...sampleInvoice(), number: 'INV-BAD-1', currency: 'EURO', lines: [{ ...sampleInvoice().lines[0], quantity: 'two' }], total: undefined };
    const refused = await post('invoices', bad);
    expect(refused.status).toBe(422);
    const body = refused.body as { error: string; schema: string; issues: { path: string; message: string }[] };
    expect(body.schema).toBe('invoice/v2');
    const paths = body.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['currency', 'lines[0].quantity', 'total']));
    expect(await runCount()).toBe(before);
  });

  it('accepts a deprecated version until its sunset with Warning and Sunset headers, migrated to the declared version', async () => {
    const v1 = { ...sampleInvoiceV1(), number: 'INV-V1-1' };
    const accepted = await post('invoices', v1, { 'schema-version': '1' });
    expect(accepted.status).toBe(202);
    expect(accepted.headers).toMatchObject({ warning: expect.stringMatching(/^299 switchyard "invoice v1 is deprecated and will be refused from 2099-01-01; send v2"$/), sunset: 'Thu, 01 Jan 2099 00:00:00 GMT' });
    const run = await t.db.prisma.run.findFirstOrThrow({ where: { tenantId, id: (accepted.body as { runId: string }).runId }, select: { triggerPayload: true } });
    // The workflow sees v2: the run's payload is the migrated invoice, valid at v2 and no longer at v1.
    expect(validateCanonical('invoice', 2, run.triggerPayload).ok).toBe(true);
    expect(validateCanonical('invoice', 1, run.triggerPayload).ok).toBe(false);

    const before = await runCount();
    const retired = await post('retired', v1, { 'schema-version': '1' });
    expect(retired).toMatchObject({ status: 400, body: { error: expect.stringContaining('reached its sunset on 2020-01-01') } });
    const unknown = await post('invoices', sampleInvoice(), { 'schema-version': '3' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'invoice v3 is not accepted here; send v1 or v2' } });
    const garbage = await post('invoices', sampleInvoice(), { 'schema-version': 'latest' });
    expect(garbage).toMatchObject({ status: 400, body: { error: expect.stringContaining('must be a version number') } });
    const v1AsV2 = await post('invoices', v1);
    expect(v1AsV2.status).toBe(422);
    expect(await runCount()).toBe(before);
  });

  it('ignores prototype-pollution keys in a contracted payload', async () => {
    const raw = JSON.stringify({ ...sampleInvoice(), number: 'INV-PROTO' }).replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
    const res = await post('invoices', raw);
    expect(res.status).toBe(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const run = await t.db.prisma.run.findFirstOrThrow({ where: { tenantId, id: (res.body as { runId: string }).runId }, select: { triggerPayload: true } });
    expect(JSON.stringify(run.triggerPayload)).not.toContain('polluted');
  });
});
