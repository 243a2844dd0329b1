import { compileODataFilter, ODataFilterError, type RowPredicate } from './odata-filter';

/** System query options shared by OData v2 (SAP) and v4 (Business Central). */
export interface ODataQuery {
  filter?: RowPredicate;
  orderBy: Array<{ prop: string; desc: boolean }>;
  select?: string[];
  expand: string[];
  top?: number;
  skip: number;
  /** Server-driven paging continuation: absolute offset and how many of `$top` remain. */
  resume?: { offset: number; remaining: number | null };
  /** `$count=true` (v4) or `$inlinecount=allpages` (v2). */
  count: boolean;
}

export interface ODataQueryRules {
  isKnown(property: string): boolean;
  expandable: string[];
  /** Appended to "Could not find a property named 'x'" messages, e.g. "on type 'Microsoft.NAV.customer'". */
  typeSuffix: string;
}

export type ODataQueryResult = { ok: true; query: ODataQuery } | { ok: false; message: string; property?: string };

function nonNegativeInt(raw: string | null, name: string): number | undefined | Error {
  if (raw === null) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : new Error(`Invalid value '${raw}' for ${name}: expected a non-negative integer.`);
}

export function readODataQuery(params: URLSearchParams, rules: ODataQueryRules): ODataQueryResult {
  const query: ODataQuery = { orderBy: [], expand: [], skip: 0, count: false };
  const unknown = (prop: string): ODataQueryResult => ({
    ok: false,
    message: `Could not find a property named '${prop}' ${rules.typeSuffix}.`,
    property: prop,
  });

  const filter = params.get('$filter');
  if (filter !== null) {
    try {
      query.filter = compileODataFilter(filter, rules.isKnown);
    } catch (err) {
      if (!(err instanceof ODataFilterError)) throw err;
      if (err.property) return unknown(err.property);
      return { ok: false, message: `Invalid $filter: ${err.message}` };
    }
  }
  for (const part of splitList(params.get('$orderby'))) {
    const [prop = '', dir = 'asc'] = part.split(/\s+/);
    if (!rules.isKnown(prop)) return unknown(prop);
    if (dir !== 'asc' && dir !== 'desc') return { ok: false, message: `Invalid $orderby direction '${dir}': use asc or desc.` };
    query.orderBy.push({ prop, desc: dir === 'desc' });
  }
  const select = splitList(params.get('$select'));
  if (select.length) {
    const bad = select.find((p) => p !== '*' && !rules.isKnown(p));
    if (bad) return unknown(bad);
    if (!select.includes('*')) query.select = select;
  }
  for (const nav of splitList(params.get('$expand'))) {
    if (!rules.expandable.includes(nav)) return unknown(nav);
    query.expand.push(nav);
  }
  const top = nonNegativeInt(params.get('$top'), '$top');
  const skip = nonNegativeInt(params.get('$skip'), '$skip');
  if (top instanceof Error) return { ok: false, message: top.message, property: '$top' };
  if (skip instanceof Error) return { ok: false, message: skip.message, property: '$skip' };
  if (top !== undefined) query.top = top;
  if (skip !== undefined) query.skip = skip;
  const token = params.get('$skiptoken');
  if (token !== null) {
    const resume = decodeSkipToken(token);
    if (!resume) return { ok: false, message: `Invalid $skiptoken '${token}'.`, property: '$skiptoken' };
    query.resume = resume;
  }
  query.count = params.get('$count') === 'true' || params.get('$inlinecount') === 'allpages';
  return { ok: true, query };
}

function splitList(raw: string | null): string[] {
  return raw === null
    ? []
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** Filters and sorts; paging is separate so `$count` can report the filtered total. */
export function filterAndSort<T extends Record<string, unknown>>(rows: T[], q: ODataQuery): T[] {
  let out = q.filter ? rows.filter((r) => (q.filter as RowPredicate)(r)) : [...rows];
  for (const { prop, desc } of [...q.orderBy].reverse()) {
    out = [...out].sort((a, b) => {
      const x = a[prop];
      const y = b[prop];
      const c =
        x === y
          ? 0
          : x === undefined || x === null
            ? -1
            : y === undefined || y === null
              ? 1
              : typeof x === 'number' && typeof y === 'number'
                ? x - y
                : String(x) < String(y)
                  ? -1
                  : 1;
      return desc ? -c : c;
    });
  }
  return out;
}

/**
 * Client-driven paging ($top/$skip) combined with server-driven paging (a page size and a
 * `$skiptoken` continuation), as OData services do it.
 */
export function page<T>(rows: T[], q: ODataQuery, pageSize: number): { rows: T[]; next?: { offset: number; remaining: number | null } } {
  const offset = q.resume?.offset ?? q.skip;
  const remaining = q.resume ? q.resume.remaining : (q.top ?? null);
  const take = Math.min(pageSize, remaining ?? Number.POSITIVE_INFINITY);
  const slice = rows.slice(offset, offset + take);
  const more = offset + slice.length < rows.length && (remaining === null || remaining > slice.length) && slice.length > 0;
  if (!more) return { rows: slice };
  return { rows: slice, next: { offset: offset + slice.length, remaining: remaining === null ? null : remaining - slice.length } };
}

export function encodeSkipToken(next: { offset: number; remaining: number | null }): string {
  return Buffer.from(JSON.stringify([next.offset, next.remaining])).toString('base64url');
}

function decodeSkipToken(token: string): { offset: number; remaining: number | null } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || !Number.isInteger(v[0]) || (v[1] !== null && !Number.isInteger(v[1]))) return undefined;
    return { offset: v[0] as number, remaining: v[1] as number | null };
  } catch {
    return undefined;
  }
}

/** The next-page URL: same path and options, `$top`/`$skip` replaced by a `$skiptoken`; `$` kept literal. */
export function nextLink(base: string, params: URLSearchParams, next: { offset: number; remaining: number | null }): string {
  const parts: string[] = [];
  for (const [k, v] of params) if (k !== '$top' && k !== '$skip' && k !== '$skiptoken') parts.push(`${k}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${encodeSkipToken(next)}`);
  return `${base}?${parts.join('&')}`;
}

/** Keeps only `$select`ed properties (plus OData annotations and expanded navigation properties). */
export function selectProps(entity: Record<string, unknown>, select: string[] | undefined, keep: string[]): Record<string, unknown> {
  if (!select) return entity;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entity)) if (k.startsWith('@odata') || k === '__metadata' || select.includes(k) || keep.includes(k)) out[k] = v;
  return out;
}
