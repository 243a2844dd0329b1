import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../core/http-server';
import type { RecordData, RecordStore } from '../core/record-store';
import type { VendorReply } from '../core/sim-kit';
import { EDM_NAMES, fitsEdm, type EdmKind, type EntityDef, type LineDef } from './entities';
import { bcErrors } from './errors';

/** Blank values BC returns for unset properties (it always returns every property). */
const BLANK: Record<EdmKind, unknown> = {
  string: '',
  decimal: 0,
  int: 0,
  boolean: false,
  date: '0001-01-01',
  datetime: '0001-01-01T00:00:00Z',
  guid: '00000000-0000-0000-0000-000000000000',
};

export type Checked = { ok: true; data: RecordData; lines?: RecordData[] } | { ok: false; reply: VendorReply };

/** Type-checks a request body against an entity (or line) definition; unknown properties are errors. */
export function checkBody(body: unknown, fields: Record<string, EdmKind>, readOnly: string[], entityType: string, nav?: string): Checked {
  if (!isPlainObject(body)) return { ok: false, reply: bcErrors.badJson('the body must be a JSON object') };
  const data: RecordData = {};
  let lines: RecordData[] | undefined;
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata')) continue;
    if (nav !== undefined && k === nav) {
      if (!Array.isArray(v)) return { ok: false, reply: bcErrors.badType(k, v, 'Collection') };
      lines = v as RecordData[];
      continue;
    }
    const kind = fields[k];
    if (!kind) return { ok: false, reply: bcErrors.unknownProperty(k, entityType) };
    if (readOnly.includes(k)) continue;
    if (!fitsEdm(kind, v)) return { ok: false, reply: bcErrors.badType(k, v, EDM_NAMES[kind]) };
    data[k] = v;
  }
  return lines ? { ok: true, data, lines } : { ok: true, data };
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || v === '';

export function missingRequired(def: EntityDef, data: RecordData): VendorReply | undefined {
  for (const group of def.required) if (group.every((p) => isBlank(data[p]))) return bcErrors.mustHaveValue(group.join(' or '), def.entityType);
  return undefined;
}

/** Validates and prices document lines (deep insert or `…/salesOrderLines`). */
export function buildLines(
  def: LineDef,
  raw: RecordData[],
  parentId: string,
  startSequence: number,
): { ok: true; lines: RecordData[] } | { ok: false; reply: VendorReply } {
  const lines: RecordData[] = [];
  let sequence = startSequence;
  for (const entry of raw) {
    const checked = checkBody(entry, def.fields, def.readOnly, def.entityType);
    if (!checked.ok) return checked;
    const line = checked.data;
    if (def.requiredOneOf && def.requiredOneOf.every((p) => isBlank(line[p])))
      return { ok: false, reply: bcErrors.mustHaveValue(def.requiredOneOf.join(' or '), def.entityType) };
    line.id = randomUUID();
    line[def.parentKey] = parentId;
    if (def.parentKey === 'journalId') line.lineNumber ??= sequence;
    else line.sequence ??= sequence;
    sequence += 10000;
    if (def.parentKey === 'documentId') {
      // Sales lines are priced by unitPrice, purchase lines by directUnitCost.
      const price = Number(line.unitPrice ?? line.directUnitCost ?? 0) || 0;
      const amount = round2((Number(line.quantity ?? 0) || 0) * price - (Number(line.discountAmount ?? 0) || 0));
      line.lineType ??= 'Item';
      Object.assign(line, { amountExcludingTax: amount, netAmount: amount, totalTaxAmount: 0, amountIncludingTax: amount });
    }
    lines.push(line);
  }
  return { ok: true, lines };
}

/** Resolves `customerId`/`customerNumber` to an existing customer of the company and copies its name. */
export function linkCustomer(store: RecordStore, account: string, companyId: string, data: RecordData): VendorReply | undefined {
  const customers = store.list(account, 'customers', companyId);
  const byId = isBlank(data.customerId) ? undefined : customers.find((c) => c.id === data.customerId);
  const byNumber = isBlank(data.customerNumber) ? undefined : customers.find((c) => c.data.number === data.customerNumber);
  if (!isBlank(data.customerId) && !byId) return bcErrors.recordNotFound('Customer', 'Id', data.customerId);
  if (!isBlank(data.customerNumber) && !byNumber) return bcErrors.recordNotFound('Customer', 'No.', data.customerNumber);
  const found = byId ?? byNumber;
  if (found) Object.assign(data, { customerId: found.id, customerNumber: found.data.number, customerName: found.data.displayName ?? '' });
  return undefined;
}

/** Document totals from its lines (tax is out of scope for the simulator: 0). */
export function applyTotals(def: EntityDef, data: RecordData): void {
  if (!def.lines || def.lines.parentKey !== 'documentId') return;
  const lines = Array.isArray(data[def.lines.nav]) ? (data[def.lines.nav] as RecordData[]) : [];
  const total = round2(lines.reduce((s, l) => s + (Number(l.amountExcludingTax) || 0), 0) - (Number(data.discountAmount ?? 0) || 0));
  Object.assign(data, { totalAmountExcludingTax: total, totalTaxAmount: 0, totalAmountIncludingTax: total });
}

/** An entity as BC returns it: every property present, blanks for unset ones, lines only when expanded. */
export function presentEntity(
  def: { fields: Record<string, EdmKind> },
  id: string,
  data: RecordData,
  etagValue: string,
  expandNav?: string,
  lineDef?: LineDef,
): RecordData {
  const out: RecordData = { '@odata.etag': etagValue };
  for (const [prop, kind] of Object.entries(def.fields)) out[prop] = prop === 'id' ? id : (data[prop] ?? BLANK[kind]);
  if (expandNav && lineDef) {
    const lines = Array.isArray(data[expandNav]) ? (data[expandNav] as RecordData[]) : [];
    out[expandNav] = lines.map((l) => presentEntity(lineDef, String(l.id), l, etagValue));
  }
  return out;
}

/** Weak ETag in BC's style: base64 of a version stamp, changing on every write. */
export function etag(id: string, version: number): string {
  return `W/"${Buffer.from(`'${version};${id.slice(0, 8)};${version * 7919}'`).toString('base64')}"`;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
