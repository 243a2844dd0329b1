import { z } from 'zod';
import type { RecordData } from '../core/record-store';

/** The record types this simulator serves under `/services/rest/record/v1/`. */
export const NETSUITE_RECORD_TYPES = ['customer', 'salesOrder', 'invoice', 'vendorBill', 'journalEntry'] as const;
export type NetSuiteRecordType = (typeof NETSUITE_RECORD_TYPES)[number];

export function isRecordType(name: string): name is NetSuiteRecordType {
  return (NETSUITE_RECORD_TYPES as readonly string[]).includes(name);
}

/** A reference to another record: `{ "id": "42" }` or `{ "externalId": "CUST-1" }`. */
const ref = z.looseObject({ id: z.union([z.string().min(1), z.number().int()]).optional(), externalId: z.string().min(1).optional() });
const num = z.number().finite();
const itemLine = z.looseObject({
  line: z.number().int().optional(),
  item: ref.optional(),
  quantity: num.optional(),
  rate: num.optional(),
  amount: num.optional(),
  description: z.string().optional(),
});
const expenseLine = z.looseObject({ line: z.number().int().optional(), account: ref.optional(), amount: num.optional(), memo: z.string().optional() });
const journalLine = z.looseObject({
  line: z.number().int().optional(),
  account: ref.optional(),
  debit: num.optional(),
  credit: num.optional(),
  memo: z.string().optional(),
  entity: ref.optional(),
});
const sublist = <T extends z.ZodType>(line: T) => z.looseObject({ items: z.array(line) });

const common = {
  externalId: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'An external ID can only contain letters, numbers, underscore and hyphen.')
    .optional(),
  memo: z.string().optional(),
};
const transaction = {
  ...common,
  entity: ref.optional(),
  subsidiary: ref.optional(),
  currency: ref.optional(),
  tranDate: z.iso.date().optional(),
  tranId: z.string().optional(),
  otherRefNum: z.string().optional(),
};

export interface MissingField {
  path: string;
  label: string;
}

export interface RecordTypeDef {
  /** Field types for create and update (loose: unknown fields are kept, as custom fields would be). */
  schema: z.ZodType;
  sublists: string[];
  /** Mandatory fields on create, as NetSuite labels them in its error message. */
  missing(data: RecordData): MissingField[];
  /** Business rule violation (after typing and mandatory fields), or undefined. */
  rule?(data: RecordData): { path: string; detail: string } | undefined;
  /** Document number prefix for `tranId`; undefined for entities. */
  tranPrefix?: string;
  /** SuiteQL `transaction.type` value; undefined for the `customer` table. */
  suiteqlType?: string;
}

const hasRef = (v: unknown): boolean => typeof v === 'object' && v !== null && ('id' in v || 'externalId' in v);
const lines = (data: RecordData, name: string): RecordData[] => {
  const s = data[name] as { items?: RecordData[] } | undefined;
  return Array.isArray(s?.items) ? s.items : [];
};
const lineFields = (data: RecordData, list: string, field: string, label: string): MissingField[] =>
  lines(data, list).flatMap((l, i) => (hasRef(l[field]) ? [] : [{ path: `${list}.items[${i}].${field}`, label }]));

export const RECORD_TYPES: Record<NetSuiteRecordType, RecordTypeDef> = {
  customer: {
    schema: z.looseObject({
      ...common,
      companyName: z.string().optional(),
      isPerson: z.boolean().optional(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      email: z.email().optional(),
      phone: z.string().optional(),
      entityId: z.string().optional(),
      subsidiary: ref.optional(),
      currency: ref.optional(),
      terms: ref.optional(),
    }),
    sublists: [],
    missing: (d) => {
      const out: MissingField[] = [];
      if (d.isPerson === true) {
        if (!d.firstName) out.push({ path: 'firstName', label: 'First Name' });
        if (!d.lastName) out.push({ path: 'lastName', label: 'Last Name' });
      } else if (!d.companyName) out.push({ path: 'companyName', label: 'Company Name' });
      if (!hasRef(d.subsidiary)) out.push({ path: 'subsidiary', label: 'Subsidiary' });
      return out;
    },
  },
  salesOrder: {
    schema: z.looseObject({ ...transaction, item: sublist(itemLine).optional(), orderStatus: z.string().optional() }),
    sublists: ['item'],
    missing: (d) => [
      ...(hasRef(d.entity) ? [] : [{ path: 'entity', label: 'Customer' }]),
      ...(lines(d, 'item').length ? lineFields(d, 'item', 'item', 'Item') : [{ path: 'item', label: 'Items' }]),
    ],
    tranPrefix: 'SO',
    suiteqlType: 'SalesOrd',
  },
  invoice: {
    schema: z.looseObject({ ...transaction, item: sublist(itemLine).optional(), createdFrom: ref.optional(), dueDate: z.iso.date().optional() }),
    sublists: ['item'],
    missing: (d) => [
      ...(hasRef(d.entity) ? [] : [{ path: 'entity', label: 'Customer' }]),
      ...(lines(d, 'item').length ? lineFields(d, 'item', 'item', 'Item') : [{ path: 'item', label: 'Items' }]),
    ],
    tranPrefix: 'INV',
    suiteqlType: 'CustInvc',
  },
  vendorBill: {
    schema: z.looseObject({ ...transaction, item: sublist(itemLine).optional(), expense: sublist(expenseLine).optional(), dueDate: z.iso.date().optional() }),
    sublists: ['item', 'expense'],
    missing: (d) => [
      ...(hasRef(d.entity) ? [] : [{ path: 'entity', label: 'Vendor' }]),
      ...(lines(d, 'item').length + lines(d, 'expense').length === 0 ? [{ path: 'expense', label: 'Expenses and Items' }] : []),
      ...lineFields(d, 'item', 'item', 'Item'),
      ...lineFields(d, 'expense', 'account', 'Account'),
    ],
    tranPrefix: 'VB',
    suiteqlType: 'VendBill',
  },
  journalEntry: {
    schema: z.looseObject({ ...transaction, line: sublist(journalLine).optional(), approved: z.boolean().optional() }),
    sublists: ['line'],
    missing: (d) => [
      ...(hasRef(d.subsidiary) ? [] : [{ path: 'subsidiary', label: 'Subsidiary' }]),
      ...(lines(d, 'line').length ? lineFields(d, 'line', 'account', 'Account') : [{ path: 'line', label: 'Lines' }]),
    ],
    rule: (d) => {
      const ls = lines(d, 'line');
      const debit = ls.reduce((s, l) => s + (Number(l.debit) || 0), 0);
      const credit = ls.reduce((s, l) => s + (Number(l.credit) || 0), 0);
      if (Math.round(debit * 100) !== Math.round(credit * 100)) {
        return { path: 'line', detail: `The total of the debit lines (${debit.toFixed(2)}) must equal the total of the credit lines (${credit.toFixed(2)}).` };
      }
      return undefined;
    },
    tranPrefix: 'JE',
    suiteqlType: 'Journal',
  },
};

/** Merges an update into a stored record the way NetSuite does: body fields replace, sublist lines merge by `line`. */
export function mergeRecord(stored: RecordData, patch: RecordData, sublists: string[], replace: Set<string>): RecordData {
  const out: RecordData = { ...stored };
  for (const [k, v] of Object.entries(patch)) {
    if (!sublists.includes(k)) {
      out[k] = v;
      continue;
    }
    const incoming = lines(patch, k);
    const existing = replace.has(k) ? [] : lines(stored, k);
    const merged = existing.map((l) => ({ ...l }));
    for (const line of incoming) {
      const at = line.line === undefined ? -1 : merged.findIndex((m) => m.line === line.line);
      if (at >= 0) merged[at] = { ...merged[at], ...line };
      else merged.push({ ...line });
    }
    out[k] = { items: merged };
  }
  return out;
}

/** Numbers lines, fills amounts and totals: what NetSuite computes on save. */
export function computeDerived(type: NetSuiteRecordType, data: RecordData): RecordData {
  const out: RecordData = { ...data };
  let total = 0;
  for (const name of RECORD_TYPES[type].sublists) {
    const ls = lines(data, name);
    if (!ls.length && out[name] === undefined) continue;
    let next = Math.max(0, ...ls.map((l) => (typeof l.line === 'number' ? l.line : 0))) + 1;
    const items = ls.map((l) => {
      const line: RecordData = { ...l };
      if (typeof line.line !== 'number') line.line = next++;
      if (name === 'item' && line.amount === undefined) line.amount = round2((Number(line.quantity ?? 1) || 0) * (Number(line.rate) || 0));
      if (name !== 'line') total += Number(line.amount) || 0;
      return line;
    });
    out[name] = { items };
  }
  if (type !== 'customer' && type !== 'journalEntry') {
    out.subtotal = round2(total);
    out.total = round2(total);
  }
  return out;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Zod issue path → NetSuite `o:errorPath` (`item.items[0].quantity`). */
export function errorPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
}
