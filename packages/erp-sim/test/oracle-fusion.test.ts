import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOracleFusionSim, type SimHandle } from '../src/index';
import { at, call, form } from './helpers';

let now = Date.parse('2026-03-01T10:00:00Z');
let sim: SimHandle;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const AUTH = { Authorization: basic('int.user', 'fa-pass') };
const V4 = { ...AUTH, 'REST-Framework-Version': '4' };
const api = (path: string) => `${sim.url}/fscmRestApi/resources/11.13.18.05${path}`;
const post = (path: string, body: unknown, headers: Record<string, string> = V4) =>
  call(api(path), { method: 'POST', headers: { 'Content-Type': 'application/vnd.oracle.adf.resourceitem+json', ...headers }, body: JSON.stringify(body) });

const invoice = (n: string, extra: Record<string, unknown> = {}) => ({
  InvoiceNumber: n,
  InvoiceCurrency: 'USD',
  InvoiceAmount: 150.5,
  InvoiceDate: '2026-02-27',
  BusinessUnit: 'US1 Business Unit',
  Supplier: 'Lee Supplies',
  SupplierSite: 'Lee US1',
  invoiceLines: [
    { LineNumber: 1, LineAmount: 100 },
    { LineNumber: 2, LineAmount: 50.5, LineType: 'Freight' },
  ],
  ...extra,
});

beforeAll(async () => {
  sim = await startOracleFusionSim({
    instances: [
      {
        instance: 'pod1',
        users: [{ username: 'int.user', password: 'fa-pass' }],
        clients: [{ clientId: 'fa-client', clientSecret: 'fa-secret' }],
        suppliers: [{ Supplier: 'Lee Supplies', SupplierNumber: '1252' }],
      },
    ],
    clock: () => now,
    accessTokenTtlSeconds: 60,
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('authentication', () => {
  it('takes HTTP Basic for integration users and refuses a wrong password with a Basic challenge', async () => {
    expect((await call(api('/suppliers'), { headers: AUTH })).status).toBe(200);
    const bad = await call(api('/suppliers'), { headers: { Authorization: basic('int.user', 'nope') } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await call(api('/suppliers'))).status).toBe(401);
  });

  it('issues OAuth 2.0 client-credentials tokens that expire', async () => {
    const tok = await call(`${sim.url}/oauth2/v1/token`, {
      ...form({ grant_type: 'client_credentials', scope: 'urn:opc:resource:consumer::all' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic('fa-client', 'fa-secret') },
    });
    expect(tok.body).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    const bearer = { Authorization: `Bearer ${String(at(tok.body, 'access_token'))}` };
    expect((await call(api('/suppliers'), { headers: bearer })).status).toBe(200);
    now += 61_000;
    expect((await call(api('/suppliers'), { headers: bearer })).status).toBe(401);
    const wrong = await call(`${sim.url}/oauth2/v1/token`, form({ grant_type: 'client_credentials', client_id: 'fa-client', client_secret: 'x' }));
    expect(wrong.status).toBe(401);
  });
});

describe('payables invoices', () => {
  it('creates an invoice with generated id, validation status, Location and item media type', async () => {
    const created = await post('/invoices', invoice('INV-1'));
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toContain('application/vnd.oracle.adf.resourceitem+json');
    const id = at(created.body, 'InvoiceId') as number;
    expect(typeof id).toBe('number');
    expect(created.headers.get('location')).toBe(api(`/invoices/${id}`));
    expect(created.body).toMatchObject({ ValidationStatus: 'Validated', SupplierNumber: '1252', InvoiceType: 'Standard' });
    // Children come back only when expanded.
    const plain = await call(api(`/invoices/${id}`), { headers: AUTH });
    expect(at(plain.body, 'invoiceLines')).toBeUndefined();
    const expanded = await call(api(`/invoices/${id}?expand=invoiceLines`), { headers: AUTH });
    expect(at(expanded.body, 'invoiceLines', 1, 'LineType')).toBe('Freight');
  });

  it('rejects a duplicate number for the supplier, an unknown supplier and bad attributes, naming each', async () => {
    await post('/invoices', invoice('INV-1'));
    const dup = await post('/invoices', invoice('INV-1'));
    expect(dup.status).toBe(400);
    expect(dup.headers.get('content-type')).toContain('application/vnd.oracle.adf.error+json');
    expect(at(dup.body, 'o:errorDetails', 0, 'o:errorPath')).toBe('InvoiceNumber');
    const unknown = await post('/invoices', invoice('INV-2', { Supplier: 'Nobody' }));
    expect(at(unknown.body, 'o:errorDetails', 0, 'detail')).toMatch(/Supplier isn't valid: Nobody/);
    const bad = await post('/invoices', { ...invoice('INV-3', { InvoiceCurrency: 'usd', Color: 'red' }), InvoiceDate: undefined });
    const paths = (at(bad.body, 'o:errorDetails') as Array<Record<string, string>>).map((d) => d['o:errorPath']);
    expect(paths).toEqual(expect.arrayContaining(['InvoiceCurrency', 'InvoiceDate']));
    expect(JSON.stringify(bad.body)).toContain('Color');
  });

  it('answers errors as plain text to clients below REST framework 4', async () => {
    await post('/invoices', invoice('INV-1'));
    const dup = await post('/invoices', invoice('INV-1'), AUTH);
    expect(dup.status).toBe(400);
    expect(dup.headers.get('content-type')).toContain('text/plain');
    expect(dup.text).toMatch(/Invoice number INV-1 already exists/);
  });

  it('lets PATCH change only updatable attributes', async () => {
    const id = at((await post('/invoices', invoice('INV-1'))).body, 'InvoiceId') as number;
    const ok = await call(api(`/invoices/${id}`), { method: 'PATCH', headers: { ...V4, 'Content-Type': 'application/json' }, body: JSON.stringify({ Description: 'Office chairs' }) });
    expect(ok.body).toMatchObject({ Description: 'Office chairs', InvoiceNumber: 'INV-1' });
    const refused = await call(api(`/invoices/${id}`), { method: 'PATCH', headers: { ...V4, 'Content-Type': 'application/json' }, body: JSON.stringify({ InvoiceNumber: 'X' }) });
    expect(refused.status).toBe(400);
    expect(at(refused.body, 'o:errorDetails', 0, 'o:errorPath')).toBe('InvoiceNumber');
  });
});

describe('collections', () => {
  it('pages with offset/limit/hasMore, counts with totalResults and filters with q', async () => {
    for (let i = 1; i <= 7; i++) await post('/invoices', invoice(`INV-${i}`, { InvoiceAmount: i * 10, invoiceLines: undefined }));
    const first = await call(api('/invoices?limit=3&totalResults=true&onlyData=true&orderBy=InvoiceNumber:asc'), { headers: AUTH });
    expect(first.body).toMatchObject({ count: 3, hasMore: true, limit: 3, offset: 0, totalResults: 7 });
    expect(at(first.body, 'items', 0, 'links')).toBeUndefined();
    const last = await call(api('/invoices?limit=3&offset=6'), { headers: AUTH });
    expect(last.body).toMatchObject({ count: 1, hasMore: false });
    expect(at(last.body, 'totalResults')).toBeUndefined();
    const q = await call(api(`/invoices?q=${encodeURIComponent("InvoiceNumber='INV-2'")}`), { headers: AUTH });
    expect(at(q.body, 'count')).toBe(1);
    const range = await call(api(`/invoices?q=${encodeURIComponent('InvoiceAmount >= 30 and InvoiceAmount < 60')}`), { headers: AUTH });
    expect(at(range.body, 'count')).toBe(3);
    const old = await call(api('/invoices?q=Supplier=Lee Supplies;InvoiceNumber=INV-7'), { headers: AUTH });
    expect(at(old.body, 'count')).toBe(1);
    const bad = await call(api('/invoices?q=Nope=1'), { headers: V4 });
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'o:errorDetails', 0, 'detail')).toMatch(/attribute Nope does not exist/);
    expect((await call(api('/invoices?limit=501'), { headers: AUTH })).status).toBe(400);
  });
});

describe('receivables, journals and suppliers', () => {
  it('totals receivables invoices and numbers them when no number is given', async () => {
    const created = await post('/receivablesInvoices', {
      BusinessUnit: 'US1 Business Unit',
      TransactionSource: 'Manual',
      TransactionType: 'Invoice',
      TransactionDate: '2026-02-01',
      BillToCustomerNumber: '1001',
      InvoiceCurrencyCode: 'USD',
      receivablesInvoiceLines: [
        { LineNumber: 1, Description: 'Widget', Quantity: 3, UnitSellingPrice: 19.99 },
        { LineNumber: 2, Description: 'Setup', Quantity: 1, UnitSellingPrice: 40 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ EnteredAmount: 99.97, TransactionNumber: '100001', InvoiceStatus: 'Complete' });
  });

  it('refuses an unbalanced journal batch with the header path', async () => {
    const batch = (credit: number) => ({
      BatchName: 'PAYROLL-2026-02',
      AccountingPeriodName: 'Feb-26',
      journalHeaders: [
        {
          HeaderName: 'Payroll',
          LedgerName: 'US Primary Ledger',
          AccountingDate: '2026-02-28',
          CurrencyCode: 'USD',
          journalLines: [
            { LineNumber: 1, AccountCombination: '101.10.60000.000', EnteredDebitAmount: 500 },
            { LineNumber: 2, AccountCombination: '101.10.21000.000', EnteredCreditAmount: credit },
          ],
        },
      ],
    });
    const bad = await post('/journalBatches', batch(499));
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'o:errorDetails', 0, 'o:errorPath')).toBe('journalHeaders/0');
    const ok = await post('/journalBatches', batch(500));
    expect(ok.body).toMatchObject({ Status: 'Unposted', RunningTotalAccountedDr: 500, RunningTotalAccountedCr: 500 });
    expect((await post('/journalBatches', batch(500))).status).toBe(400);
  });

  it('numbers suppliers and refuses a duplicate name', async () => {
    const created = await post('/suppliers', { Supplier: 'Contoso' });
    expect(created.body).toMatchObject({ SupplierNumber: '5001', Status: 'ACTIVE' });
    const dup = await post('/suppliers', { Supplier: 'Lee Supplies' });
    expect(at(dup.body, 'o:errorDetails', 0, 'detail')).toBe('The supplier Lee Supplies already exists.');
  });
});

describe('faults and routing', () => {
  it('throttles with Retry-After and fails with 503 per instance', async () => {
    sim.setFaults({ account: 'pod1', rate429: 1, retryAfterSeconds: 7 });
    const t = await call(api('/suppliers'), { headers: AUTH });
    expect(t.status).toBe(429);
    expect(t.headers.get('retry-after')).toBe('7');
    sim.setFaults({ account: 'pod1', errorRate: 1 });
    expect((await call(api('/suppliers'), { headers: AUTH })).status).toBe(503);
  });

  it('answers 404 for unknown versions, resources and items, and 415 for a non-JSON body', async () => {
    expect((await call(`${sim.url}/fscmRestApi/resources/9.9/invoices`, { headers: AUTH })).status).toBe(404);
    expect((await call(api('/widgets'), { headers: AUTH })).status).toBe(404);
    expect((await call(api('/invoices/123'), { headers: AUTH })).status).toBe(404);
    const text = await call(api('/suppliers'), { method: 'POST', headers: { ...AUTH, 'Content-Type': 'text/plain' }, body: 'x' });
    expect(text.status).toBe(415);
  });
});

describe('reference data (list-of-values resources)', () => {
  it('pages account combinations with items/hasMore and refuses writes and anonymous reads', async () => {
    const first = await call(api('/accountCombinationsLOV?limit=4&totalResults=true'), { headers: AUTH });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 4, hasMore: true, limit: 4, offset: 0, totalResults: 6 });
    expect(at(first.body, 'items', 0, 'ConcatenatedSegments')).toBe('101.10.12100.000');
    const rest = await call(api('/accountCombinationsLOV?limit=4&offset=4'), { headers: AUTH });
    expect(rest.body).toMatchObject({ count: 2, hasMore: false });
    const units = await call(api('/finBusinessUnitsLOV'), { headers: AUTH });
    expect(at(units.body, 'items', 1, 'BusinessUnitName')).toBe('DE1 Business Unit');
    expect((await call(api('/payablesPaymentTerms'), { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(405);
    expect((await call(api('/taxClassifications'))).status).toBe(401);
    expect((await call(api('/taxClassifications?limit=0'), { headers: AUTH })).status).toBe(400);
  });
});
