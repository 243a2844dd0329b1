import { NodeExecutionError } from '@switchyard/workflow';
import { describe, expect, it } from 'vitest';
import {
  generateInvoices,
  runValidateCanonical,
  sampleInvoice,
  sampleInvoiceV1,
  validateCanonical,
  ValidateCanonicalConfigSchema,
  validateCanonicalNodeKind,
} from '../src/index';

describe('generateInvoices', () => {
  it('is deterministic per seed and every invoice validates', () => {
    const first = generateInvoices(250, { seed: 42 });
    expect(generateInvoices(250, { seed: 42 })).toEqual(first);
    expect(generateInvoices(5, { seed: 43 })).not.toEqual(first.slice(0, 5));
    for (const invoice of first) expect(validateCanonical('invoice', 2, invoice)).toMatchObject({ ok: true });
    expect(new Set(first.map((i) => i.number)).size).toBe(250);
    expect(first[0]).toMatchObject({ id: 'INV-GEN-000001', number: 'INV-GEN-000001', currency: 'USD', status: 'open' });
  });

  it('produces v1 invoices and zero-decimal currencies that validate too', () => {
    const invoices = generateInvoices(100, { version: 1, currency: 'JPY', seed: 7, prefix: 'JP' });
    for (const invoice of invoices) expect(validateCanonical('invoice', 1, invoice)).toMatchObject({ ok: true });
    expect(invoices.every((i) => !i.total.includes('.'))).toBe(true);
    expect(invoices[0]?.number).toBe('JP-000001');
  });

  it('refuses nonsense counts and currencies', () => {
    expect(() => generateInvoices(-1)).toThrow('count must be a whole number from 0 to 1000000, got -1');
    expect(() => generateInvoices(1, { currency: 'XXX' })).toThrow('unknown currency XXX');
    expect(generateInvoices(0)).toEqual([]);
  });
});

describe('canonical.validate node', () => {
  it('declares its config schema and ports for the designer', () => {
    expect(validateCanonicalNodeKind.kind).toBe('canonical.validate');
    expect(ValidateCanonicalConfigSchema.parse({ object: 'invoice', version: 1 })).toEqual({ object: 'invoice', version: 1, migrateToLatest: false, onInvalid: 'route' });
    const outputs = validateCanonicalNodeKind.outputs as (c: { onInvalid: string }) => string[];
    expect(outputs({ onInvalid: 'route' })).toEqual(['out', 'invalid']);
    expect(outputs({ onInvalid: 'fail' })).toEqual(['out']);
    const bad = ValidateCanonicalConfigSchema.safeParse({ object: 'customer', version: 2 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['version'], message: 'must be one of 1 for customer' });
  });

  it('passes valid input on, migrating when asked', () => {
    expect(runValidateCanonical({ object: 'invoice', version: 2, migrateToLatest: false, onInvalid: 'route' }, sampleInvoice())).toEqual({ output: sampleInvoice(), port: 'out' });
    const migrated = runValidateCanonical({ object: 'invoice', version: 1, migrateToLatest: true, onInvalid: 'route' }, sampleInvoiceV1());
    expect(migrated.port).toBe('out');
    expect(migrated.output).toMatchObject({ taxTotal: '776.25' });
  });

  it('routes invalid input to the invalid port with field errors, or fails permanently', () => {
    const input = { ...sampleInvoice(), dueDate: 'soon', currency: 'EURO' };
    expect(runValidateCanonical({ object: 'invoice', version: 2, migrateToLatest: false, onInvalid: 'route' }, input)).toEqual({
      port: 'invalid',
      output: {
        object: 'invoice',
        version: 2,
        errors: [
          { path: 'dueDate', message: 'must be an ISO 8601 date (YYYY-MM-DD)' },
          { path: 'currency', message: 'must be an ISO 4217 currency code in circulation, such as "USD" or "EUR"' },
        ],
      },
    });
    let thrown: unknown;
    try {
      runValidateCanonical({ object: 'invoice', version: 2, migrateToLatest: false, onInvalid: 'fail' }, input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(NodeExecutionError);
    expect(thrown).toMatchObject({ code: 'validation_failed', retryable: false, status: 400 });
    expect((thrown as Error).message).toBe('invoice v2 is invalid: dueDate must be an ISO 8601 date (YYYY-MM-DD); currency must be an ISO 4217 currency code in circulation, such as "USD" or "EUR"');
  });
});
