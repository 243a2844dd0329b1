import type { VendorReply } from '../core/sim-kit';
import { invalidParameter } from './errors';

export const MAX_PAGE = 1000;

export type Paging = { ok: true; limit: number; offset: number } | { ok: false; reply: VendorReply };

/** `limit` (1–1000, default 1000) and `offset` (a multiple of `limit`), as NetSuite collection paging requires. */
export function readPaging(params: URLSearchParams): Paging {
  const rawLimit = params.get('limit');
  const rawOffset = params.get('offset');
  const limit = rawLimit === null ? MAX_PAGE : Number(rawLimit);
  const offset = rawOffset === null ? 0 : Number(rawOffset);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    return {
      ok: false,
      reply: invalidParameter('limit', `Invalid value for the query parameter 'limit'. The value must be an integer between 1 and ${MAX_PAGE}.`),
    };
  }
  if (!Number.isInteger(offset) || offset < 0) {
    return { ok: false, reply: invalidParameter('offset', "Invalid value for the query parameter 'offset'. The value must be a non-negative integer.") };
  }
  if (offset % limit !== 0) {
    return {
      ok: false,
      reply: invalidParameter('offset', `Invalid value for the query parameter 'offset'. The offset (${offset}) must be a multiple of the limit (${limit}).`),
    };
  }
  return { ok: true, limit, offset };
}

/** HATEOAS links of one page: self, first, prev, next, last, each with limit and offset filled in. */
export function pageLinks(self: URL, limit: number, offset: number, total: number): Array<{ rel: string; href: string }> {
  const at = (o: number): string => {
    const u = new URL(self.href);
    u.searchParams.set('limit', String(limit));
    u.searchParams.set('offset', String(o));
    return u.href;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [{ rel: 'self', href: at(offset) }];
  if (offset > 0) links.push({ rel: 'first', href: at(0) }, { rel: 'prev', href: at(Math.max(0, offset - limit)) });
  if (offset + limit < total) links.push({ rel: 'next', href: at(offset + limit) }, { rel: 'last', href: at(lastOffset) });
  return links;
}

/** The envelope NetSuite wraps collections and SuiteQL results in. */
export function collection<T>(self: URL, all: T[], limit: number, offset: number): Record<string, unknown> {
  const items = all.slice(offset, offset + limit);
  return {
    links: pageLinks(self, limit, offset, all.length),
    count: items.length,
    hasMore: offset + items.length < all.length,
    items,
    offset,
    totalResults: all.length,
  };
}
