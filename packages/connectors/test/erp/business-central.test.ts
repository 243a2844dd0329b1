import { DEMO_ESTATE, startBusinessCentralSim, type SimHandle } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { businessCentralClientFor } from '../../src/erp/business-central/executor';
import { businessCentralConnection } from '../../src/erp/business-central/kind';
import { checkConnection } from '../../src/erp/common/connection-kind';
import { createErpExecutors } from '../../src/erp/executors';
import { TokenCache } from '../../src/erp/common/token-cache';
import { budget, countingFetch, ctxWith, deps, loopbackFetch, nodeError } from './support';
import type { ResolvedConnection } from '@switchyard/workflow';

const tenant = DEMO_ESTATE.businessCentral.tenants[0];
const company = tenant.companies[0].id;
let clock = Date.parse('2026-11-01T00:00:00Z');
const now = () => clock;
let sim: SimHandle;
const outbound = loopbackFetch();

function connection(overrides: Partial<ResolvedConnection['credentials']> = {}): Record<string, ResolvedConnection> {
  return {
    bc: {
      id: '00000000-0000-4000-8000-0000000000bc',
      name: 'bc',
      kind: 'business-central',
      baseUrl: sim.url,
      config: { tenantId: tenant.tenantId, environment: 'production', companyId: company, authorityUrl: sim.url },
      credentials: { ...tenant.clients[0], ...overrides },
    },
  };
}

beforeAll(async () => {
  sim = await startBusinessCentralSim({ clock: now, tokenTtlSeconds: 3600 });
});
afterAll(async () => {
  await outbound.close();
  await sim.close();
});
beforeEach(() => sim.reset());

describe('business-central.record', () => {
  it('upserts a sales invoice by externalDocumentNumber: the second run updates the one invoice', async () => {
    const bc = createErpExecutors({ fetch: outbound, budget, now })['business-central.record'];
    const ctx = ctxWith(connection());
    await bc(ctx, { connectionId: 'bc', operation: 'upsert', recordType: 'customers', externalIdPath: 'number' }, { number: 'C-100', displayName: 'Initech' });
    const config = { connectionId: 'bc', operation: 'upsert', recordType: 'salesInvoices', externalIdPath: 'number', payload: '$sift($, function($v, $k) { $k != "number" })' };
    const body = { number: 'INV-7', customerNumber: 'C-100', invoiceDate: '2026-11-01', salesInvoiceLines: [{ lineObjectNumber: 'A-1', quantity: 2, unitPrice: 60 }] };
    const first = await bc(ctx, config, body);
    const second = await bc(ctx, config, { ...body, invoiceDate: '2026-11-02' });
    expect(first.output).toMatchObject({ created: true, externalId: 'INV-7', record: { totalAmountExcludingTax: 120, customerName: 'Initech' } });
    expect(second.output).toMatchObject({ created: false, id: (first.output as { id: string }).id, record: { invoiceDate: '2026-11-02' } });
    const stored = sim.records('salesInvoices');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.data).toMatchObject({ externalDocumentNumber: 'INV-7', totalAmountExcludingTax: 120 });
  });

  it('caches the client-credentials token and renews it before it expires', async () => {
    const counting = countingFetch(outbound);
    const bc = createErpExecutors({ fetch: counting.fetch, budget, now })['business-central.record'];
    const ctx = ctxWith(connection());
    const config = { connectionId: 'bc', operation: 'query', recordType: 'customers' };
    await bc(ctx, config, {});
    await bc(ctx, config, {});
    const tokenCalls = () => counting.paths.filter((p) => p.endsWith('/oauth2/v2.0/token')).length;
    expect(tokenCalls()).toBe(1);
    clock += 3550 * 1000; // within the last minute of the token's hour: renewed, not used until refused
    await bc(ctx, config, {});
    expect(tokenCalls()).toBe(2);
    expect(counting.paths.filter((p) => p.includes('/api/v2.0/'))).toHaveLength(3);
  });

  it('gets one new token and retries once when the API refuses a cached token', async () => {
    const counting = countingFetch(outbound);
    let ourClock = clock;
    const d = deps(counting.fetch, () => ourClock);
    // The executor hands clients the parsed connection, defaults (scope) filled in.
    const parsed = checkConnection(businessCentralConnection, connection().bc!);
    if (!parsed.ok) throw new Error('connection should be valid');
    const client = businessCentralClientFor(d, { baseUrl: sim.url, ...parsed }, AbortSignal.timeout(5000));
    await client.query('customers', undefined, { pageSize: 10, maxRecords: 10 });
    clock += 4000 * 1000; // the server's clock: the token expired there, while our cache still trusts it
    ourClock += 1000;
    await client.query('customers', undefined, { pageSize: 10, maxRecords: 10 });
    expect(counting.paths.filter((p) => p.endsWith('/token'))).toHaveLength(2);
  });

  it('says which credential is wrong with Entra ID\'s own answer, and never repeats the secret', async () => {
    const planted = 'planted-bc-secret-4c1d7e';
    const bc = createErpExecutors({ fetch: outbound, budget, now, tokens: new TokenCache(now) })['business-central.record'];
    const err = await nodeError(bc(ctxWith(connection({ clientSecret: planted })), { connectionId: 'bc', operation: 'query', recordType: 'customers' }, {}));
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    expect(err.message).toContain('invalid_client: AADSTS7000215: Invalid client secret provided');
    expect(err.message).not.toContain(planted);
  });

  it('follows @odata.nextLink pages (Prefer: odata.maxpagesize)', async () => {
    const bc = createErpExecutors({ fetch: outbound, budget, now })['business-central.record'];
    const ctx = ctxWith(connection());
    for (let i = 1; i <= 5; i++) await bc(ctx, { connectionId: 'bc', operation: 'create', recordType: 'customers' }, { displayName: `Customer ${i}` });
    const all = await bc(ctx, { connectionId: 'bc', operation: 'query', recordType: 'customers', pageSize: 2 }, {});
    expect(all.output).toMatchObject({ count: 5, pages: 3, truncated: false });
    const filtered = await bc(ctx, { connectionId: 'bc', operation: 'query', recordType: 'customers', filter: '"displayName eq \'Customer 4\'"' }, {});
    expect((filtered.output as { records: Array<{ displayName: string }> }).records.map((r) => r.displayName)).toEqual(['Customer 4']);
  });

  it('classifies throttling as retryable with Retry-After and a validation error as permanent', async () => {
    const bc = createErpExecutors({ fetch: outbound, budget, now })['business-central.record'];
    const ctx = ctxWith(connection());
    const bad = await nodeError(bc(ctx, { connectionId: 'bc', operation: 'create', recordType: 'salesOrders' }, { customerNumber: 'NOPE' }));
    expect(bad).toMatchObject({ retryable: false, status: 400 });
    expect(bad.message).toContain("Internal_RecordNotFound: The Customer does not exist. Identification fields and values: No.='NOPE'");
    sim.setFaults({ account: tenant.tenantId, rate429: 1, retryAfterSeconds: 3 });
    const throttled = await nodeError(bc(ctx, { connectionId: 'bc', operation: 'query', recordType: 'customers' }, {}));
    expect(throttled).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });
    expect(throttled.message).toContain('Application_TooManyRequests');
  });

  it('deletes with If-Match and treats an already deleted record as done', async () => {
    const bc = createErpExecutors({ fetch: outbound, budget, now })['business-central.record'];
    const ctx = ctxWith(connection());
    await bc(ctx, { connectionId: 'bc', operation: 'upsert', recordType: 'customers', externalIdPath: 'number' }, { number: 'C-1', displayName: 'A' });
    const order = await bc(ctx, { connectionId: 'bc', operation: 'create', recordType: 'salesOrders' }, { customerNumber: 'C-1', externalDocumentNumber: 'SO-1' });
    const id = (order.output as { id: string }).id;
    expect((await bc(ctx, { connectionId: 'bc', operation: 'delete', recordType: 'salesOrders', idPath: 'id' }, { id })).output).toMatchObject({ deleted: true });
    expect((await bc(ctx, { connectionId: 'bc', operation: 'delete', recordType: 'salesOrders', externalIdPath: '"SO-1"' }, {})).output).toMatchObject({ deleted: false });
    expect(sim.records('salesOrders')).toHaveLength(0);
  });
});
