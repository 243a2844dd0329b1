import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNetSuiteSim, type NetSuiteSimHandle, type NetSuiteTbaCredential } from '../src/index';
import { at, call, jsonInit, netSuiteClient, netSuiteSigner } from './helpers';

const REALM = 'TSTDRV9000001';
const CRED: NetSuiteTbaCredential = { consumerKey: 'ck-1', consumerSecret: 'cs-1', tokenId: 'tk-1', tokenSecret: 'ts-1' };
const OTHER_REALM = '9000002_SB1';
const OTHER_CRED: NetSuiteTbaCredential = { consumerKey: 'ck-2', consumerSecret: 'cs-2', tokenId: 'tk-2', tokenSecret: 'ts-2' };
const REC = '/services/rest/record/v1';

let sim: NetSuiteSimHandle;
const now = Date.parse('2026-03-01T10:00:00Z');
let ns: ReturnType<typeof netSuiteClient>;

beforeAll(async () => {
  sim = await startNetSuiteSim({
    accounts: [
      { accountId: REALM, credentials: [CRED], maxConcurrency: 2 },
      { accountId: OTHER_REALM, credentials: [OTHER_CRED] },
    ],
    clock: () => now,
  });
  ns = netSuiteClient(sim.url, REALM, CRED, { timestamp: () => Math.floor(now / 1000) });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const customer = (extra: Record<string, unknown> = {}) => ({ companyName: 'Acme GmbH', subsidiary: { id: '1' }, ...extra });

describe('token-based authentication (OAuth 1.0a, HMAC-SHA256)', () => {
  it('accepts a correctly signed request and rejects a wrong secret with INVALID_LOGIN', async () => {
    expect((await ns('GET', `${REC}/customer`)).status).toBe(200);
    const bad = netSuiteClient(sim.url, REALM, { ...CRED, tokenSecret: 'wrong' }, { timestamp: () => Math.floor(now / 1000) });
    const r = await bad('GET', `${REC}/customer`);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ title: 'Unauthorized', status: 401, 'o:errorDetails': [{ 'o:errorCode': 'INVALID_LOGIN' }] });
    expect(String(at(r.body, 'o:errorDetails', 0, 'detail'))).toMatch(/^Invalid login attempt/);
    expect(sim.loginAudit().at(-1)).toMatchObject({ status: 'Failure', reason: 'bad_signature', account: REALM });
  });

  it('signs query parameters too: the same header on another query string fails', async () => {
    const sign = netSuiteSigner(REALM, CRED, { timestamp: () => Math.floor(now / 1000) });
    const signedFor5 = sign('GET', `${sim.url}${REC}/customer?limit=5`);
    const tampered = await call(`${sim.url}${REC}/customer?limit=6`, { headers: { Authorization: signedFor5 } });
    expect(tampered.status).toBe(401);
    expect(sim.loginAudit().at(-1)?.reason).toBe('bad_signature');
    const eid = `${sim.url}${REC}/customer/eid:ANY-1?expandSubResources=true`;
    expect((await call(eid, { headers: { Authorization: sign('GET', eid) } })).status).toBe(404);
  });

  it('rejects nonce reuse, stale timestamps, unknown realms, HMAC-SHA1 and missing headers', async () => {
    const fixed = netSuiteClient(sim.url, REALM, CRED, { timestamp: () => Math.floor(now / 1000), nonce: () => 'same-nonce' });
    expect((await fixed('GET', `${REC}/customer`)).status).toBe(200);
    expect((await fixed('GET', `${REC}/customer`)).status).toBe(401);
    expect(sim.loginAudit().at(-1)?.reason).toBe('nonce_reused');

    const stale = netSuiteClient(sim.url, REALM, CRED, { timestamp: () => Math.floor(now / 1000) - 3600 });
    expect((await stale('GET', `${REC}/customer`)).status).toBe(401);
    expect(sim.loginAudit().at(-1)?.reason).toBe('stale_timestamp');

    const wrongRealm = netSuiteClient(sim.url, 'NOPE', CRED, { timestamp: () => Math.floor(now / 1000) });
    expect((await wrongRealm('GET', `${REC}/customer`)).status).toBe(401);
    expect(sim.loginAudit().at(-1)?.reason).toBe('unknown_realm');

    const sha1 = netSuiteClient(sim.url, REALM, CRED, { timestamp: () => Math.floor(now / 1000), signatureMethod: 'HMAC-SHA1' });
    expect((await sha1('GET', `${REC}/customer`)).status).toBe(401);
    expect(sim.loginAudit().at(-1)?.reason).toBe('unsupported_signature_method');

    expect((await call(`${sim.url}${REC}/customer`)).status).toBe(401);
    expect(sim.loginAudit().at(-1)?.reason).toBe('missing_authorization');
  });

  it('exposes the login audit trail through the admin API', async () => {
    await call(`${sim.url}${REC}/customer`);
    const r = await call(`${sim.url}/__admin/login-audit`);
    expect(at(r.body, 'entries', 0, 'reason')).toBe('missing_authorization');
  });
});

describe('record API', () => {
  it('creates with 204 + Location, gets by internal and external id', async () => {
    const created = await ns('POST', `${REC}/customer`, customer({ externalId: 'CUST-1', email: 'ap@acme.example' }));
    expect(created.status).toBe(204);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`${REC}/customer/\\d+$`));
    const id = location.split('/').pop() as string;
    const got = await ns('GET', `${REC}/customer/${id}`);
    expect(got.body).toMatchObject({ id, companyName: 'Acme GmbH', externalId: 'CUST-1', links: [{ rel: 'self', href: location }] });
    const byEid = await ns('GET', `${REC}/customer/eid:CUST-1`);
    expect(at(byEid.body, 'id')).toBe(id);
    const missing = await ns('GET', `${REC}/customer/99999`);
    expect(missing.status).toBe(404);
    expect(at(missing.body, 'o:errorDetails', 0, 'o:errorCode')).toBe('NONEXISTENT_ID');
  });

  it('names missing mandatory fields and invalid values the way NetSuite does', async () => {
    const r = await ns('POST', `${REC}/customer`, { email: 'x@example.com' });
    expect(r.status).toBe(400);
    const details = at(r.body, 'o:errorDetails') as Array<Record<string, string>>;
    expect(details.map((d) => d['o:errorPath'])).toEqual(['companyName', 'subsidiary']);
    expect(details[0]?.detail).toBe('Error while accessing a resource. Please enter value(s) for: Company Name.');
    const invalid = await ns('POST', `${REC}/salesOrder`, { entity: { id: '1' }, item: { items: [{ item: { id: '5' }, quantity: 'two' }] } });
    expect(invalid.status).toBe(400);
    expect(at(invalid.body, 'o:errorDetails', 0)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'item.items[0].quantity' });
    const broken = await ns('POST', `${REC}/customer`, undefined, { 'Content-Type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(sim.records('customer')).toHaveLength(0);
  });

  it('upserts by external id with PUT eid: without creating duplicates', async () => {
    const first = await ns('PUT', `${REC}/customer/eid:CUST-7`, customer());
    expect(first.status).toBe(204);
    const second = await ns('PUT', `${REC}/customer/eid:CUST-7`, { companyName: 'Acme AG' });
    expect(second.status).toBe(204);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const stored = sim.records('customer', REALM);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.data).toMatchObject({ companyName: 'Acme AG', externalId: 'CUST-7', subsidiary: { id: '1' } });
    // A new external id without mandatory fields is a create, so it is validated as one.
    expect((await ns('PUT', `${REC}/customer/eid:CUST-8`, { email: 'a@b.example' })).status).toBe(400);
    // POST with a taken external id is refused; PUT on an internal id is not an upsert.
    expect((await ns('POST', `${REC}/customer`, customer({ externalId: 'CUST-7' }))).status).toBe(400);
    expect((await ns('PUT', `${REC}/customer/${stored[0]?.id}`, customer())).status).toBe(405);
    expect(sim.records('customer')).toHaveLength(1);
  });

  it('keeps accounts apart', async () => {
    await ns('POST', `${REC}/customer`, customer());
    const other = netSuiteClient(sim.url, OTHER_REALM, OTHER_CRED, { timestamp: () => Math.floor(now / 1000) });
    expect(at((await other('GET', `${REC}/customer`)).body, 'totalResults')).toBe(0);
    expect(sim.records('customer', OTHER_REALM)).toHaveLength(0);
    expect(sim.records('customer', REALM)).toHaveLength(1);
  });

  it('lists with limit/offset paging and links, and filters with q', async () => {
    for (let i = 1; i <= 5; i++) await ns('POST', `${REC}/customer`, customer({ companyName: `Co ${i}`, externalId: `C-${i}` }));
    const page = await ns('GET', `${REC}/customer?limit=2&offset=2`);
    expect(page.body).toMatchObject({ count: 2, hasMore: true, offset: 2, totalResults: 5 });
    const rels = (at(page.body, 'links') as Array<{ rel: string; href: string }>).map((l) => l.rel);
    expect(rels).toEqual(['self', 'first', 'prev', 'next', 'last']);
    const next = (at(page.body, 'links') as Array<{ rel: string; href: string }>).find((l) => l.rel === 'next')?.href ?? '';
    expect(new URL(next).searchParams.get('offset')).toBe('4');
    const last = await ns('GET', `${REC}/customer?limit=2&offset=4`);
    expect(last.body).toMatchObject({ count: 1, hasMore: false });
    const bad = await ns('GET', `${REC}/customer?limit=2&offset=3`);
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'o:errorDetails', 0, 'o:errorQueryParam')).toBe('offset');
    const q = await ns('GET', `${REC}/customer?q=${encodeURIComponent('externalId IS "C-3"')}`);
    expect(at(q.body, 'totalResults')).toBe(1);
    const badQ = await ns('GET', `${REC}/customer?q=${encodeURIComponent('nosuchfield IS "x"')}`);
    expect(badQ.status).toBe(400);
    expect(String(at(badQ.body, 'o:errorDetails', 0, 'detail'))).toContain("'nosuchfield'");
  });

  it('computes totals, hides sublists unless expanded, merges or replaces lines on PATCH', async () => {
    const so = { entity: { id: '7' }, externalId: 'SO-1', item: { items: [{ item: { id: '10' }, quantity: 2, rate: 50 }] } };
    const loc = (await ns('POST', `${REC}/salesOrder`, so)).headers.get('location') ?? '';
    const id = loc.split('/').pop() as string;
    const plain = await ns('GET', `${REC}/salesOrder/${id}`);
    expect(plain.body).toMatchObject({ total: 100, tranId: 'SO1001', item: { links: [{ rel: 'self' }] } });
    expect(at(plain.body, 'item', 'items')).toBeUndefined();
    await ns('PATCH', `${REC}/salesOrder/${id}`, { item: { items: [{ item: { id: '11' }, quantity: 1, rate: 5 }] } });
    const appended = await ns('GET', `${REC}/salesOrder/${id}?expandSubResources=true`);
    expect(at(appended.body, 'item', 'items')).toHaveLength(2);
    expect(at(appended.body, 'total')).toBe(105);
    expect(((await ns('GET', `${REC}/salesOrder/${id}/item`)).body as { count: number }).count).toBe(2);
    await ns('PATCH', `${REC}/salesOrder/${id}?replace=item`, { item: { items: [{ item: { id: '12' }, quantity: 3, rate: 1 }] } });
    expect(sim.records('salesOrder')[0]?.data).toMatchObject({ total: 3, item: { items: [{ line: 1, amount: 3 }] } });
    expect((await ns('DELETE', `${REC}/salesOrder/${id}`)).status).toBe(204);
    expect(sim.records('salesOrder')).toHaveLength(0);
  });

  it('refuses an unbalanced journal entry', async () => {
    const r = await ns('POST', `${REC}/journalEntry`, {
      subsidiary: { id: '1' },
      line: {
        items: [
          { account: { id: '1' }, debit: 100 },
          { account: { id: '2' }, credit: 90 },
        ],
      },
    });
    expect(r.status).toBe(400);
    expect(at(r.body, 'o:errorDetails', 0, 'detail')).toContain('must equal the total of the credit lines');
  });
});

describe('SuiteQL', () => {
  it('requires Prefer: transient and runs filtered, ordered, paged queries', async () => {
    await ns('POST', `${REC}/salesOrder`, { entity: { id: '7' }, externalId: 'SO-A', item: { items: [{ item: { id: '1' }, quantity: 1, rate: 10 }] } });
    await ns('POST', `${REC}/salesOrder`, { entity: { id: '8' }, externalId: 'SO-B', item: { items: [{ item: { id: '1' }, quantity: 1, rate: 30 }] } });
    await ns('POST', `${REC}/invoice`, { entity: { id: '7' }, externalId: 'INV-A', item: { items: [{ item: { id: '1' }, quantity: 1, rate: 10 }] } });
    const sql = {
      q: "SELECT id, tranid, externalid, foreigntotal FROM transaction t WHERE t.type = 'SalesOrd' AND foreigntotal >= 10 ORDER BY foreigntotal DESC",
    };
    const noPrefer = await ns('POST', '/services/rest/query/v1/suiteql', sql);
    expect(noPrefer.status).toBe(400);
    expect(at(noPrefer.body, 'o:errorDetails', 0, 'o:errorHeader')).toBe('Prefer');
    const r = await ns('POST', '/services/rest/query/v1/suiteql?limit=1', sql, { Prefer: 'transient' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ count: 1, hasMore: true, totalResults: 2, items: [{ externalid: 'SO-B', foreigntotal: '30' }] });
    const bad = await ns('POST', '/services/rest/query/v1/suiteql', { q: 'SELECT nosuch FROM customer' }, { Prefer: 'transient' });
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'o:errorDetails', 0, 'detail')).toContain("Field 'nosuch'");
    const syntax = await ns('POST', '/services/rest/query/v1/suiteql', { q: 'SELECT FROM' }, { Prefer: 'transient' });
    expect(syntax.status).toBe(400);
  });
});

describe('governance and injected faults', () => {
  it('answers 429 CONCURRENCY_LIMIT_EXCEEDED past the account limit', async () => {
    sim.setFaults({ account: REALM, latencyMs: 150 });
    const results = await Promise.all([1, 2, 3, 4].map(() => ns('GET', `${REC}/customer`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    const limited = results.find((r) => r.status === 429);
    expect(at(limited?.body, 'o:errorDetails', 0, 'o:errorCode')).toBe('CONCURRENCY_LIMIT_EXCEEDED');
    sim.clearFaults();
    expect((await ns('GET', `${REC}/customer`)).status).toBe(200);
  });

  it('injects 429 with Retry-After and seeded errors through the admin endpoint', async () => {
    const set = await call(`${sim.url}/__admin/faults`, jsonInit('POST', { account: REALM, rate429: 1, retryAfterSeconds: 7 }));
    expect(set.status).toBe(200);
    const limited = await ns('GET', `${REC}/customer`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const run = async () => {
      sim.setFaults({ account: REALM, errorRate: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await ns('GET', `${REC}/customer`)).status);
      return out;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('resets records through the admin endpoint', async () => {
    await ns('POST', `${REC}/customer`, customer());
    expect(at((await call(`${sim.url}/__admin/records?kind=customer`)).body, 'count')).toBe(1);
    expect((await call(`${sim.url}/__admin/reset`, jsonInit('POST', {}))).status).toBe(200);
    expect(sim.records('customer')).toHaveLength(0);
  });
});
