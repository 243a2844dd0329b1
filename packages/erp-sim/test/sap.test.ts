import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { SAP_JOURNAL_ENTRY_SOAP_PATH, startSapSim, type SimHandle } from '../src/index';
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
    expect(at(badQty.body, 'error', 'innererror', 'errordetails', 0, 'propertyref')).toBe('to_Item[0]/RequestedQuantity');
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

  it('refuses journal entry creation over OData: S/4HANA Cloud posts them through SOAP', async () => {
    const s = await fetchCsrf();
    const url = `${sim.url}/sap/opu/odata/sap/API_JOURNALENTRY_SRV/A_JournalEntry`;
    const r = await call(url, { method: 'POST', headers: { Authorization: BASIC, 'Content-Type': 'application/json', 'x-csrf-token': s.token, Cookie: s.cookie }, body: '{}' });
    expect(r.status).toBe(405);
  });
});

describe('sales order items with pricing elements', () => {
  it('takes a manual PR00 price from to_PricingElement and names a bad element by its path', async () => {
    const s = await fetchCsrf();
    const item = (el: Record<string, unknown>) => ({ Material: 'TG11', RequestedQuantity: '3', to_PricingElement: [el] });
    const ok = await write('POST', '/A_SalesOrder', { ...order('PO-PR00'), to_Item: [item({ ConditionType: 'PR00', ConditionRateValue: '20.00', ConditionCurrency: 'EUR' })] }, s);
    expect(ok.status).toBe(201);
    expect(at(ok.body, 'd', 'to_Item', 'results', 0)).toMatchObject({ NetPriceAmount: '20.00', NetAmount: '60.00' });
    const bad = await write('POST', '/A_SalesOrder', { ...order('PO-BAD'), to_Item: [item({ ConditionType: 'PR00', Bogus: 'x' })] }, s);
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'error', 'message', 'value')).toContain("to_Item[0]/to_PricingElement[0]/Bogus");
  });
});

/** A request as SAP's documentation of JournalEntryCreateRequestConfirmation_In shows it. */
function journalEnvelope(messageId: string, credit: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sfin="http://sap.com/xi/SAPSCORE/SFIN">
  <soapenv:Header/>
  <soapenv:Body>
    <sfin:JournalEntryBulkCreateRequest>
      <MessageHeader><ID>BULK-${messageId}</ID><CreationDateTime>2026-03-31T12:00:00Z</CreationDateTime></MessageHeader>
      <JournalEntryCreateRequest>
        <MessageHeader><ID>${messageId}</ID><CreationDateTime>2026-03-31T12:00:00Z</CreationDateTime></MessageHeader>
        <JournalEntry>
          <OriginalReferenceDocumentType>BKPFF</OriginalReferenceDocumentType>
          <BusinessTransactionType>RFBU</BusinessTransactionType>
          <AccountingDocumentType>SA</AccountingDocumentType>
          <DocumentReferenceID>BATCH-1</DocumentReferenceID>
          <DocumentHeaderText>March accrual</DocumentHeaderText>
          <CompanyCode>1010</CompanyCode>
          <DocumentDate>2026-03-31</DocumentDate>
          <PostingDate>2026-03-31</PostingDate>
          <Item>
            <GLAccount>11001000</GLAccount>
            <AmountInTransactionCurrency currencyCode="EUR">100.00</AmountInTransactionCurrency>
            <DebitCreditCode>S</DebitCreditCode>
            <AccountAssignment><CostCenter>10101101</CostCenter></AccountAssignment>
          </Item>
          <Item>
            <GLAccount>41000000</GLAccount>
            <AmountInTransactionCurrency currencyCode="EUR">${credit}</AmountInTransactionCurrency>
            <DebitCreditCode>H</DebitCreditCode>
          </Item>${extra}
        </JournalEntry>
      </JournalEntryCreateRequest>
    </sfin:JournalEntryBulkCreateRequest>
  </soapenv:Body>
</soapenv:Envelope>`;
}

const xml = new XMLParser({ removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === 'Item' });
async function postSoap(envelope: string, authorization = BASIC, type = 'text/xml; charset=utf-8') {
  const r = await fetch(`${sim.url}${SAP_JOURNAL_ENTRY_SOAP_PATH}`, { method: 'POST', headers: { Authorization: authorization, 'Content-Type': type }, body: envelope });
  const text = await r.text();
  const doc: unknown = r.headers.get('content-type')?.includes('xml') ? xml.parse(text) : undefined;
  /** A value inside the SOAP body, by element path. */
  const body = (...path: string[]) => at(doc, 'Envelope', 'Body', ...path);
  return { status: r.status, text, body };
}

describe('journal entries over SOAP (JournalEntryCreateRequestConfirmation_In)', () => {
  it('posts a balanced entry, confirms it with its document number and log, and keeps it readable over OData', async () => {
    const r = await postSoap(journalEnvelope('MSG-1', '-100.00'));
    expect(r.status).toBe(200);
    const confirmation = (...path: Array<string | number>) => at(r.body('JournalEntryBulkCreateConfirmation', 'JournalEntryCreateConfirmation'), ...path);
    expect(confirmation('MessageHeader', 'ReferenceID')).toBe('MSG-1');
    expect(confirmation('JournalEntryCreateConfirmation')).toEqual({ AccountingDocument: '0100000001', CompanyCode: '1010', FiscalYear: '2026' });
    expect(confirmation('Log', 'MaximumLogItemSeverityCode')).toBe('1');
    expect(confirmation('Log', 'Item', 0, 'Note')).toMatch(/^Document posted successfully/);
    const read = await call(`${sim.url}/sap/opu/odata/sap/API_JOURNALENTRY_SRV/A_JournalEntry('0100000001')?$expand=to_Item`, { headers: { Authorization: BASIC, Accept: 'application/json' } });
    expect(at(read.body, 'd')).toMatchObject({ DocumentReferenceID: 'BATCH-1', AccountingDocumentHeaderText: 'March accrual', TransactionCurrency: 'EUR' });
    expect(at(read.body, 'd', 'to_Item', 'results', 0)).toMatchObject({ GLAccount: '11001000', AmountInTransactionCurrency: '100.00', DebitCreditCode: 'S', CostCenter: '10101101' });

    // The same message id again: the first confirmation, nothing posted twice.
    const again = await postSoap(journalEnvelope('MSG-1', '-100.00'));
    expect(again.body('JournalEntryBulkCreateConfirmation', 'JournalEntryCreateConfirmation', 'JournalEntryCreateConfirmation', 'AccountingDocument')).toBe('0100000001');
    expect(sim.records('A_JournalEntry', 'Q7Z')).toHaveLength(1);
  });

  it('answers business errors with HTTP 200, document 0000000000 and severity-3 log items', async () => {
    const unbalanced = await postSoap(journalEnvelope('MSG-2', '-90.00'));
    expect(unbalanced.status).toBe(200);
    const c = (...path: Array<string | number>) => at(unbalanced.body('JournalEntryBulkCreateConfirmation', 'JournalEntryCreateConfirmation'), ...path);
    expect(c('JournalEntryCreateConfirmation', 'AccountingDocument')).toBe('0000000000');
    expect(c('Log', 'MaximumLogItemSeverityCode')).toBe('3');
    expect((c('Log', 'Item') as Array<{ Note: string }>).map((i) => i.Note)).toContain('Balance in transaction currency: 10.00 EUR');
    const wrongSign = await postSoap(journalEnvelope('MSG-3', '100.00'));
    const notes = (wrongSign.body('JournalEntryBulkCreateConfirmation', 'JournalEntryCreateConfirmation', 'Log', 'Item') as Array<{ Note: string }>).map((i) => i.Note);
    expect(notes[0]).toMatch(/Debit\/credit code 'H' does not match the sign of amount 100.00 \(Item\[2\]\)/);
    expect(sim.records('A_JournalEntry', 'Q7Z')).toHaveLength(0);
  });

  it('faults a request it cannot read, and refuses a wrong logon like the rest of the system', async () => {
    const broken = await postSoap('<soapenv:Envelope><soapenv:Body>');
    expect(broken.status).toBe(500);
    expect(broken.body('Fault', 'faultcode')).toBe('soap-env:Client');
    const wrongOperation = await postSoap(journalEnvelope('MSG-4', '-100.00').replaceAll('JournalEntryBulkCreateRequest', 'JournalEntryCreateRequestX'));
    expect(wrongOperation.body('Fault', 'faultstring')).toMatch(/JournalEntryCreateRequestX' was not expected/);
    expect((await postSoap(journalEnvelope('MSG-5', '-100.00'), undefined, 'application/json')).status).toBe(415);
    const denied = await postSoap(journalEnvelope('MSG-6', '-100.00'), `Basic ${Buffer.from('COMM_USER:wrong').toString('base64')}`);
    expect(denied.status).toBe(401);
  });

  it('injects server faults as SOAP faults and throttling as 429', async () => {
    sim.setFaults({ account: 'Q7Z', errorRate: 1 });
    const failed = await postSoap(journalEnvelope('MSG-7', '-100.00'));
    expect(failed.status).toBe(500);
    expect(failed.body('Fault', 'faultcode')).toBe('soap-env:Server');
    sim.setFaults({ account: 'Q7Z', rate429: 1, retryAfterSeconds: 3 });
    expect((await postSoap(journalEnvelope('MSG-7', '-100.00'))).status).toBe(429);
    sim.clearFaults('Q7Z');
    expect(sim.records('A_JournalEntry', 'Q7Z')).toHaveLength(0);
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
