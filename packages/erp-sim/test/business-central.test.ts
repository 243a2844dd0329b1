import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BC_SCOPE, startBusinessCentralSim, type SimHandle } from '../src/index';
import { at, call, form, jsonInit } from './helpers';

const TENANT = '11111111-2222-4333-8444-555555555555';
const COMPANY = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
let now = Date.parse('2026-03-01T10:00:00Z');
let sim: SimHandle;
let root: string;
let token: string;

async function getToken(clientSecret = 'secret-1', scope = BC_SCOPE) {
  return call(`${sim.url}/${TENANT}/oauth2/v2.0/token`, form({ grant_type: 'client_credentials', client_id: 'client-1', client_secret: clientSecret, scope }));
}
const auth = (extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });
const get = (path: string, headers: Record<string, string> = {}) => call(`${root}${path}`, { headers: auth(headers) });
const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(`${root}${path}`, jsonInit(method, body, auth(headers)));

beforeAll(async () => {
  sim = await startBusinessCentralSim({
    tenants: [{ tenantId: TENANT, clients: [{ clientId: 'client-1', clientSecret: 'secret-1' }], companies: [{ id: COMPANY, name: 'CRONUS Test' }] }],
    clock: () => now,
    tokenTtlSeconds: 60,
    maxPageSize: 3,
  });
  root = `${sim.url}/v2.0/${TENANT}/production/api/v2.0/companies(${COMPANY})`;
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  token = String(at((await getToken()).body, 'access_token'));
});

describe('client-credentials token endpoint', () => {
  it('issues expiring bearer tokens and answers bad credentials like Entra ID', async () => {
    const ok = await getToken();
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    const wrongSecret = await getToken('nope');
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(String(at(wrongSecret.body, 'error_description'))).toMatch(/^AADSTS7000215: Invalid client secret/);
    expect(at((await getToken('secret-1', 'https://graph.microsoft.com/User.Read')).body, 'error')).toBe('invalid_scope');
    const unknownTenant = await call(`${sim.url}/00000000-0000-4000-8000-000000000000/oauth2/v2.0/token`, form({ grant_type: 'client_credentials' }));
    expect(unknownTenant.status).toBe(400);
    expect(at(unknownTenant.body, 'error_codes', 0)).toBe(90002);
  });

  it('rejects missing, unknown and expired tokens with 401 Authentication_InvalidCredentials', async () => {
    const none = await call(`${root}/customers`);
    expect(none.status).toBe(401);
    expect(at(none.body, 'error', 'code')).toBe('Authentication_InvalidCredentials');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await get('/customers')).status).toBe(200);
    now += 61_000;
    const expired = await get('/customers');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('expired');
  });

  it('serves the short /api/v2.0 form and lists companies', async () => {
    const companies = await call(`${sim.url}/api/v2.0/companies`, { headers: auth() });
    expect(at(companies.body, 'value', 0)).toMatchObject({ id: COMPANY, name: 'CRONUS Test' });
    expect((await call(`${sim.url}/api/v2.0/companies(00000000-0000-4000-8000-000000000000)/customers`, { headers: auth() })).status).toBe(404);
  });
});

describe('entities', () => {
  it('creates and gets customers with ETags; requires If-Match on PATCH and answers 412 on a stale one', async () => {
    const created = await send('POST', '/customers', { displayName: 'Adatum Corporation', email: 'ap@adatum.example' });
    expect(created.status).toBe(201);
    const id = String(at(created.body, 'id'));
    const etag = String(at(created.body, '@odata.etag'));
    expect(created.headers.get('etag')).toBe(etag);
    expect(created.headers.get('location')).toBe(`${root}/customers(${id})`);
    expect(created.body).toMatchObject({ number: 'C10010', displayName: 'Adatum Corporation', balanceDue: 0, phoneNumber: '' });

    expect(at((await send('PATCH', `/customers(${id})`, { displayName: 'X' })).body, 'error', 'code')).toBe('BadRequest_InvalidToken');
    const patched = await send('PATCH', `/customers(${id})`, { displayName: 'Adatum Corp.' }, { 'If-Match': etag });
    expect(patched.status).toBe(200);
    expect(at(patched.body, '@odata.etag')).not.toBe(etag);
    const stale = await send('PATCH', `/customers(${id})`, { displayName: 'Late' }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    expect(at(stale.body, 'error', 'code')).toBe('Request_EntityChanged');
    expect((await send('PATCH', `/customers(${id})`, { email: 'x@adatum.example' }, { 'If-Match': '*' })).status).toBe(200);
    expect(at((await get(`/customers(${id})`)).body, 'displayName')).toBe('Adatum Corp.');
  });

  it('validates bodies with OData errors that name the property', async () => {
    const unknown = await send('POST', '/customers', { displayName: 'A', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(at(unknown.body, 'error', 'message')).toContain("The property 'colour' does not exist on type 'Microsoft.NAV.customer'");
    const badType = await send('POST', '/customers', { displayName: 'A', creditLimit: 'lots' });
    expect(at(badType.body, 'error', 'message')).toContain("'Edm.Decimal' for the property 'creditLimit'");
    const missing = await send('POST', '/customers', { email: 'a@b.example' });
    expect(at(missing.body, 'error')).toMatchObject({ code: 'Application_DialogException' });
    expect(at(missing.body, 'error', 'message')).toContain('displayName must have a value');
    await send('POST', '/customers', { displayName: 'A', number: 'C1' });
    const dup = await send('POST', '/customers', { displayName: 'B', number: 'C1' });
    expect(at(dup.body, 'error', 'code')).toBe('Internal_EntityWithSameKeyExists');
    expect(sim.records('customers', TENANT)).toHaveLength(1);
  });

  it('creates sales orders with deep-inserted lines, linked to an existing customer', async () => {
    const noCustomer = await send('POST', '/salesOrders', { customerNumber: 'NOPE', externalDocumentNumber: 'PO-1' });
    expect(noCustomer.status).toBe(400);
    expect(at(noCustomer.body, 'error', 'code')).toBe('Internal_RecordNotFound');
    await send('POST', '/customers', { displayName: 'Trey Research', number: 'C20000' });
    const so = await send('POST', '/salesOrders', {
      customerNumber: 'C20000',
      externalDocumentNumber: 'PO-1',
      salesOrderLines: [
        { lineObjectNumber: '1896-S', quantity: 2, unitPrice: 50 },
        { lineObjectNumber: '1900-S', quantity: 1, unitPrice: 25 },
      ],
    });
    expect(so.status).toBe(201);
    expect(so.body).toMatchObject({
      number: 'S-ORD101001',
      customerName: 'Trey Research',
      totalAmountIncludingTax: 125,
      status: 'Draft',
      orderDate: '2026-03-01',
    });
    expect(at(so.body, 'salesOrderLines')).toBeUndefined();
    const id = String(at(so.body, 'id'));
    const expanded = await get(`/salesOrders(${id})?$expand=salesOrderLines`);
    expect(at(expanded.body, 'salesOrderLines', 1)).toMatchObject({ sequence: 20000, amountExcludingTax: 25 });
    const added = await send('POST', `/salesOrders(${id})/salesOrderLines`, { description: 'Freight', quantity: 1, unitPrice: 10 });
    expect(added.status).toBe(201);
    expect(at((await get(`/salesOrders(${id})`)).body, 'totalAmountExcludingTax')).toBe(135);
  });

  it('filters with $filter, pages with $top/$skip and @odata.nextLink', async () => {
    for (let i = 1; i <= 7; i++) await send('POST', '/customers', { displayName: `Customer ${i}`, city: i % 2 ? 'Oslo' : 'Bergen' });
    const filtered = await get(`/customers?$filter=${encodeURIComponent("city eq 'Oslo' and displayName ne 'Customer 1'")}&$count=true`);
    expect(at(filtered.body, '@odata.count')).toBe(3);
    expect((at(filtered.body, 'value') as unknown[]).length).toBe(3);

    const seen: string[] = [];
    let url: string | undefined = `${root}/customers?$select=displayName`;
    let pages = 0;
    while (url) {
      const r = await call(url, { headers: auth() });
      for (const v of at(r.body, 'value') as Array<{ displayName: string }>) seen.push(v.displayName);
      url = at(r.body, '@odata.nextLink') as string | undefined;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `Customer ${i}`));

    const topSkip = await get('/customers?$top=2&$skip=4&$orderby=displayName desc');
    expect((at(topSkip.body, 'value') as Array<{ displayName: string }>).map((v) => v.displayName)).toEqual(['Customer 3', 'Customer 2']);
    expect(at(topSkip.body, '@odata.nextLink')).toBeUndefined();
    const preferred = await get('/customers', { Prefer: 'odata.maxpagesize=2' });
    expect((at(preferred.body, 'value') as unknown[]).length).toBe(2);
    expect(preferred.headers.get('preference-applied')).toBe('odata.maxpagesize=2');

    const bad = await get(`/customers?$filter=${encodeURIComponent("colour eq 'red'")}`);
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'error', 'message')).toContain("Could not find a property named 'colour'");
  });

  it('posts a balanced general journal into G/L entries and refuses an unbalanced one', async () => {
    const journal = await send('POST', '/journals', { code: 'GENERAL', displayName: 'General' });
    const jid = String(at(journal.body, 'id'));
    await send('POST', `/journals(${jid})/journalLines`, { accountNumber: '10100', documentNumber: 'D1', amount: 100 });
    await send('POST', `/journals(${jid})/journalLines`, { accountNumber: '40100', documentNumber: 'D1', amount: -90 });
    const unbalanced = await send('POST', `/journals(${jid})/Microsoft.NAV.post`, {});
    expect(unbalanced.status).toBe(400);
    expect(at(unbalanced.body, 'error', 'message')).toContain('Document No. D1 is out of balance by 10.00');
    await send('POST', `/journals(${jid})/journalLines`, { accountNumber: '40200', documentNumber: 'D1', amount: -10 });
    expect((await send('POST', `/journals(${jid})/Microsoft.NAV.post`, {})).status).toBe(204);
    expect(sim.records('generalLedgerEntries', TENANT)).toHaveLength(3);
    expect(at((await get(`/journals(${jid})/journalLines`)).body, 'value')).toEqual([]);
    expect((await send('POST', '/generalLedgerEntries', {})).status).toBe(405);
  });
});

describe('faults', () => {
  it('answers injected throttling with 429, Retry-After and Application_TooManyRequests', async () => {
    sim.setFaults({ account: TENANT, rate429: 1, retryAfterSeconds: 3 });
    const r = await get('/customers');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(at(r.body, 'error', 'code')).toBe('Application_TooManyRequests');
    // The token endpoint is not throttled by API faults.
    expect((await getToken()).status).toBe(200);
  });

  it('drops the response but keeps the write when a lost response is injected', async () => {
    sim.setFaults({ account: TENANT, lostResponseRate: 1 });
    await expect(fetch(`${root}/customers`, jsonInit('POST', { displayName: 'Ghost' }, auth()))).rejects.toThrow();
    expect(sim.records('customers', TENANT)).toHaveLength(1);
  });
});

describe('purchase invoices', () => {
  it('creates a draft purchase invoice with item and G/L lines priced by direct unit cost, and names a missing vendor', async () => {
    const created = await send('POST', '/purchaseInvoices', {
      vendorNumber: 'V2001',
      vendorInvoiceNumber: 'CC-INV-1',
      invoiceDate: '2026-03-10',
      purchaseInvoiceLines: [
        { lineType: 'Item', lineObjectNumber: 'SERVO-M3', quantity: 4, directUnitCost: 85.5 },
        { lineType: 'Account', lineObjectNumber: '61300', description: 'Freight', quantity: 1, directUnitCost: 18 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: 'P-INV108001', vendorInvoiceNumber: 'CC-INV-1', status: 'Draft', totalAmountExcludingTax: 360 });
    const missingVendor = await send('POST', '/purchaseInvoices', { vendorInvoiceNumber: 'CC-INV-2' });
    expect(missingVendor.status).toBe(400);
    expect(String(at(missingVendor.body, 'error', 'message'))).toContain('vendorId or vendorNumber');
    const filtered = await get(`/purchaseInvoices?$filter=vendorInvoiceNumber eq 'CC-INV-1'&$expand=purchaseInvoiceLines`);
    expect(at(filtered.body, 'value', 0, 'purchaseInvoiceLines', 1)).toMatchObject({ lineType: 'Account', amountExcludingTax: 18 });
  });
});

