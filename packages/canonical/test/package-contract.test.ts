import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import jsonata from 'jsonata';
import { compareDecimals, defaultMappings, ERP_IDS, FIELD_PATH_PATTERN, listDefaultMappings, multiplyDecimals, percentOf, roundDecimal, sumDecimals, toDecimalString, type FieldMappings } from '../src/index';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('browser safety', () => {
  it('nothing under src imports Node built-ins or uses Node globals', () => {
    const offenders = sourceFiles(join(import.meta.dirname, '../src')).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /from ['"](node:|fs|path|crypto|os|util|buffer|stream|child_process)['"]/.test(text) || /\b(process|Buffer|__dirname|require)\b[.(]/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});

describe('default mappings', () => {
  it('cover the required objects for every ERP', () => {
    const ids = Object.keys(defaultMappings);
    for (const erp of ERP_IDS) {
      for (const object of ['invoice', 'salesOrder', 'customer', 'journalEntry']) expect(ids).toContain(`${erp}.${object}.toErp`);
      for (const object of ['customer', 'invoice']) expect(ids).toContain(`${erp}.${object}.fromErp`);
    }
    expect(ids).toContain('netsuite.vendorBill.toErp');
    expect(listDefaultMappings({ erp: 'sap' }).every((m) => m.erp === 'sap')).toBe(true);
  });

  it('use valid field paths and expressions that parse', () => {
    const check = (fields: FieldMappings, where: string) => {
      for (const [key, mapping] of Object.entries(fields)) {
        expect(FIELD_PATH_PATTERN.test(key), `${where}: ${key}`).toBe(true);
        if (typeof mapping === 'string') expect(() => jsonata(mapping), `${where}: ${key}`).not.toThrow();
        else {
          expect(() => jsonata(mapping.each), `${where}: ${key}`).not.toThrow();
          check(mapping.fields, `${where} ${key}[]`);
        }
      }
    };
    for (const mapping of Object.values(defaultMappings)) check(mapping.fields, mapping.id);
  });
});

describe('decimal helpers', () => {
  it('add, multiply, round and compare exactly', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.30');
    expect(sumDecimals(['1.005', '-0.005'], 0)).toBe('1.000');
    expect(multiplyDecimals('6.5', '120.00')).toBe('780.000');
    expect(roundDecimal('2.345', 2)).toBe('2.35');
    expect(roundDecimal('-2.345', 2)).toBe('-2.35');
    expect(roundDecimal('0.004', 2)).toBe('0.00');
    expect(roundDecimal('7', 2)).toBe('7.00');
    expect(percentOf('294.975', '100', 2)).toBe('294.98');
    expect(percentOf('3420.00', '8.625', 2)).toBe('294.98');
    expect(compareDecimals('10.50', '10.5')).toBe(0);
    expect(compareDecimals('-1', '0.01')).toBe(-1);
  });

  it('turn ERP numbers into canonical decimal strings', () => {
    expect(toDecimalString(0.1 + 0.2)).toBe('0.3');
    expect(toDecimalString(9000)).toBe('9000');
    expect(toDecimalString(-0)).toBe('0');
    expect(toDecimalString('12.50')).toBe('12.50');
    expect(toDecimalString(' 3 ')).toBe('3');
    expect(toDecimalString('abc')).toBeUndefined();
    expect(toDecimalString(Number.NaN)).toBeUndefined();
  });
});
