import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  allCanonicalJsonSchemas,
  canonicalJsonSchema,
  canonicalSamples,
  CURRENCY_CODES,
  migrateCanonical,
  sampleInvoice,
  sampleInvoiceV1,
  sumDecimals,
  type InvoiceV2,
} from '../src/index';

describe('migrateCanonical', () => {
  it('moves invoice tax from the header to the lines, keeping the total exact', () => {
    const v1 = sampleInvoiceV1();
    const result = migrateCanonical('invoice', v1, 1, 2);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const v2 = result.value as InvoiceV2;
    expect(v2).not.toHaveProperty('taxAmount');
    expect(v2.taxTotal).toBe('776.25');
    // 776.25 spread over 9000.00 and 720.00 in proportion, remainder on the larger line.
    expect(v2.lines.map((l) => l.taxes)).toEqual([
      [{ taxCode: 'US-CA', taxableAmount: '9000.00', amount: '718.75' }],
      [{ taxCode: 'EXEMPT', taxableAmount: '720.00', amount: '57.50' }],
    ]);
    expect(sumDecimals(v2.lines.flatMap((l) => l.taxes.map((t) => t.amount)))).toBe('776.25');
    expect(v2.lines[0]).not.toHaveProperty('taxCode');
  });

  it('puts the rounding remainder on the largest line so that cents are never lost', () => {
    const v1 = sampleInvoiceV1();
    v1.lines = [
      { lineNumber: 1, sku: 'A', quantity: '1', unitPrice: '1.00', amount: '1.00', taxCode: 'T' },
      { lineNumber: 2, sku: 'B', quantity: '1', unitPrice: '1.00', amount: '1.00', taxCode: 'T' },
      { lineNumber: 3, sku: 'C', quantity: '1', unitPrice: '1.00', amount: '1.00', taxCode: 'T' },
    ];
    Object.assign(v1, { subtotal: '3.00', taxAmount: '0.10', total: '3.10' });
    const result = migrateCanonical('invoice', v1, 1, 2);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const amounts = (result.value as InvoiceV2).lines.map((l) => l.taxes[0]?.amount);
    expect(amounts).toEqual(['0.04', '0.03', '0.03']);
  });

  it('lines without a tax code get an empty breakdown; tax with no taxed line is refused', () => {
    const v1 = sampleInvoiceV1();
    v1.lines = v1.lines.map(({ taxCode: _t, ...line }) => line);
    const result = migrateCanonical('invoice', v1, 1, 2);
    expect(result).toEqual({ ok: false, errors: [{ path: 'taxAmount', message: 'cannot be spread over the lines: 776.25 of tax but no line has a taxCode' }] });
    const untaxed = migrateCanonical('invoice', { ...v1, taxAmount: '0.00', total: '9720.00' }, 1, 2);
    if (!untaxed.ok) throw new Error(JSON.stringify(untaxed.errors));
    expect((untaxed.value as InvoiceV2).lines.every((l) => l.taxes.length === 0)).toBe(true);
  });

  it('validates the input at the source version first, with field paths', () => {
    const result = migrateCanonical('invoice', { ...sampleInvoiceV1(), issueDate: '17/03/2026' }, 1, 2);
    expect(result).toEqual({ ok: false, errors: [{ path: 'issueDate', message: 'must be an ISO 8601 date (YYYY-MM-DD)' }] });
  });

  it('same version validates only; downgrades and unknown versions are refused', () => {
    expect(migrateCanonical('invoice', sampleInvoice(), 2, 2)).toEqual({ ok: true, value: sampleInvoice() });
    expect(migrateCanonical('invoice', sampleInvoice(), 2, 1)).toEqual({
      ok: false,
      errors: [{ path: '', message: 'invoice cannot be migrated down from v2 to v1; downgrades lose data and are not offered' }],
    });
    expect(migrateCanonical('invoice', sampleInvoiceV1(), 1, 7)).toEqual({ ok: false, errors: [{ path: '', message: 'invoice has no version 7; versions: 1, 2' }] });
  });
});

describe('JSON Schema export', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const samples = canonicalSamples() as Record<string, Record<number, unknown>>;

  it('exports every object and version as draft 2020-12 that accepts the sample and rejects a broken one', () => {
    const all = allCanonicalJsonSchemas();
    expect(all.map((s) => `${s.name}@${s.version}`)).toHaveLength(9);
    for (const { name, version, schema } of all) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`urn:switchyard:canonical:${name}:v${version}`);
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      const validate = ajv.compile(schema);
      expect(validate(samples[name]?.[version]), `${name}@${version}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate({ ...(samples[name]?.[version] as object), id: 42 })).toBe(false);
    }
  });

  it('carries enums, patterns, required fields and descriptions the designer can show', () => {
    const schema = canonicalJsonSchema('invoice', 2) as {
      required: string[];
      properties: Record<string, { enum?: string[]; pattern?: string; description?: string; items?: { required?: string[] } }>;
    };
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'number', 'customer', 'issueDate', 'dueDate', 'currency', 'lines', 'taxTotal', 'total']));
    expect(schema.properties.currency?.enum).toEqual([...CURRENCY_CODES]);
    expect(schema.properties.total?.pattern).toBeDefined();
    expect(schema.properties.number?.description).toMatch(/idempotency key/);
    expect(schema.properties.lines?.items?.required).toEqual(expect.arrayContaining(['taxes', 'amount', 'sku']));
    expect(canonicalJsonSchema('invoice')).toEqual(schema);
  });

  it('says which rules it cannot express', () => {
    expect(String(canonicalJsonSchema('journalEntry').description)).toMatch(/cross-field rules are checked by Switchyard/);
    expect(() => canonicalJsonSchema('customer', 2)).toThrow('customer has no version 2; versions: 1');
  });
});
