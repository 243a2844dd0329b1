import type { RecordData } from '../core/record-store';
import type { SapKind } from './services';

/** Parses an OData v2 JSON value for a property kind; undefined when it does not fit. */
export function coerce(kind: SapKind, value: unknown): unknown {
  if (value === null) return null;
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'amount':
    case 'quantity': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n.toFixed(kind === 'amount' ? 2 : 3) : undefined;
    }
    case 'date':
    case 'datetimeoffset':
      return parseDate(value);
  }
}

/** `/Date(1772323200000)/`, `/Date(…+0000)/` or an ISO 8601 string → epoch milliseconds. */
function parseDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const legacy = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  if (legacy) return Number(legacy[1]);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(value) || value.length === 10 ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

const BLANK: Record<SapKind, unknown> = { string: '', amount: '0.00', quantity: '0.000', date: null, datetimeoffset: null, boolean: false };

/** The v2 JSON wire form: dates as `/Date(ms)/`, decimals as strings, blanks for unset properties. */
export function toWire(fields: Record<string, SapKind>, data: RecordData): RecordData {
  const out: RecordData = {};
  for (const [name, kind] of Object.entries(fields)) {
    const v = data[name];
    if (v === undefined || v === null) out[name] = BLANK[kind];
    else if (kind === 'date') out[name] = `/Date(${String(v)})/`;
    else if (kind === 'datetimeoffset') out[name] = `/Date(${String(v)}+0000)/`;
    else out[name] = v;
  }
  return out;
}

/** The form `$filter` compares against: ISO timestamps for dates so `datetime'…'` literals compare. */
export function toFilterRow(fields: Record<string, SapKind>, data: RecordData): RecordData {
  const out: RecordData = {};
  for (const [name, kind] of Object.entries(fields)) {
    const v = data[name];
    out[name] = (kind === 'date' || kind === 'datetimeoffset') && typeof v === 'number' ? new Date(v).toISOString().slice(0, 19) : (v ?? null);
  }
  return out;
}

export type Coerced = { ok: true; data: RecordData; items?: unknown[] } | { ok: false; property: string; reason: 'unknown' | 'invalid'; value?: unknown };

/** Checks a body against an entity type; the navigation property, when allowed, carries deep-insert items. */
export function coerceBody(body: Record<string, unknown>, fields: Record<string, SapKind>, computed: string[], nav?: string): Coerced {
  const data: RecordData = {};
  let items: unknown[] | undefined;
  for (const [k, v] of Object.entries(body)) {
    if (k === '__metadata') continue;
    if (nav !== undefined && k === nav) {
      const list = Array.isArray(v)
        ? v
        : v && typeof v === 'object' && Array.isArray((v as { results?: unknown }).results)
          ? (v as { results: unknown[] }).results
          : undefined;
      if (!list) return { ok: false, property: k, reason: 'invalid', value: v };
      items = list;
      continue;
    }
    const kind = fields[k];
    if (!kind) return { ok: false, property: k, reason: 'unknown' };
    if (computed.includes(k)) continue;
    const c = coerce(kind, v);
    if (c === undefined) return { ok: false, property: k, reason: 'invalid', value: v };
    data[k] = c;
  }
  return items ? { ok: true, data, items } : { ok: true, data };
}

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
