import { type ErpHttp, sameOrigin, type ErpRequest, type ErpResponse } from '../common/erp-http';
import type { Limiter } from '../common/limiter';
import type { QueryOptions, QueryResult, RecordOperations, RecordRef, RecordResult } from '../common/record-executor';
import { tbaAuthorization, type TbaCredentials } from './oauth1';

export const RECORD_PATH = '/services/rest/record/v1';
export const SUITEQL_PATH = '/services/rest/query/v1/suiteql';

/** Sublists per record type: an upsert replaces them rather than appending lines a second time. */
const SUBLISTS: Record<string, string[]> = {
  customer: [],
  salesOrder: ['item'],
  invoice: ['item'],
  vendorBill: ['item', 'expense'],
  journalEntry: ['line'],
};

interface NsErrorBody {
  title?: string;
  'o:errorDetails'?: Array<{ detail?: string; 'o:errorCode'?: string; 'o:errorPath'?: string; 'o:errorQueryParam'?: string }>;
}

/** NetSuite's error body: every detail with its code and the field it names. */
export function describeNetSuiteError(body: unknown): string | undefined {
  const details = (body as NsErrorBody | null)?.['o:errorDetails'];
  if (!Array.isArray(details) || details.length === 0) return undefined;
  return details
    .map((d) => {
      const where = d['o:errorPath'] ?? d['o:errorQueryParam'];
      return `${d['o:errorCode'] ?? 'ERROR'}: ${d.detail ?? ''}${where ? ` (${where})` : ''}`.trim();
    })
    .join('; ');
}

export interface NetSuiteSettings {
  baseUrl: string;
  accountId: string;
  credentials: TbaCredentials;
}

/**
 * SuiteTalk REST: the record API (`/record/v1/{type}`, `eid:` for external ids) and SuiteQL. Every
 * request is signed anew (fresh nonce and timestamp), so a retried request is never a replay.
 */
export class NetSuiteClient implements RecordOperations {
  constructor(
    private readonly settings: NetSuiteSettings,
    private readonly http: ErpHttp,
    private readonly limiter: Limiter,
    private readonly signal: AbortSignal,
  ) {}

  private async call(request: ErpRequest): Promise<ErpResponse> {
    const url = new URL(request.url.toString());
    return this.limiter.run(this.signal, () =>
      this.http.send({
        ...request,
        url,
        headers: { ...request.headers, Authorization: tbaAuthorization(request.method, url, this.settings.accountId, this.settings.credentials) },
      }),
    );
  }

  private fail(response: ErpResponse): Error {
    if (response.status === 401) {
      return this.http.failure(response, {
        code: 'auth_failed',
        retryable: false,
        hint: `(check the consumer key and secret, the token id and secret, and the account id ${this.settings.accountId}; NetSuite's Login Audit Trail has the reason)`,
      });
    }
    return this.http.failure(response);
  }

  private recordUrl(type: string, ref?: RecordRef, query?: Record<string, string>): URL {
    const segment = ref === undefined ? '' : ref.id !== undefined ? `/${encodeURIComponent(ref.id)}` : `/eid:${encodeURIComponent(ref.externalId ?? '')}`;
    const url = new URL(`${this.settings.baseUrl}${RECORD_PATH}/${type}${segment}`);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url;
  }

  /** Reads a record with its sublists; null when NetSuite has none under that reference. */
  async get(type: string, ref: RecordRef): Promise<RecordResult | null> {
    const response = await this.call({ method: 'GET', url: this.recordUrl(type, ref, { expandSubResources: 'true' }) });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.fail(response);
    return toResult(response.body);
  }

  async create(type: string, payload: unknown): Promise<RecordResult> {
    const response = await this.call({ method: 'POST', url: this.recordUrl(type), json: payload });
    return this.afterWrite(type, response, true);
  }

  /** `PUT …/eid:{externalId}` creates or updates; sublists in the payload replace the stored lines. */
  async upsert(type: string, externalId: string, payload: unknown): Promise<RecordResult> {
    const body = { ...(payload as Record<string, unknown>) };
    delete body.externalId;
    const replace = (SUBLISTS[type] ?? []).filter((name) => name in body);
    const url = this.recordUrl(type, { externalId }, replace.length > 0 ? { replace: replace.join(',') } : {});
    const response = await this.call({ method: 'PUT', url, json: body });
    return this.afterWrite(type, response, undefined);
  }

  async update(type: string, ref: RecordRef, payload: unknown): Promise<RecordResult> {
    const response = await this.call({ method: 'PATCH', url: this.recordUrl(type, ref), json: payload });
    return this.afterWrite(type, response, false);
  }

  /** Connection test: one customer id (any authenticated call proves the login). */
  async ping(): Promise<ErpResponse> {
    const response = await this.call({ method: 'GET', url: this.recordUrl('customer', undefined, { limit: '1' }) });
    if (response.status !== 200) throw this.fail(response);
    return response;
  }

  async delete(type: string, ref: RecordRef): Promise<{ deleted: boolean }> {
    const response = await this.call({ method: 'DELETE', url: this.recordUrl(type, ref) });
    // Already gone counts as done: a compensation that is retried after its first delete went through.
    if (response.status === 404) return { deleted: false };
    if (response.status !== 204 && response.status !== 200) throw this.fail(response);
    return { deleted: true };
  }

  /** Writes answer 204 with the record's URL in Location; the record is read back for the step output. */
  private async afterWrite(type: string, response: ErpResponse, created: boolean | undefined): Promise<RecordResult> {
    if (response.status !== 204 && response.status !== 200 && response.status !== 201) throw this.fail(response);
    const location = response.headers.get('location');
    const id = location ? /\/(\d+)$/.exec(location)?.[1] : undefined;
    if (!id) throw this.http.permanent('unexpected_response', `${response.label} succeeded without a Location header naming the record`);
    const record = await this.get(type, { id });
    if (!record) throw this.http.failure({ ...response, status: 404, label: `GET ${RECORD_PATH}/${type}/${id}` });
    return created === undefined ? record : { ...record, created };
  }

  /**
   * A SuiteQL statement (`SELECT …`) runs through the query service; anything else is a record-list
   * filter (`q`). Both page with limit/offset, where NetSuite wants the offset to be a multiple of the limit.
   */
  async query(type: string, filter: unknown, options: QueryOptions): Promise<QueryResult> {
    const text = typeof filter === 'string' ? filter.trim() : '';
    if (filter !== undefined && filter !== null && typeof filter !== 'string') {
      throw this.http.permanent('invalid_config', 'filter must give a SuiteQL statement or a record-list query string');
    }
    const suiteql = /^select\s/i.test(text);
    const records: unknown[] = [];
    let pages = 0;
    let offset = 0;
    const limit = Math.min(options.pageSize, 1000);
    for (;;) {
      const url = suiteql ? new URL(`${this.settings.baseUrl}${SUITEQL_PATH}`) : this.recordUrl(type);
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('offset', String(offset));
      if (!suiteql && text !== '') url.searchParams.set('q', text);
      const response = suiteql
        ? await this.call({ method: 'POST', url, headers: { Prefer: 'transient' }, json: { q: text } })
        : await this.call({ method: 'GET', url });
      if (response.status !== 200) throw this.fail(response);
      pages += 1;
      const page = response.body as { items?: unknown[]; hasMore?: boolean; links?: Array<{ rel: string; href: string }> };
      const items = Array.isArray(page.items) ? page.items.map(stripLinks) : [];
      for (const item of items) {
        if (records.length >= options.maxRecords) return { records, pages, truncated: true };
        records.push(item);
      }
      const next = page.links?.find((l) => l.rel === 'next');
      if (!page.hasMore || items.length === 0) return { records, pages, truncated: false };
      if (next && !sameOrigin(next.href, this.settings.baseUrl)) {
        throw this.http.permanent('unexpected_response', 'the next-page link points at another host; refusing to send credentials there');
      }
      offset += limit;
    }
  }
}

function stripLinks(item: unknown): unknown {
  if (item === null || typeof item !== 'object') return item;
  const { links: _links, ...rest } = item as Record<string, unknown>;
  return rest;
}

function toResult(body: unknown): RecordResult {
  const record = stripLinks(body) as Record<string, unknown>;
  const id = String(record.id ?? '');
  const externalId = typeof record.externalId === 'string' ? record.externalId : undefined;
  return { id, ...(externalId !== undefined ? { externalId } : {}), record };
}
