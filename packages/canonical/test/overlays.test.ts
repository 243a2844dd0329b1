import { describe, expect, it } from 'vitest';
import { applyMapping, findDefaultMapping, MAX_REPORTED_MAPPING_ERRORS, previewMapping, sampleInvoice, sampleJournalEntry, sampleOverlay, type TenantMappingOverlay } from '../src/index';
import { mapErrors, mapOk } from './helpers';

const invoiceRequest = { erp: 'netsuite', object: 'invoice', direction: 'toErp' } as const;

function overlayWith(changes: Partial<TenantMappingOverlay>): TenantMappingOverlay {
  const base = sampleOverlay('netsuite');
  return { fieldOverrides: { ...base.fieldOverrides, ...changes.fieldOverrides }, lookups: { ...base.lookups, ...changes.lookups } };
}

describe('lookup tables', () => {
  it('translate tenant codes into ERP codes, per tenant', async () => {
    const a = await mapOk({ ...invoiceRequest, canonical: sampleInvoice() });
    const b = await mapOk({ ...invoiceRequest, canonical: sampleInvoice(), overlay: overlayWith({ lookups: { subsidiaries: { US01: '17' }, taxCodes: { 'US-CA': '9001', EXEMPT: '9002' } } }) });
    expect(a).toMatchObject({ subsidiary: { id: '1' }, taxDetails: { items: [{ taxCode: { id: '1042' } }, { taxCode: { id: '-7' } }] } });
    expect(b).toMatchObject({ subsidiary: { id: '17' }, taxDetails: { items: [{ taxCode: { id: '9001' } }, { taxCode: { id: '9002' } }] } });
  });

  it('a table the tenant has not filled in passes codes through', async () => {
    const payload = await mapOk({ ...invoiceRequest, canonical: sampleInvoice(), overlay: { fieldOverrides: {}, lookups: {} } });
    expect(payload).toMatchObject({ subsidiary: { id: 'US01' }, currency: { id: 'USD' }, terms: { id: 'NET30' } });
  });

  it('a code missing from a filled-in table is an error naming the table, the code, the mapping and the field', async () => {
    const invoice = sampleInvoice();
    invoice.lines[1]!.taxes[0]!.taxCode = 'US-TX';
    const errors = await mapErrors({ ...invoiceRequest, canonical: invoice, overlay: sampleOverlay('netsuite') });
    expect(errors).toEqual([
      { mapping: 'netsuite.invoice.toErp', field: 'taxDetails.items', stage: 'mapping', origin: 'default', message: 'lookup table "taxCodes" has no entry for code "US-TX"' },
    ]);
  });

  it('names the line when the lookup fails inside a per-line block', async () => {
    const invoice = sampleInvoice();
    invoice.lines[1]!.account = '4999';
    const errors = await mapErrors({ ...invoiceRequest, canonical: invoice, overlay: sampleOverlay('netsuite') });
    expect(errors).toEqual([
      { mapping: 'netsuite.invoice.toErp', field: 'item.items[1].account.id', stage: 'mapping', origin: 'default', message: 'lookup table "accounts" has no entry for code "4999"' },
    ]);
  });

  it('an unknown table is named with the valid ones; JSONata\'s own $lookup(object, key) still works', async () => {
    const errors = await mapErrors({ ...invoiceRequest, canonical: sampleInvoice(), overlay: overlayWith({ fieldOverrides: { memo: "$lookup('regions', 'CA')" } }) });
    expect(errors[0]).toMatchObject({ field: 'memo', origin: 'override', message: '$lookup: unknown lookup table "regions"; tables are accounts, taxCodes, subsidiaries, companyCodes, currencies, paymentTerms' });
    const payload = await mapOk({ ...invoiceRequest, canonical: sampleInvoice(), overlay: overlayWith({ fieldOverrides: { memo: "$lookup(billingAddress, 'city')" } }) });
    expect(payload).toMatchObject({ memo: 'San Francisco' });
  });
});

describe('field overrides', () => {
  it('replace one field and leave the rest of the default mapping alone', async () => {
    const payload = await mapOk({ ...invoiceRequest, canonical: sampleInvoice(), overlay: overlayWith({ fieldOverrides: { memo: "'Invoice ' & number & ' for ' & customer.name" } }) });
    expect(payload).toMatchObject({ memo: 'Invoice INV-2026-000123 for Northwind Robotics', tranId: 'INV-2026-000123', subsidiary: { id: '1' } });
  });

  it('add custom fields, replace a subtree, reach into lines and remove fields', async () => {
    const overlay = overlayWith({
      fieldOverrides: {
        custbody_region: "billingAddress.region = 'CA' ? 'WEST' : 'OTHER'",
        entity: '{"id": "1234"}',
        'item.items[].rate': '$number(unitPrice) * 0.9',
        'item.items[].custcol_line_ref': "$root.number & '/' & lineNumber",
        otherRefNum: '',
      },
    });
    const payload = await mapOk({ ...invoiceRequest, canonical: sampleInvoice(), overlay });
    expect(payload).toMatchObject({ custbody_region: 'WEST', entity: { id: '1234' } });
    expect(payload).not.toHaveProperty('otherRefNum');
    expect((payload as { entity: object }).entity).toEqual({ id: '1234' });
    expect((payload as { item: { items: unknown[] } }).item.items).toMatchObject([
      { rate: 4050, custcol_line_ref: 'INV-2026-000123/1' },
      { rate: 108, custcol_line_ref: 'INV-2026-000123/2' },
    ]);
  });

  it('an expression that does not parse names the mapping and the field, before anything runs', async () => {
    const errors = await mapErrors({ ...invoiceRequest, canonical: sampleInvoice(), overlay: overlayWith({ fieldOverrides: { 'item.items[].rate': '$number(unitPrice * ', memo: 'number' } }) });
    expect(errors).toEqual([
      {
        mapping: 'netsuite.invoice.toErp',
        field: 'item.items[].rate',
        stage: 'mapping',
        origin: 'override',
        message: expect.stringMatching(/^does not parse: .+ at position \d+/) as unknown as string,
      },
    ]);
  });

  it('an expression that fails at run time names the field and the line', async () => {
    const errors = await mapErrors({ ...invoiceRequest, canonical: sampleInvoice(), overlay: overlayWith({ fieldOverrides: { 'item.items[].rate': "unitPrice + 'x'" } }) });
    expect(errors.map((e) => [e.field, e.origin])).toEqual([
      ['item.items[0].rate', 'override'],
      ['item.items[1].rate', 'override'],
    ]);
    expect(errors[0]?.message).toMatch(/\[T2001\]/);
  });

  it('paths into blocks that do not exist, and malformed paths, are overlay errors', async () => {
    const errors = await mapErrors({ ...invoiceRequest, canonical: sampleInvoice(), overlay: { fieldOverrides: { 'memo[].x': "'y'", 'bad path': "'z'" }, lookups: {} } });
    expect(errors).toEqual([
      { mapping: 'netsuite.invoice.toErp', field: 'fieldOverrides["bad path"]', stage: 'overlay', message: 'must be a field path such as "memo", "subsidiary.id" or "item.items[].rate"' },
    ]);
    const blockErrors = await mapErrors({ ...invoiceRequest, canonical: sampleInvoice(), overlay: { fieldOverrides: { 'memo[].x': "'y'" }, lookups: {} } });
    expect(blockErrors).toEqual([
      { mapping: 'netsuite.invoice.toErp', field: 'memo[].x', stage: 'overlay', message: '"memo" is not a per-line block of this mapping, so "memo[]" cannot be addressed' },
    ]);
  });

  it('a malformed overlay is reported field by field', async () => {
    const errors = await mapErrors({ ...invoiceRequest, canonical: sampleInvoice(), overlay: { fieldOverrides: { memo: 42 }, lookups: { chartOfAccounts: {} } } });
    expect(errors).toEqual([
      { mapping: 'netsuite.invoice.toErp', field: 'fieldOverrides.memo', stage: 'overlay', message: 'must be a string, received a number' },
      { mapping: 'netsuite.invoice.toErp', field: 'lookups.chartOfAccounts', stage: 'overlay', message: 'is not a field of this object' },
    ]);
  });
});

describe('time budget', () => {
  it('stops a runaway (tail-recursive, endless) expression and names mapping and field', async () => {
    const started = Date.now();
    const errors = await mapErrors({
      ...invoiceRequest,
      canonical: sampleInvoice(),
      timeoutMs: 100,
      overlay: overlayWith({ fieldOverrides: { memo: '($loop := function($n) { $loop($n + 1) }; $loop(0))' } }),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(errors).toEqual([
      {
        mapping: 'netsuite.invoice.toErp',
        field: 'memo',
        stage: 'mapping',
        origin: 'override',
        message: expect.stringMatching(/^ran longer than its 100 ms budget and was stopped/) as unknown as string,
      },
    ]);
  });

  it('stops unbounded recursion by depth', async () => {
    const errors = await mapErrors({
      ...invoiceRequest,
      canonical: sampleInvoice(),
      overlay: overlayWith({ fieldOverrides: { memo: '($f := function($n) { 1 + $f($n + 1) }; $f(0))' } }),
    });
    expect(errors[0]).toMatchObject({ field: 'memo', message: expect.stringMatching(/exceeded the evaluation depth limit of 2000/) as unknown as string });
  });

  it('the mapping as a whole stops once its budget is spent, naming the first field it did not reach', async () => {
    const mapping = findDefaultMapping('netsuite', 'journalEntry', 'toErp');
    if (mapping === undefined) throw new Error('mapping missing');
    let clock = 0;
    // Every evaluation "takes" 30 ms on this clock; the budget is 100 ms.
    const result = await applyMapping(mapping, sampleJournalEntry(), { timeoutMs: 100, now: () => (clock += 30) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ mapping: 'netsuite.journalEntry.toErp', stage: 'mapping', message: 'not evaluated: the mapping spent its 100 ms budget before reaching this field' });
  });

  it('stops collecting after 100 errors instead of reporting one per line of a huge document', async () => {
    const mapping = findDefaultMapping('netsuite', 'invoice', 'toErp');
    if (mapping === undefined) throw new Error('mapping missing');
    const lines = Array.from({ length: 500 }, (_, i) => ({ lineNumber: i + 1, sku: 'X', quantity: '1', unitPrice: '1.00', amount: '1.00', taxes: [] }));
    const result = await applyMapping(mapping, { ...sampleInvoice(), lines }, { overlay: { fieldOverrides: { 'item.items[].rate': "$error('bad rate')" }, lookups: {} } });
    if (result.ok) throw new Error('expected errors');
    expect(result.errors).toHaveLength(MAX_REPORTED_MAPPING_ERRORS + 1);
    expect(result.errors[99]).toMatchObject({ field: 'item.items[99].rate', message: 'bad rate' });
    expect(result.errors[100]).toMatchObject({ field: '', message: 'stopped after 100 errors; fix these and preview again' });
  });

  it('rejects budgets outside 1..10000 ms', async () => {
    const result = await previewMapping({ ...invoiceRequest, canonical: sampleInvoice(), timeoutMs: 0 });
    expect(result).toEqual({ ok: false, errors: [{ mapping: 'netsuite.invoice.toErp', field: 'timeoutMs', stage: 'request', message: 'must be a whole number of milliseconds between 1 and 10000' }] });
  });
});

describe('previewMapping pipeline', () => {
  it('validates the canonical input first and reports every failing field, without mapping', async () => {
    const invoice = { ...sampleInvoice(), currency: 'usd', lines: [{ ...sampleInvoice().lines[0], quantity: 2 }] };
    const errors = await mapErrors({ ...invoiceRequest, canonical: invoice });
    expect(errors).toEqual([
      { mapping: 'netsuite.invoice.toErp', field: 'currency', stage: 'input', message: 'must be an ISO 4217 currency code in circulation, such as "USD" or "EUR"' },
      { mapping: 'netsuite.invoice.toErp', field: 'lines[0].quantity', stage: 'input', message: 'must be a decimal string such as "1234.50", not a number' },
    ]);
  });

  it('validates what an ERP → canonical mapping produces, naming the canonical fields', async () => {
    const errors = await mapErrors({ erp: 'netsuite', object: 'customer', direction: 'fromErp', erpPayload: { id: '77', companyName: 'No Address Co', email: 'nope' } });
    expect(errors).toEqual([{ mapping: 'netsuite.customer.fromErp', field: 'email', stage: 'output', message: 'must be an e-mail address' }]);
    // Without a currencies table NetSuite's internal id comes through unchanged, and is caught.
    const currency = await mapErrors({ erp: 'netsuite', object: 'customer', direction: 'fromErp', erpPayload: { id: '77', companyName: 'X', currency: { id: '1' } } });
    expect(currency).toEqual([{ mapping: 'netsuite.customer.fromErp', field: 'currency', stage: 'output', message: 'must be an ISO 4217 currency code in circulation, such as "USD" or "EUR"' }]);
  });

  it('unknown mappings and non-object ERP payloads are request errors, not crashes', async () => {
    const unknown = await mapErrors({ erp: 'netsuite', object: 'payment', direction: 'toErp', canonical: {} });
    expect(unknown[0]).toMatchObject({ mapping: 'netsuite.payment.toErp', stage: 'request', message: expect.stringMatching(/^there is no default mapping netsuite.payment.toErp; related: netsuite.customer.toErp/) as unknown as string });
    const notObject = await mapErrors({ erp: 'sap', object: 'invoice', direction: 'fromErp', erpPayload: 'text' });
    expect(notObject).toEqual([{ mapping: 'sap.invoice.fromErp', field: '', stage: 'input', message: 'the ERP payload must be a JSON object' }]);
  });
});
