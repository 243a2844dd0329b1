import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSapSim, type SimHandle } from '../src/index';
import { at, call, form } from './helpers';

let sim: SimHandle;
let so: string;
const BASIC = `Basic ${Buffer.from('COMM_USER:s3cret').toString('base64')}`;

interface Session {
  token: string;
  cookie: string;
}

/** The documented handshake: GET with `x-csrf-token: Fetch`, keep the token and every cookie. */
async function fetchCsrf(authorization = BASIC): Promise<Session> {
  const r = await fetch(`${so}/`, { headers: { Authorization: authorization, 'x-csrf-token': 'Fetch', Accept: 'application/json' } });
  await r.text();
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { token: r.headers.get('x-csrf-token') ?? '', cookie };
}

function write(method: string, path: string, body: unknown, s: Session | undefined, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { Authorization: BASIC, 'Content-Type': 'application/json', Accept: 'application/json', ...extra };
  if (s) Object.assign(headers, { 'x-csrf-token': s.token, Cookie: s.cookie });
  return call(`${so}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
const read = (path: string, authorization = BASIC) => call(`${so}${path}`, { headers: { Authorization: authorization, Accept: 'application/json' } });

const order = (po: string, extra: Record<string, unknown> = {}) => ({
  SalesOrderType: 'OR',
  SalesOrganization: '1010',
  DistributionChannel: '10',
  OrganizationDivision: '00',
  SoldToParty: '10100001',
  PurchaseOrderByCustomer: po,
  TransactionCurrency: 'EUR',
  to_Item: [{ Material: 'TG11', RequestedQuantity: '2', NetPriceAmount: '12.50' }],
  ...extra,
});

beforeAll(async () => {
  sim = await startSapSim({
    systems: [
      {
        systemId: 'Q7Z',
        client: '080',
        users: [{ username: 'COMM_USER', password: 's3cret' }],
        oauthClients: [{ clientId: 'oauth-client', clientSecret: 'oauth-secret' }],
      },
    ],
    pageSize: 2,
  });
  so = `${sim.url}/sap/opu/odata/sap/API_SALES_ORDER_SRV`;
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('logon and CSRF', () => {
  it('rejects bad Basic credentials with a 401 Basic challenge naming system and client', async () => {
    const r = await read('/A_SalesOrder', `Basic ${Buffer.from('COMM_USER:wrong').toString('base64')}`);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="SAP NetWeaver Application Server [Q7Z/080]"');
    expect((await read('/A_SalesOrder')).status).toBe(200);
  });

  it('requires the fetched token together with its session cookie on modifying requests', async () => {
    const none = await write('POST', '/A_SalesOrder', order('PO-1'), undefined);
    expect(none.status).toBe(403);
    expect(none.text).toBe('CSRF token validation failed');
    expect(none.headers.get('x-csrf-token')).toBe('Required');
    const s = await fetchCsrf();
    expect(s.token).not.toBe('');
    expect(s.cookie).toContain('SAP_SESSIONID_Q7Z_080=');
    expect((await write('POST', '/A_SalesOrder', order('PO-1'), { token: s.token, cookie: '' })).status).toBe(403);
    expect((await write('POST', '/A_SalesOrder', order('PO-1'), { token: 'forged', cookie: s.cookie })).status).toBe(403);
    expect((await write('POST', '/A_SalesOrder', order('PO-1'), s)).status).toBe(201);
    expect(sim.records('A_SalesOrder', 'Q7Z')).toHaveLength(1);
  });

  it('serves $metadata and the service document, and keeps one token per session', async () => {
    const meta = await read('/$metadata');
    expect(meta.headers.get('content-type')).toContain('application/xml');
    expect(meta.text).toContain('<EntitySet Name="A_SalesOrder" EntityType="API_SALES_ORDER_SRV.A_SalesOrderType"/>');
    expect(at((await read('/')).body, 'd', 'EntitySets')).toEqual(['A_SalesOrder', 'A_SalesOrderItem']);
    const s = await fetchCsrf();
    const again = await fetch(`${so}/$metadata`, { method: 'HEAD', headers: { Authorization: BASIC, 'x-csrf-token': 'fetch', Cookie: s.cookie } });
    expect(again.headers.get('x-csrf-token')).toBe(s.token);
  });

  it('supports OAuth 2.0 client credentials, with CSRF still required', async () => {
    const bad = await call(`${sim.url}/sap/bc/sec/oauth2/token`, form({ grant_type: 'client_credentials', client_id: 'oauth-client', client_secret: 'nope' }));
    expect(bad.status).toBe(401);
    expect(at(bad.body, 'error')).toBe('invalid_client');
    const t = await call(
      `${sim.url}/sap/bc/sec/oauth2/token`,
      form({ grant_type: 'client_credentials', client_id: 'oauth-client', client_secret: 'oauth-secret' }),
    );
    const bearer = `Bearer ${String(at(t.body, 'access_token'))}`;
    const s = await fetchCsrf(bearer);
    const r = await call(`${so}/A_SalesOrder`, {
      method: 'POST',
      headers: { Authorization: bearer, 'Content-Type': 'application/json', 'x-csrf-token': s.token, Cookie: s.cookie },
      body: JSON.stringify(order('PO-OAUTH')),
    });
    expect(r.status).toBe(201);
    expect(at(r.body, 'd', 'CreatedByUser')).toBe('oauth-client');
  });
});

describe('sales orders', () => {
  it('creates with deep insert and returns the d-wrapped entity, then reads it back', async () => {
    const s = await fetchCsrf();
    const r = await write('POST', '/A_SalesOrder', order('PO-9'), s);
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`${so}/A_SalesOrder('1')`);
    expect(at(r.body, 'd')).toMatchObject({ SalesOrder: '1', TotalNetAmount: '25.00', OverallSDProcessStatus: 'A', PurchaseOrderByCustomer: 'PO-9' });
    expect(at(r.body, 'd', '__metadata', 'type')).toBe('API_SALES_ORDER_SRV.A_SalesOrderType');
    expect(at(r.body, 'd', 'to_Item', 'results', 0)).toMatchObject({ SalesOrderItem: '10', RequestedQuantity: '2.000', NetAmount: '25.00' });
    expect(String(at(r.body, 'd', 'CreationDate'))).toMatch(/^\/Date\(\d+\)\/$/);
    const got = await read("/A_SalesOrder('1')");
    expect(at(got.body, 'd', 'to_Item', '__deferred', 'uri')).toBe(`${so}/A_SalesOrder('1')/to_Item`);
    const itemsNav = await read("/A_SalesOrder('1')/to_Item");
    expect(at(itemsNav.body, 'd', 'results', 0, 'Material')).toBe('TG11');
    const item = await read("/A_SalesOrderItem(SalesOrder='1',SalesOrderItem='10')");
    expect(at(item.body, 'd', 'NetAmount')).toBe('25.00');
  });

  it('answers missing fields and unknown properties with SAP error bodies naming them', async () => {
    const s = await fetchCsrf();
    const r = await write('POST', '/A_SalesOrder', { SalesOrderType: 'OR', PurchaseOrderByCustomer: 'X' }, s);
    expect(r.status).toBe(400);
    expect(at(r.body, 'error', 'code')).toBe('00/055');
    expect(at(r.body, 'error', 'message')).toEqual({ lang: 'en', value: 'Make an entry in all required fields' });
    const refs = (at(r.body, 'error', 'innererror', 'errordetails') as Array<{ propertyref: string }>).map((d) => d.propertyref);
    expect(refs).toEqual(['SalesOrganization', 'DistributionChannel', 'OrganizationDivision', 'SoldToParty']);
    const unknown = await write('POST', '/A_SalesOrder', order('PO-2', { Colour: 'red' }), s);
    expect(at(unknown.body, 'error', 'message', 'value')).toContain("Property 'Colour' is invalid");
    const badQty = await write('POST', '/A_SalesOrder', order('PO-3', { to_Item: [{ Material: 'TG11', RequestedQuantity: 'two' }] }), s);
    expect(at(badQty.body, 'error', 'innererror', 'errordetails', 0, 'propertyref')).toBe('RequestedQuantity');
    const missingItemField = await write('POST', '/A_SalesOrder', order('PO-4', { to_Item: { results: [{ RequestedQuantity: '1' }] } }), s);
    expect(at(missingItemField.body, 'error', 'innererror', 'errordetails', 0, 'propertyref')).toBe('to_Item[0]/Material');
    expect(sim.records('A_SalesOrder')).toHaveLength(0);
  });

  it('filters, counts and pages with __next', async () => {
    const s = await fetchCsrf();
    for (const po of ['A-1', 'A-2', 'B-1', 'A-3', 'B-2']) await write('POST', '/A_SalesOrder', order(po), s);
    const filtered = await read(`/A_SalesOrder?$filter=${encodeURIComponent("PurchaseOrderByCustomer eq 'B-2'")}&$format=json`);
    expect(at(filtered.body, 'd', 'results', 0, 'SalesOrder')).toBe('5');
    const sub = await read(`/A_SalesOrder?$filter=${encodeURIComponent("substringof('A-', PurchaseOrderByCustomer)")}&$inlinecount=allpages`);
    expect(at(sub.body, 'd', '__count')).toBe('3');
    const pos: string[] = [];
    let url: string | undefined = `${so}/A_SalesOrder?$select=PurchaseOrderByCustomer`;
    while (url) {
      const r = await call(url, { headers: { Authorization: BASIC } });
      for (const row of at(r.body, 'd', 'results') as Array<{ PurchaseOrderByCustomer: string }>) pos.push(row.PurchaseOrderByCustomer);
      url = at(r.body, 'd', '__next') as string | undefined;
    }
    expect(pos).toEqual(['A-1', 'A-2', 'B-1', 'A-3', 'B-2']);
    const bad = await read(`/A_SalesOrder?$filter=${encodeURIComponent("Nope eq '1'")}`);
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'error', 'innererror', 'errordetails', 0, 'propertyref')).toBe('Nope');
  });

  it('requires If-Match on MERGE/PATCH and DELETE and answers 412 on a stale ETag', async () => {
    const s = await fetchCsrf();
    const created = await write('POST', '/A_SalesOrder', order('PO-E'), s);
    const etag = created.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"datetimeoffset'/);
    expect((await write('PATCH', "/A_SalesOrder('1')", { DeliveryBlockReason: '01' }, s)).status).toBe(428);
    const merged = await write('MERGE', "/A_SalesOrder('1')", { DeliveryBlockReason: '01' }, s, { 'If-Match': etag });
    expect(merged.status).toBe(204);
    expect(merged.headers.get('etag')).not.toBe(etag);
    expect((await write('PATCH', "/A_SalesOrder('1')", { DeliveryBlockReason: '02' }, s, { 'If-Match': etag })).status).toBe(412);
    expect(sim.records('A_SalesOrder')[0]?.data.DeliveryBlockReason).toBe('01');
    expect((await write('DELETE', "/A_SalesOrder('1')", undefined, s, { 'If-Match': '*' })).status).toBe(204);
    expect((await read("/A_SalesOrder('1')")).status).toBe(404);
  });
});

describe('billing documents and journal entries', () => {
  it('creates billing documents and refuses to change them', async () => {
    const s = await fetchCsrf();
    const url = `${sim.url}/sap/opu/odata/sap/API_BILLING_DOCUMENT_SRV/A_BillingDocument`;
    const headers = { Authorization: BASIC, 'Content-Type': 'application/json', 'x-csrf-token': s.token, Cookie: s.cookie };
    const body = {
      BillingDocumentType: 'F2',
      SalesOrganization: '1010',
      SoldToParty: '10100001',
      TransactionCurrency: 'EUR',
      DocumentReferenceID: 'INV-1',
      to_Item: [{ Material: 'TG11', BillingQuantity: '1', NetAmount: '99.90' }],
    };
    const r = await call(url, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(r.status).toBe(201);
    expect(at(r.body, 'd')).toMatchObject({ BillingDocument: '90000001', TotalNetAmount: '99.90', SDDocumentCategory: 'M' });
    const patch = await call(`${url}('90000001')`, { method: 'PATCH', headers: { ...headers, 'If-Match': '*' }, body: '{}' });
    expect(patch.status).toBe(405);
  });

  it('posts balanced journal entries and refuses unbalanced ones with F5/702', async () => {
    const s = await fetchCsrf();
    const url = `${sim.url}/sap/opu/odata/sap/API_JOURNALENTRY_SRV/A_JournalEntry`;
    const headers = { Authorization: BASIC, 'Content-Type': 'application/json', 'x-csrf-token': s.token, Cookie: s.cookie };
    const entry = (credit: string) => ({
      CompanyCode: '1010',
      DocumentDate: '2026-03-01',
      PostingDate: '/Date(1772323200000)/',
      TransactionCurrency: 'EUR',
      DocumentReferenceID: 'BATCH-1',
      to_Item: [
        { GLAccount: '11001000', AmountInTransactionCurrency: '100.00' },
        { GLAccount: '41000000', AmountInTransactionCurrency: credit },
      ],
    });
    const bad = await call(url, { method: 'POST', headers, body: JSON.stringify(entry('-90.00')) });
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'error', 'code')).toBe('F5/702');
    const ok = await call(url, { method: 'POST', headers, body: JSON.stringify(entry('-100.00')) });
    expect(ok.status).toBe(201);
    expect(at(ok.body, 'd')).toMatchObject({ AccountingDocument: '100000001', FiscalYear: '2026' });
    expect(at(ok.body, 'd', 'to_Item', 'results', 1)).toMatchObject({ AccountingDocumentItem: '002', DebitCreditCode: 'H' });
  });
});

describe('faults', () => {
  it('injects 429 with Retry-After in SAP error shape and times out on demand', async () => {
    sim.setFaults({ account: 'Q7Z', rate429: 1, retryAfterSeconds: 2 });
    const r = await read('/A_SalesOrder');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(at(r.body, 'error', 'message', 'lang')).toBe('en');
    sim.setFaults({ account: 'Q7Z', timeoutRate: 1 });
    await expect(fetch(`${so}/A_SalesOrder`, { headers: { Authorization: BASIC }, signal: AbortSignal.timeout(200) })).rejects.toThrow();
    sim.clearFaults('Q7Z');
    expect((await read('/A_SalesOrder')).status).toBe(200);
  });
});
