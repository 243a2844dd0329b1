import { sumDecimals, toDecimalString } from '../decimal';
import { LOOKUP_TABLES, type LookupTable, type TenantMappingOverlay } from './types';

/**
 * Functions mapping expressions can call besides JSONata's own. They are plain functions bound per
 * evaluation (not registered on the compiled expression) because the lookup tables differ per tenant
 * while compiled expressions are shared through a cache.
 *
 * - `$lookup(table, code)`: tenant code → ERP code (see TenantMappingOverlay for the rules).
 * - `$reverseLookup(table, erpCode)`: ERP code → tenant code, for ERP → canonical mappings.
 * - `$present(value)`: the value, or nothing for null, "" and blanks (ERPs send "" for empty fields).
 * - `$sumDecimals(values)`: exact sum of decimal strings or numbers, as a decimal string.
 * - `$decimal(value)`: an ERP number or numeric string as a canonical decimal string.
 * - `$odataDate(date)` / `$fromOdataDate(text)`: ISO date ↔ OData v2 `/Date(ms)/` (SAP).
 * - `$odataResults(nav)`: the list of an OData v2 navigation property (`{ results: [...] }` or `[...]`).
 */

/** Thrown by the functions above; the evaluator reports its message against the field. */
export class MappingFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingFunctionError';
  }
}

type Code = string | number | boolean | null | undefined;

function eachCode<T>(code: unknown, fn: (code: string) => T): T | T[] | undefined {
  if (code === undefined || code === null) return undefined;
  if (Array.isArray(code)) return code.map((c: unknown) => fn(String(c as Code)));
  if (typeof code === 'object') throw new MappingFunctionError(`expects a code (string), got an object`);
  return fn(String(code as Code));
}

function isLookupTable(name: unknown): name is LookupTable {
  return typeof name === 'string' && (LOOKUP_TABLES as readonly string[]).includes(name);
}

function tableOf(overlay: Pick<TenantMappingOverlay, 'lookups'>, table: unknown, fn: string): Record<string, string> | undefined {
  if (!isLookupTable(table)) {
    throw new MappingFunctionError(`${fn}: unknown lookup table ${JSON.stringify(table)}; tables are ${LOOKUP_TABLES.join(', ')}`);
  }
  const entries = overlay.lookups[table];
  return entries !== undefined && Object.keys(entries).length > 0 ? entries : undefined;
}

/** JSONata's built-in `$lookup(object, key)`, which the tenant `$lookup` shadows, stays available. */
function builtinLookup(object: unknown, key: unknown): unknown {
  if (Array.isArray(object)) return object.map((o) => builtinLookup(o, key)).filter((v) => v !== undefined);
  if (object !== null && typeof object === 'object' && typeof key === 'string' && Object.prototype.hasOwnProperty.call(object, key)) {
    return (object as Record<string, unknown>)[key];
  }
  return undefined;
}

export function createMappingFunctions(overlay: Pick<TenantMappingOverlay, 'lookups'>): Record<string, (...args: unknown[]) => unknown> {
  return {
    lookup(table: unknown, code: unknown) {
      if (table !== null && typeof table === 'object') return builtinLookup(table, code);
      const entries = tableOf(overlay, table, '$lookup');
      return eachCode(code, (c) => {
        if (entries === undefined) return c;
        if (Object.prototype.hasOwnProperty.call(entries, c)) return entries[c];
        throw new MappingFunctionError(`lookup table "${String(table)}" has no entry for code "${c}"`);
      });
    },
    reverseLookup(table: unknown, erpCode: unknown) {
      const entries = tableOf(overlay, table, '$reverseLookup');
      return eachCode(erpCode, (c) => {
        if (entries === undefined) return c;
        const codes = Object.keys(entries).filter((key) => entries[key] === c);
        if (codes.length === 1) return codes[0];
        if (codes.length === 0) throw new MappingFunctionError(`lookup table "${String(table)}" has no code mapped to "${c}"`);
        throw new MappingFunctionError(`lookup table "${String(table)}" maps several codes to "${c}" (${codes.join(', ')}); the way back is ambiguous`);
      });
    },
    present(value: unknown) {
      if (value === null || value === undefined) return undefined;
      if (typeof value === 'string' && value.trim() === '') return undefined;
      return value;
    },
    sumDecimals(values: unknown) {
      const list = (Array.isArray(values) ? values : [values]).filter((v) => v !== undefined && v !== null);
      const decimals = list.map((v) => {
        const d = toDecimalString(v);
        if (d === undefined) throw new MappingFunctionError(`$sumDecimals: ${JSON.stringify(v)} is not a number`);
        return d;
      });
      return sumDecimals(decimals, 0);
    },
    decimal(value: unknown) {
      if (value === undefined || value === null || value === '') return undefined;
      const d = toDecimalString(value);
      if (d === undefined) throw new MappingFunctionError(`$decimal: ${JSON.stringify(value)} is not a number`);
      return d;
    },
    odataDate(date: unknown) {
      if (date === undefined || date === null) return undefined;
      const text = String(date as Code);
      const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
      if (Number.isNaN(ms)) throw new MappingFunctionError(`$odataDate: ${JSON.stringify(date)} is not an ISO 8601 date`);
      return `/Date(${ms})/`;
    },
    fromOdataDate(value: unknown) {
      if (value === undefined || value === null || value === '') return undefined;
      const text = String(value as Code);
      const match = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(text);
      const ms = match?.[1] !== undefined ? Number(match[1]) : Date.parse(text);
      if (Number.isNaN(ms)) throw new MappingFunctionError(`$fromOdataDate: ${JSON.stringify(value)} is neither /Date(ms)/ nor an ISO 8601 date`);
      return new Date(ms).toISOString().slice(0, 10);
    },
    odataResults(nav: unknown) {
      if (nav === undefined || nav === null) return undefined;
      if (Array.isArray(nav)) return nav;
      const results = (nav as { results?: unknown }).results;
      return Array.isArray(results) ? results : [nav];
    },
  };
}
