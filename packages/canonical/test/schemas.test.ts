import { describe, expect, it } from 'vitest';
import {
  CANONICAL_NAMES,
  canonicalSamples,
  canonicalVersions,
  listCanonicalSchemas,
  sampleCustomer,
  sampleInvoice,
  sampleInvoiceV1,
  sampleJournalEntry,
  samplePayment,
  sampleProduct,
  sampleSalesOrder,
  sampleSupplier,
  sampleVendorBill,
  validateCanonical,
  type FieldError,
} from '../src/index';

function errorsOf(name: string, version: number, payload: unknown): FieldError[] {
  const result = validateCanonical(name, version, payload);
  if (result.ok) throw new Error(`expected ${name} v${version} to be rejected`);
  return result.errors;
}

function errorAt(errors: FieldError[], path: string): string {
  const found = errors.find((e) => e.path === path);
  if (found === undefined) throw new Error(`no error at ${path}; got ${JSON.stringify(errors)}`);
  return found.message;
}

describe('canonical schemas accept their samples', () => {
  const samples = canonicalSamples() as Record<string, Record<number, unknown>>;
  for (const name of CANONICAL_NAMES) {
    for (const version of canonicalVersions(name)) {
      it(`${name} v${version}`, () => {
        const result = validateCanonical(name, version, samples[name]?.[version]);
        expect(result).toEqual({ ok: true, value: samples[name]?.[version] });
      });
    }
  }

  it('lists every object with its latest version', () => {
    const list = listCanonicalSchemas();
    expect(list.map((s) => `${s.name}@${s.version}`)).toEqual([
      'customer@1',
      'product@1',
      'salesOrder@1',
      'invoice@1',
      'invoice@2',
      'payment@1',
      'supplier@1',
      'vendorBill@1',
      'journalEntry@1',
    ]);
    expect(list.find((s) => s.name === 'invoice' && s.version === 2)).toMatchObject({ latest: true, title: 'Invoice v2' });
    expect(list.find((s) => s.name === 'invoice' && s.version === 1)?.latest).toBe(false);
  });
});

describe('canonical schemas reject bad payloads, naming each field', () => {
  it('customer: missing name, bad e-mail, bad country, unknown key, individual without last name', () => {
    const { name: _name, ...customer } = sampleCustomer();
    const errors = errorsOf('customer', 1, {
      ...customer,
      kind: 'individual',
      email: 'not-an-email',
      billingAddress: { ...customer.billingAddress, country: 'USA' },
      nickname: 'NW',
    });
    expect(errorAt(errors, 'name')).toBe('is required');
    expect(errorAt(errors, 'email')).toBe('must be an e-mail address');
    expect(errorAt(errors, 'billingAddress.country')).toMatch(/ISO 3166-1 alpha-2/);
    expect(errorAt(errors, 'nickname')).toBe('is not a field of this object');
  });

  it('customer: an individual needs a last name (cross-field rule)', () => {
    const errors = errorsOf('customer', 1, { ...sampleCustomer(), kind: 'individual', firstName: 'Ada' });
    expect(errorAt(errors, 'lastName')).toBe('is required when kind is "individual"');
  });

  it('product: duplicate price currency and a bad GTIN', () => {
    const product = sampleProduct();
    const errors = errorsOf('product', 1, { ...product, gtin: '12345', prices: [...(product.prices ?? []), { currency: 'USD', unitPrice: '1.00' }] });
    expect(errorAt(errors, 'gtin')).toMatch(/GTIN/);
    const duplicate = errorsOf('product', 1, { ...product, prices: [...(product.prices ?? []), { currency: 'USD', unitPrice: '1.00' }] });
    expect(errorAt(duplicate, 'prices[2].currency')).toBe('repeats currency USD');
  });

  it('sales order: amounts as numbers, unknown currency, empty lines', () => {
    const order = sampleSalesOrder();
    const errors = errorsOf('salesOrder', 1, { ...order, currency: 'XYZ', total: 10496.25, lines: [] });
    expect(errorAt(errors, 'currency')).toMatch(/ISO 4217/);
    expect(errorAt(errors, 'total')).toBe('must be a decimal string such as "1234.50", not a number');
    expect(errorAt(errors, 'lines')).toBe('must have at least one line');
  });

  it('sales order: line arithmetic, totals and delivery date are checked', () => {
    const order = sampleSalesOrder();
    order.lines[1] = { ...order.lines[1]!, amount: '780.00' };
    order.requestedDeliveryDate = '2026-02-01';
    const errors = errorsOf('salesOrder', 1, order);
    expect(errorAt(errors, 'lines[1].amount')).toBe('must equal quantity × unit price − discount (6.5 × 120.00 − 60.00 = 720.00), got 780.00');
    expect(errorAt(errors, 'subtotal')).toBe('must equal the sum of line amounts (9780.00), got 9720.00');
    expect(errorAt(errors, 'requestedDeliveryDate')).toBe('must not be before orderDate');
  });

  it('invoice v1: bad line fields carry their index, total must add up', () => {
    const invoice = sampleInvoiceV1();
    const errors = errorsOf('invoice', 1, {
      ...invoice,
      lines: [{ ...invoice.lines[0], quantity: '-2', sku: '' }, invoice.lines[1]],
    });
    expect(errorAt(errors, 'lines[0].quantity')).toMatch(/non-negative decimal/);
    expect(errorAt(errors, 'lines[0].sku')).toBe('must not be empty');
    const totals = errorsOf('invoice', 1, { ...invoice, total: '10000.00' });
    expect(errorAt(totals, 'total')).toBe('must equal subtotal + taxAmount (10496.25), got 10000.00');
  });

  it('invoice v2: tax lines must add up to taxTotal and respect the currency minor unit', () => {
    const invoice = sampleInvoice();
    invoice.lines[0]!.taxes[0]!.amount = '776.255';
    const errors = errorsOf('invoice', 2, invoice);
    expect(errorAt(errors, 'lines[0].taxes[0].amount')).toBe('has more than 2 decimal places, the minor unit of USD');
    expect(errorAt(errors, 'taxTotal')).toBe('must equal the sum of line taxes (776.255), got 776.25');
  });

  it('invoice v2 rejects the v1 shape, naming what moved', () => {
    const errors = errorsOf('invoice', 2, sampleInvoiceV1());
    expect(errorAt(errors, 'taxAmount')).toBe('is not a field of this object');
    expect(errorAt(errors, 'taxTotal')).toBe('is required');
    expect(errorAt(errors, 'lines[0].taxes')).toBe('is required');
  });

  it('invoice: due date before issue date; customer without any identifier', () => {
    const errors = errorsOf('invoice', 2, { ...sampleInvoice(), dueDate: '2026-03-01' });
    expect(errorAt(errors, 'dueDate')).toBe('must not be before issueDate');
    const anonymous = errorsOf('invoice', 2, { ...sampleInvoice(), customer: { name: 'Somebody' } });
    expect(errorAt(anonymous, 'customer')).toBe('must identify the party by id, number or externalIds');
  });

  it('journal entry: unbalanced, a line with both sides, too few lines', () => {
    const entry = sampleJournalEntry();
    entry.lines[1] = { ...entry.lines[1]!, credit: '8999.99' };
    entry.lines[3] = { ...entry.lines[3]!, debit: '1.00' };
    const errors = errorsOf('journalEntry', 1, entry);
    expect(errorAt(errors, 'lines[3]')).toBe('must have either a debit or a credit greater than 0, not both or neither');
    const unbalanced = sampleJournalEntry();
    unbalanced.lines[1] = { ...unbalanced.lines[1]!, credit: '8999.99' };
    expect(errorAt(errorsOf('journalEntry', 1, unbalanced), 'lines')).toBe('are not balanced: debits 10496.25, credits 10496.24');
    expect(errorAt(errorsOf('journalEntry', 1, { ...entry, lines: [entry.lines[0]] }), 'lines')).toBe('must have at least two lines');
  });

  it('payment: over-application and a zero amount', () => {
    const payment = samplePayment();
    const errors = errorsOf('payment', 1, { ...payment, applications: [...payment.applications, { invoiceNumber: 'INV-2', amount: '10.00' }] });
    expect(errorAt(errors, 'applications')).toBe('apply 10506.25 in total, more than the payment amount 10496.25');
    expect(errorAt(errorsOf('payment', 1, { ...payment, amount: '0.00' }), 'amount')).toBe('must be greater than 0');
  });

  it('supplier: IBAN check digits and bank account completeness', () => {
    const supplier = sampleSupplier();
    const errors = errorsOf('supplier', 1, { ...supplier, bankAccount: { ...supplier.bankAccount, iban: 'DE89370400440532013001' } });
    expect(errorAt(errors, 'bankAccount.iban')).toBe('has wrong check digits');
    const noAccount = errorsOf('supplier', 1, { ...supplier, bankAccount: { accountHolder: 'Contoso' } });
    expect(errorAt(noAccount, 'bankAccount')).toBe('must have an iban or an accountNumber');
  });

  it('vendor bill: an expense line needs an account, JPY amounts have no decimals', () => {
    const bill = sampleVendorBill();
    const { account: _account, ...freight } = bill.lines[1]!;
    const errors = errorsOf('vendorBill', 1, { ...bill, lines: [bill.lines[0], freight] });
    expect(errorAt(errors, 'lines[1]')).toBe('must have a sku (item line) or an account (expense line)');
    const yen = errorsOf('vendorBill', 1, { ...bill, currency: 'JPY' });
    expect(errorAt(yen, 'lines[0].amount')).toBe('has more than 0 decimal places, the minor unit of JPY');
  });

  it('reports a non-object payload and unknown names or versions without throwing', () => {
    expect(errorsOf('invoice', 2, 'hello')).toEqual([{ path: '', message: 'must be an object, received a string' }]);
    expect(errorsOf('creditNote', 1, {})[0]?.message).toMatch(/^unknown canonical object "creditNote"; known: customer, product/);
    expect(errorsOf('invoice', 3, {})).toEqual([{ path: '', message: 'invoice has no version 3; versions: 1, 2' }]);
  });
});
