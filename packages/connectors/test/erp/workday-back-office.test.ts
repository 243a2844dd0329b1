import type { Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ctxWith, demoConnections, executors, loopbackFetch, nodeError, startEstate } from './support';

let estate: Estate;
const outbound = loopbackFetch();
const registry = executors(outbound);
const wd = registry['workday.record'];
const bo = registry['back-office.record'];
const rest = registry['rest.request'];

beforeAll(async () => {
  estate = await startEstate();
});
afterAll(async () => {
  await outbound.close();
  await estate.close();
});
beforeEach(() => estate.reset());

const journal = {
  company: { id: 'ACME_US' },
  accountingDate: '2026-11-01',
  currency: { id: 'USD' },
  journalEntryLines: [
    { ledgerAccount: { id: '1200' }, debitAmount: 119 },
    { ledgerAccount: { id: '4000' }, creditAmount: 100 },
    { ledgerAccount: { id: '2300' }, creditAmount: 19 },
  ],
};

describe('workday.record', () => {
  it('posts a journal once per external reference id, with a refresh-token grant', async () => {
    const ctx = ctxWith(demoConnections(estate));
    const config = { connectionId: 'workday', operation: 'upsert', recordType: 'accountingJournals', externalIdPath: '"JE-INV-1"' };
    const first = await wd(ctx, config, journal);
    const second = await wd(ctx, config, journal);
    expect(first.output).toMatchObject({ created: true, externalId: 'JE-INV-1', record: { status: 'Posted', totalDebitAmount: 119 } });
    expect(second.output).toMatchObject({ created: false, id: (first.output as { id: string }).id });
    expect(estate.workday.records('accountingJournals')).toHaveLength(1);
  });

  it('keeps Workday\'s field errors, and says when the refresh token is refused', async () => {
    const connections = demoConnections(estate);
    const unbalanced = await nodeError(wd(ctxWith(connections), { connectionId: 'workday', operation: 'create', recordType: 'accountingJournals' }, { ...journal, journalEntryLines: journal.journalEntryLines.slice(0, 2) }));
    expect(unbalanced).toMatchObject({ retryable: false, status: 400 });
    expect(unbalanced.message).toContain('Journal is out of balance: debits 119.00 and credits 100.00 must be equal. (body.journalEntryLines)');
    const planted = 'planted-refresh-token-5e6f';
    connections.workday = { ...connections.workday!, credentials: { ...connections.workday!.credentials, refreshToken: planted } };
    const refused = await nodeError(wd(ctxWith(connections), { connectionId: 'workday', operation: 'query', recordType: 'workers' }, {}));
    expect(refused).toMatchObject({ code: 'auth_failed', retryable: false });
    expect(refused.message).toContain('invalid_grant: Invalid refresh token');
    expect(refused.message).not.toContain(planted);
  });

  it('pages workers with limit and offset and assigns cost allocations under a worker', async () => {
    const ctx = ctxWith(demoConnections(estate));
    const workers = await wd(ctx, { connectionId: 'workday', operation: 'query', recordType: 'workers', pageSize: 1 }, {});
    expect(workers.output).toMatchObject({ count: 2, pages: 2 });
    const worker = (workers.output as { records: Array<{ id: string }> }).records[0]!.id;
    const allocation = await wd(
      ctx,
      { connectionId: 'workday', operation: 'create', recordType: 'costAllocations', parentIdPath: 'worker' },
      { worker, effectiveDate: '2026-12-01', costingAllocationDetails: [{ costCenter: { id: 'CC-1' }, percent: 100 }] },
    );
    expect(allocation.output).toMatchObject({ created: true, record: { worker: { id: worker } } });
  });

  it('classifies Workday 5xx as retryable', async () => {
    estate.workday.setFaults({ account: 'acme_demo1', errorRate: 1 });
    const err = await nodeError(wd(ctxWith(demoConnections(estate)), { connectionId: 'workday', operation: 'query', recordType: 'workers' }, {}));
    expect(err).toMatchObject({ retryable: true, status: 500, code: 'server_error' });
  });
});

describe('back-office.record', () => {
  it('upserts CRM accounts natively and billing invoices by externalId', async () => {
    const ctx = ctxWith(demoConnections(estate));
    const account = await bo(ctx, { connectionId: 'back-office', operation: 'upsert', recordType: 'crm/accounts', externalIdPath: '"CUST-1"' }, { name: 'Initech' });
    const again = await bo(ctx, { connectionId: 'back-office', operation: 'upsert', recordType: 'crm/accounts', externalIdPath: '"CUST-1"' }, { name: 'Initech Ltd', paymentStatus: 'current' });
    expect(account.output).toMatchObject({ created: true });
    expect(again.output).toMatchObject({ created: false, record: { name: 'Initech Ltd', paymentStatus: 'current' } });
    const invoiceConfig = { connectionId: 'back-office', operation: 'upsert', recordType: 'billing/invoices', externalIdPath: '"B-1"' };
    const body = { customerId: 'CUST-1', currency: 'USD', lines: [{ description: 'Usage', quantity: 3, unitAmount: 1000 }] };
    const inv = await bo(ctx, invoiceConfig, body);
    const inv2 = await bo(ctx, invoiceConfig, body);
    expect(inv.output).toMatchObject({ created: true, record: { total: 3000, status: 'open' } });
    expect(inv2.output).toMatchObject({ created: false, id: (inv.output as { id: string }).id });
    expect(estate.backOffice.records('invoices')).toHaveLength(1);
  });

  it('sends the step idempotency key, so a repeated create gets the first answer', async () => {
    const config = { connectionId: 'back-office', operation: 'create', recordType: 'billing/charges' };
    const body = { customerId: 'CUST-1', amount: 500, currency: 'USD' };
    const first = await bo(ctxWith(demoConnections(estate), { idempotencyKey: 'run-9:charge:1' }), config, body);
    const replay = await bo(ctxWith(demoConnections(estate), { idempotencyKey: 'run-9:charge:1' }), config, body);
    expect(replay.output).toMatchObject({ id: (first.output as { id: string }).id, created: false });
    expect(estate.backOffice.records('charges')).toHaveLength(1);
  });

  it('runs actions (cancel a fulfillment order) and pages lists with starting_after', async () => {
    const ctx = ctxWith(demoConnections(estate));
    for (let i = 1; i <= 3; i++) {
      await bo(ctxWith(demoConnections(estate), { idempotencyKey: `k${i}` }), { connectionId: 'back-office', operation: 'create', recordType: 'warehouse/fulfillment-orders' }, { orderRef: `SO-${i}`, lines: [{ sku: 'A', quantity: 1 }] });
    }
    const list = await bo(ctx, { connectionId: 'back-office', operation: 'query', recordType: 'warehouse/fulfillment-orders', pageSize: 2 }, {});
    expect(list.output).toMatchObject({ count: 3, pages: 2 });
    const first = (list.output as { records: Array<{ id: string }> }).records[0]!.id;
    const cancelled = await bo(ctx, { connectionId: 'back-office', operation: 'action', action: 'cancel', recordType: 'warehouse/fulfillment-orders', idPath: 'id' }, { id: first });
    expect(cancelled.output).toMatchObject({ action: 'cancel', record: { status: 'cancelled' } });
  });

  it('refuses a wrong API key permanently', async () => {
    const connections = demoConnections(estate);
    connections['back-office'] = { ...connections['back-office']!, credentials: { apiKey: 'planted-api-key-0c0c0c' } };
    const err = await nodeError(bo(ctxWith(connections), { connectionId: 'back-office', operation: 'query', recordType: 'crm/accounts' }, {}));
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    expect(err.message).not.toContain('planted-api-key-0c0c0c');
  });
});

describe('rest.request', () => {
  it('calls a path of the connection with the API-key preset', async () => {
    const connections = demoConnections(estate);
    connections.api = { id: '00000000-0000-4000-8000-0000000000aa', name: 'api', kind: 'rest', baseUrl: estate.urls.backOffice, config: { auth: 'api-key', apiKeyHeader: 'X-API-Key' }, credentials: { apiKey: 'demo-backoffice-key-1' } };
    const created = await rest(ctxWith(connections), { connectionId: 'api', method: 'POST', path: '/crm/v1/accounts' }, { name: 'Hooli' });
    expect(created.output).toMatchObject({ status: 201, body: { name: 'Hooli' } });
    const id = (created.output as { body: { id: string } }).body.id;
    const read = await rest(ctxWith(connections), { connectionId: 'api', method: 'GET', path: '/', pathExpression: '"/crm/v1/accounts/" & id' }, { id });
    expect(read.output).toMatchObject({ status: 200, body: { id, name: 'Hooli' } });
  });

  it('gets an OAuth 2.0 client-credentials token for the API', async () => {
    const connections = demoConnections(estate);
    const bc = connections['business-central']!;
    const tenant = String(bc.config.tenantId);
    connections.api = {
      id: '00000000-0000-4000-8000-0000000000ab',
      name: 'api',
      kind: 'rest',
      baseUrl: `${estate.urls.businessCentral}/v2.0/${tenant}/production/api/v2.0`,
      config: { auth: 'oauth2-client-credentials', tokenUrl: `${estate.urls.businessCentral}/${tenant}/oauth2/v2.0/token`, scope: 'https://api.businesscentral.dynamics.com/.default', clientAuth: 'post' },
      credentials: { ...bc.credentials },
    };
    const companies = await rest(ctxWith(connections), { connectionId: 'api', method: 'GET', path: '/companies' }, {});
    expect(companies.output).toMatchObject({ status: 200, body: { value: [{ name: 'CRONUS USA, Inc.' }] } });
  });
});
