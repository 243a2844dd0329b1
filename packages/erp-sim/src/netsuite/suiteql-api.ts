import { header, isPlainObject, parseJsonBody, type SimRequest, type SimResponse } from '../core/http-server';
import type { StoredRecord } from '../core/record-store';
import type { SimKit, VendorReply } from '../core/sim-kit';
import { NETSUITE_REFERENCE } from '../reference-data';
import { invalidContent, nsError } from './errors';
import { collection, readPaging } from './paging';
import { flattenFields } from './record-query';
import { RECORD_TYPES, type NetSuiteRecordType } from './record-types';
import { parseSuiteQL, referencedColumns, runSuiteQL, SuiteQLError, type SuiteQLRow } from './suiteql';

export const SUITEQL_PATH = '/services/rest/query/v1/suiteql';

const TRANSACTION_TYPES: NetSuiteRecordType[] = ['salesOrder', 'invoice', 'vendorBill', 'journalEntry'];
const BASE_COLUMNS: Record<string, string[]> = {
  customer: [
    'id',
    'entityid',
    'companyname',
    'firstname',
    'lastname',
    'email',
    'phone',
    'isperson',
    'externalid',
    'subsidiary',
    'currency',
    'terms',
    'datecreated',
    'lastmodifieddate',
  ],
  transaction: [
    'id',
    'type',
    'tranid',
    'trandate',
    'entity',
    'subsidiary',
    'currency',
    'memo',
    'externalid',
    'otherrefnum',
    'status',
    'foreigntotal',
    'createddate',
    'lastmodifieddate',
  ],
};

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);

function badQuery(detail: string): VendorReply {
  return nsError(400, {
    detail: `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${detail}`,
    'o:errorCode': 'INVALID_PARAMETER',
  });
}

/** `POST /services/rest/query/v1/suiteql` with `Prefer: transient` and `{ "q": "SELECT …" }`. */
export function handleSuiteQL(req: SimRequest, res: SimResponse, kit: SimKit, account: string): void {
  if (req.method !== 'POST') return reply(res, nsError(405, { detail: 'SuiteQL queries are run with POST.', 'o:errorCode': 'INVALID_METHOD' }));
  if (!/\btransient\b/i.test(header(req, 'prefer') ?? '')) {
    return reply(
      res,
      nsError(400, {
        detail: "Invalid value for the header 'Prefer'. SuiteQL requests require 'Prefer: transient'.",
        'o:errorCode': 'INVALID_HEADER',
        'o:errorHeader': 'Prefer',
      }),
    );
  }
  const paging = readPaging(req.url.searchParams);
  if (!paging.ok) return reply(res, paging.reply);
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return reply(res, nsError(400, { detail: `Invalid request body: ${parsed.message}`, 'o:errorCode': 'INVALID_CONTENT' }));
  const q = isPlainObject(parsed.value) ? parsed.value.q : undefined;
  if (typeof q !== 'string' || q.trim() === '') return reply(res, invalidContent('q', "The request body must contain the query as a string in the field 'q'."));

  let rows: SuiteQLRow[];
  let table: string;
  try {
    const query = parseSuiteQL(q);
    table = query.table;
    if (table === 'customer') rows = kit.store.list(account, 'customer').map((r) => toRow(r));
    else if (table === 'transaction') rows = TRANSACTION_TYPES.flatMap((t) => kit.store.list(account, t).map((r) => toRow(r, t)));
    else if (NETSUITE_REFERENCE[table]) rows = (NETSUITE_REFERENCE[table] ?? []).map((r) => ({ ...r }));
    else
      return reply(
        res,
        badQuery(`Record '${table}' was not found. This simulator serves the 'customer' and 'transaction' tables and the reference tables ${Object.keys(NETSUITE_REFERENCE).join(', ')}.`),
      );
    const known = new Set(BASE_COLUMNS[table] ?? []);
    for (const r of rows) for (const k of Object.keys(r)) known.add(k);
    const unknown = referencedColumns(query).find((c) => !known.has(c));
    if (unknown)
      return reply(res, badQuery(`Field '${unknown}' for record '${table}' was not found. Reason: NOT_EXPOSED - Not available for channel SEARCH/QUERY.`));
    const result = runSuiteQL(query, rows).map((row) => ({ links: [], ...row }));
    res.send(200, collection(new URL(req.origin + SUITEQL_PATH + req.url.search), result, paging.limit, paging.offset));
  } catch (err) {
    if (err instanceof SuiteQLError) return reply(res, badQuery(err.message));
    throw err;
  }
}

/** A stored record as a SuiteQL row: lower-case column names, references by id. */
function toRow(rec: StoredRecord, type?: NetSuiteRecordType): SuiteQLRow {
  const row: SuiteQLRow = {};
  for (const [k, v] of Object.entries(flattenFields(rec.data))) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) row[k.toLowerCase()] = v as SuiteQLRow[string];
  }
  row.id = Number(rec.id);
  if (type) {
    row.type = RECORD_TYPES[type].suiteqlType;
    if (typeof rec.data.total === 'number') row.foreigntotal = rec.data.total;
    // A journal's amount is its debit total (what the transaction list shows for it).
    else if (type === 'journalEntry') {
      const items = (rec.data.line as { items?: Array<{ debit?: unknown }> } | undefined)?.items ?? [];
      row.foreigntotal = Math.round(items.reduce((s, l) => s + (Number(l.debit) || 0), 0) * 100) / 100;
    }
    if (typeof rec.data.orderStatus === 'string') row.status = rec.data.orderStatus;
  } else if (rec.data.createdDate !== undefined) row.datecreated = String(rec.data.createdDate);
  return row;
}
