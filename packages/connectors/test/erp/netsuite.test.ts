import type { Estate } from '@switchyard/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tbaAuthorization } from '../../src/erp/netsuite/oauth1';
import { ctxWith, demoConnections, executors, loopbackFetch, nodeError, startEstate } from './support';

let estate: Estate;
const fetchImpl = loopbackFetch();
const ns = executors(fetchImpl)['netsuite.record'];
const ACCOUNT = 'TSTDRV1000001';

beforeAll(async () => {
  estate = await startEstate();
});
afterAll(async () => {
  await fetchImpl.close();
  await estate.close();
});
beforeEach(() => estate.reset());

const invoice = (lines: Array<{ sku: string; qty: number; rate: number }>) => ({
  entity: { externalId: 'CUST-1' },
  subsidiary: { id: '1' },
  tranDate: '2026-11-01',
  item: { items: lines.map((l) => ({ item: { externalId: l.sku }, quantity: l.qty, rate: l.rate })) },
});

describe('netsuite.record', () => {
  it('upserts by external id: a repeat (a retry after a lost answer) updates the same record and replaces its lines', async () => {
    const ctx = ctxWith(demoConnections(estate));
    const config = { connectionId: 'netsuite', operation: 'upsert', recordType: 'invoice', externalIdPath: 'number', payload: 'body' };
    const first = await ns(ctx, config, { number: 'INV-1', body: invoice([{ sku: 'A', qty: 2, rate: 50 }]) });
    const second = await ns(ctx, config, { number: 'INV-1', body: invoice([{ sku: 'A', qty: 3, rate: 50 }]) });
    const records = estate.netsuite.records('invoice', ACCOUNT);
    expect(records).toHaveLength(1);
    expect((first.output as { id: string }).id).toBe((second.output as { id: string }).id);
    expect(records[0]?.data).toMatchObject({ externalId: 'INV-1', total: 150, item: { items: [{ quantity: 3, rate: 50, amount: 150 }] } });
    expect(second.output).toMatchObject({ operation: 'upsert', recordType: 'invoice', externalId: 'INV-1', record: { tranId: 'INV1001', total: 150 } });
  });

  it('creates, reads by id and by external id, updates and deletes', async () => {
    const ctx = ctxWith(demoConnections(estate));
    const created = await ns(ctx, { connectionId: 'netsuite', operation: 'create', recordType: 'customer' }, { companyName: 'Initech', subsidiary: { id: '1' }, externalId: 'C-9' });
    const id = (created.output as { id: string }).id;
    expect(created.output).toMatchObject({ created: true, record: { companyName: 'Initech' } });
    const byEid = await ns(ctx, { connectionId: 'netsuite', operation: 'get', recordType: 'customer', externalIdPath: '"C-9"' }, {});
    expect((byEid.output as { id: string }).id).toBe(id);
    await ns(ctx, { connectionId: 'netsuite', operation: 'update', recordType: 'customer', idPath: 'id' }, { id, email: 'ap@initech.test' });
    const byId = await ns(ctx, { connectionId: 'netsuite', operation: 'get', recordType: 'customer', idPath: 'id' }, { id });
    expect(byId.output).toMatchObject({ record: { email: 'ap@initech.test', companyName: 'Initech' } });
    expect((await ns(ctx, { connectionId: 'netsuite', operation: 'delete', recordType: 'customer', idPath: 'id' }, { id })).output).toMatchObject({ deleted: true });
    // A compensation retried after its delete went through still succeeds.
    expect((await ns(ctx, { connectionId: 'netsuite', operation: 'delete', recordType: 'customer', idPath: 'id' }, { id })).output).toMatchObject({ deleted: false });
    const missing = await nodeError(ns(ctx, { connectionId: 'netsuite', operation: 'get', recordType: 'customer', idPath: 'id' }, { id }));
    expect(missing).toMatchObject({ code: 'not_found', retryable: false });
  });

  it('pages SuiteQL results with limit and offset', async () => {
    const ctx = ctxWith(demoConnections(estate));
    for (let i = 1; i <= 5; i++) {
      await ns(ctx, { connectionId: 'netsuite', operation: 'upsert', recordType: 'customer', externalIdPath: 'externalId' }, { externalId: `C-${i}`, companyName: `Co ${i}`, subsidiary: { id: '1' } });
    }
    const result = await ns(ctx, { connectionId: 'netsuite', operation: 'query', recordType: 'customer', filter: '"SELECT id, companyname FROM customer ORDER BY id"', pageSize: 2 }, {});
    expect(result.output).toMatchObject({ count: 5, pages: 3, truncated: false });
    expect((result.output as { records: Array<{ companyname: string }> }).records.map((r) => r.companyname)).toEqual(['Co 1', 'Co 2', 'Co 3', 'Co 4', 'Co 5']);
    const capped = await ns(ctx, { connectionId: 'netsuite', operation: 'query', recordType: 'customer', filter: '"SELECT id FROM customer"', pageSize: 2, maxRecords: 3 }, {});
    expect(capped.output).toMatchObject({ count: 3, truncated: true });
  });

  it('classifies a validation error as permanent and keeps NetSuite\'s words and field', async () => {
    const ctx = ctxWith(demoConnections(estate));
    const err = await nodeError(ns(ctx, { connectionId: 'netsuite', operation: 'create', recordType: 'invoice' }, { tranDate: '2026-11-01' }));
    expect(err).toMatchObject({ retryable: false, code: 'rejected', status: 400 });
    expect(err.message).toContain('USER_ERROR: Error while accessing a resource. Please enter value(s) for: Customer. (entity)');
  });

  it('classifies injected 5xx and 429 answers as retryable and honours Retry-After', async () => {
    const ctx = ctxWith(demoConnections(estate));
    const config = { connectionId: 'netsuite', operation: 'get', recordType: 'customer', idPath: '"101"' };
    estate.netsuite.setFaults({ account: ACCOUNT, errorRate: 1 });
    const server = await nodeError(ns(ctx, config, {}));
    expect(server).toMatchObject({ retryable: true, code: 'server_error', status: 500 });
    expect(server.message).toContain('UNEXPECTED_ERROR');
    estate.netsuite.setFaults({ account: ACCOUNT, rate429: 1, retryAfterSeconds: 7 });
    const throttled = await nodeError(ns(ctx, config, {}));
    expect(throttled).toMatchObject({ retryable: true, code: 'rate_limited', status: 429, retryAfterMs: 7000 });
  });

  it("refuses wrong credentials permanently without repeating them, and points at NetSuite's audit trail", async () => {
    const connections = demoConnections(estate);
    const planted = 'planted-token-secret-9f3b2c';
    connections.netsuite = { ...connections.netsuite!, credentials: { ...connections.netsuite!.credentials, tokenSecret: planted } };
    const err = await nodeError(ns(ctxWith(connections), { connectionId: 'netsuite', operation: 'get', recordType: 'customer', idPath: '"101"' }, {}));
    expect(err).toMatchObject({ retryable: false, code: 'auth_failed', status: 401 });
    expect(err.message).toContain('INVALID_LOGIN');
    expect(err.message).not.toContain(planted);
    expect(estate.netsuite.loginAudit().at(-1)).toMatchObject({ status: 'Failure', reason: 'bad_signature' });
  });

  it("keeps requests within the account's concurrency limit instead of drawing CONCURRENCY_LIMIT_EXCEEDED", async () => {
    estate.netsuite.setFaults({ account: ACCOUNT, latencyMs: 60 });
    const config = { connectionId: 'netsuite', operation: 'query', recordType: 'customer', filter: '"SELECT id FROM customer"' };
    const polite = ctxWith(demoConnections(estate));
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => ns(polite, config, {})));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);

    // A connection configured above the account's limit gets NetSuite's 429, classified as retryable.
    const greedy = demoConnections(estate);
    greedy.netsuite = { ...greedy.netsuite!, config: { accountId: ACCOUNT, maxConcurrency: 10 } };
    const burst = await Promise.allSettled(Array.from({ length: 10 }, () => ns(ctxWith(greedy), config, {})));
    const refused = burst.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code: string; retryable: boolean; message: string });
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toMatchObject({ code: 'rate_limited', retryable: true, message: expect.stringContaining('CONCURRENCY_LIMIT_EXCEEDED') });
  });

  it('fails permanently, naming the connection, when it is missing or of another system', async () => {
    const ctx = ctxWith(demoConnections(estate));
    expect(await nodeError(ns(ctx, { connectionId: 'nope', operation: 'get', recordType: 'customer', idPath: '"1"' }, {}))).toMatchObject({
      code: 'connection_not_found',
      retryable: false,
      message: 'NetSuite: connection "nope" does not exist in this tenant',
    });
    expect(await nodeError(ns(ctx, { connectionId: 'sap', operation: 'get', recordType: 'customer', idPath: '"1"' }, {}))).toMatchObject({
      code: 'connection_kind_mismatch',
    });
  });
});

describe('NetSuite TBA signature', () => {
  it('matches the RFC 5849 HMAC-SHA256 construction for a fixed nonce and timestamp', () => {
    const header = tbaAuthorization(
      'GET',
      new URL('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=1&q=name IS "A B"'),
      '1234567',
      { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'tk', tokenSecret: 'ts' },
      { nonce: 'n0nce', timestamp: 1_700_000_000 },
    );
    expect(header).toMatch(/^OAuth realm="1234567", oauth_consumer_key="ck", oauth_nonce="n0nce", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1700000000", oauth_token="tk", oauth_version="1.0", oauth_signature="[A-Za-z0-9%]+"$/);
    // Same inputs, same signature; another token secret, another signature.
    const again = tbaAuthorization('GET', new URL('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=1&q=name IS "A B"'), '1234567', { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'tk', tokenSecret: 'ts' }, { nonce: 'n0nce', timestamp: 1_700_000_000 });
    const other = tbaAuthorization('GET', new URL('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=1&q=name IS "A B"'), '1234567', { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'tk', tokenSecret: 'tx' }, { nonce: 'n0nce', timestamp: 1_700_000_000 });
    expect(again).toBe(header);
    expect(other).not.toBe(header);
  });
});
