import type { ErpHttp, ErpRequest, ErpResponse } from '../common/erp-http';
import { sameOrigin } from '../common/erp-http';
import { type OAuthClientCredentials } from '../common/oauth2';
import type { QueryOptions, QueryResult, RecordOperations, RecordRef, RecordResult } from '../common/record-executor';

/** The property an upsert matches on: BC numbers documents itself, so ours goes into externalDocumentNumber. */
const EXTERNAL_KEY: Record<string, string> = {
  customers: 'number',
  salesOrders: 'externalDocumentNumber',
  salesInvoices: 'externalDocumentNumber',
  // The vendor's own invoice number is the natural key of a purchase invoice.
  purchaseInvoices: 'vendorInvoiceNumber',
  journals: 'code',
};
const LINES: Record<string, string> = { salesOrders: 'salesOrderLines', salesInvoices: 'salesInvoiceLines', purchaseInvoices: 'purchaseInvoiceLines', journals: 'journalLines' };

interface BcRecord extends Record<string, unknown> {
  id: string;
  '@odata.etag'?: string;
}

/** Business Central's `{ error: { code, message } }` and Entra ID's `{ error, error_description }`. */
export function describeBusinessCentralError(body: unknown): string | undefined {
  const b = body as { error?: unknown; error_description?: unknown } | null;
  if (b && typeof b.error === 'object' && b.error !== null) {
    const e = b.error as { code?: string; message?: string };
    return [e.code, e.message].filter(Boolean).join(': ') || undefined;
  }
  if (b && typeof b.error === 'string') return typeof b.error_description === 'string' ? `${b.error}: ${b.error_description}` : b.error;
  return undefined;
}

export interface BusinessCentralSettings {
  baseUrl: string;
  tenantId: string;
  environment: string;
  companyId: string;
  authorityUrl: string;
  scope: string;
  clientId: string;
  clientSecret: string;
}

/** A posted journal has no lines left; a posted sales invoice is no longer a draft. */
function alreadyPosted(set: string, record: BcRecord): boolean {
  if (set === 'journals') return Array.isArray(record.journalLines) && record.journalLines.length === 0;
  if (set === 'salesInvoices') return typeof record.status === 'string' && record.status !== 'Draft';
  return false;
}

export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Business Central API v2.0: bearer tokens from the client-credentials grant (cached, renewed once on
 * a 401), optimistic concurrency with ETags on every change, and server-driven paging.
 */
export class BusinessCentralClient implements RecordOperations {
  private readonly root: string;

  constructor(
    private readonly settings: BusinessCentralSettings,
    private readonly http: ErpHttp,
    private readonly oauth: OAuthClientCredentials,
  ) {
    const s = settings;
    this.root = `${s.baseUrl}/v2.0/${encodeURIComponent(s.tenantId)}/${encodeURIComponent(s.environment)}/api/v2.0/companies(${s.companyId})`;
  }

  /** Sends with a bearer token; a 401 (token revoked or expired early) gets one new token and one retry. */
  async call(request: ErpRequest): Promise<ErpResponse> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.oauth.token();
      const response = await this.http.send({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
      if (response.status !== 401) return response;
      this.oauth.invalidate(token);
      if (attempt >= 2) {
        throw this.http.failure(response, { code: 'auth_failed', retryable: false, hint: '(the token was refused twice; check the app registration has Business Central API permissions)' });
      }
    }
  }

  private url(set: string, id?: string, params: Record<string, string> = {}): URL {
    const url = new URL(`${this.root}/${set}${id !== undefined ? `(${id})` : ''}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  }

  private expand(set: string): Record<string, string> {
    const nav = LINES[set];
    return nav ? { $expand: nav } : {};
  }

  private keyOf(set: string): string {
    const key = EXTERNAL_KEY[set];
    if (!key) throw this.http.permanent('invalid_config', `${set} has no external key; use create, get or query`);
    return key;
  }

  async findByExternalId(set: string, externalId: string): Promise<BcRecord | null> {
    const url = this.url(set, undefined, { $filter: `${this.keyOf(set)} eq ${odataString(externalId)}`, $top: '1', ...this.expand(set) });
    const response = await this.call({ method: 'GET', url });
    if (response.status !== 200) throw this.http.failure(response);
    const value = (response.body as { value?: BcRecord[] }).value;
    return Array.isArray(value) && value[0] ? value[0] : null;
  }

  private async byId(set: string, id: string): Promise<BcRecord | null> {
    const response = await this.call({ method: 'GET', url: this.url(set, id, this.expand(set)) });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.http.failure(response);
    return response.body as BcRecord;
  }

  private async resolve(set: string, ref: RecordRef): Promise<BcRecord | null> {
    return ref.id !== undefined ? this.byId(set, ref.id) : this.findByExternalId(set, ref.externalId as string);
  }

  async get(set: string, ref: RecordRef): Promise<RecordResult | null> {
    const found = await this.resolve(set, ref);
    return found ? this.result(set, found) : null;
  }

  async create(set: string, payload: unknown): Promise<RecordResult> {
    const response = await this.call({ method: 'POST', url: this.url(set, undefined, this.expand(set)), json: payload });
    if (response.status !== 201 && response.status !== 200) throw this.http.failure(response);
    return { ...this.result(set, response.body as BcRecord), created: true };
  }

  /**
   * Finds the record by its external key and changes it (header fields only: BC takes lines in a deep
   * insert on create, or one by one), or creates it. A create that lost its answer is found on retry.
   */
  async upsert(set: string, externalId: string, payload: unknown): Promise<RecordResult> {
    const key = this.keyOf(set);
    const body = { ...(payload as Record<string, unknown>), [key]: externalId };
    const existing = await this.findByExternalId(set, externalId);
    if (existing) return { ...(await this.patch(set, existing, body)), created: false };
    const response = await this.call({ method: 'POST', url: this.url(set, undefined, this.expand(set)), json: body });
    if (response.status === 201 || response.status === 200) return { ...this.result(set, response.body as BcRecord), created: true };
    // Someone (or our own earlier attempt) created it between the lookup and the insert.
    if (response.status === 400 && /EntityWithSameKeyExists/.test(response.text)) {
      const raced = await this.findByExternalId(set, externalId);
      if (raced) return { ...(await this.patch(set, raced, body)), created: false };
    }
    throw this.http.failure(response);
  }

  async update(set: string, ref: RecordRef, payload: unknown): Promise<RecordResult> {
    const existing = await this.resolve(set, ref);
    if (!existing) throw this.http.permanent('not_found', `no ${set} record with ${ref.id !== undefined ? `id ${ref.id}` : `external id ${ref.externalId}`}`);
    return this.patch(set, existing, payload as Record<string, unknown>);
  }

  /** PATCH with the record's ETag; when someone changed it meanwhile (412), re-read and try once more. */
  private async patch(set: string, existing: BcRecord, body: Record<string, unknown>): Promise<RecordResult> {
    const changes = { ...body };
    const nav = LINES[set];
    if (nav) delete changes[nav];
    let current = existing;
    for (let attempt = 1; ; attempt++) {
      const response = await this.call({
        method: 'PATCH',
        url: this.url(set, current.id, this.expand(set)),
        headers: { 'If-Match': current['@odata.etag'] ?? '*' },
        json: changes,
      });
      if (response.status === 200) return this.result(set, response.body as BcRecord);
      if (response.status === 204) return this.result(set, (await this.byId(set, current.id)) ?? current);
      if (response.status !== 412 || attempt >= 2) throw this.http.failure(response);
      const fresh = await this.byId(set, current.id);
      if (!fresh) throw this.http.failure(response);
      current = fresh;
    }
  }

  async delete(set: string, ref: RecordRef): Promise<{ deleted: boolean }> {
    const id = ref.id ?? (await this.findByExternalId(set, ref.externalId as string))?.id;
    if (id === undefined) return { deleted: false };
    const response = await this.call({ method: 'DELETE', url: this.url(set, id), headers: { 'If-Match': '*' } });
    if (response.status === 404) return { deleted: false };
    if (response.status !== 204 && response.status !== 200) throw this.http.failure(response);
    return { deleted: true };
  }

  /** Bound actions, e.g. `post` on a sales invoice or a journal (`…/Microsoft.NAV.post`). */
  async action(set: string, ref: RecordRef, action: string): Promise<RecordResult> {
    const target = await this.resolve(set, ref);
    if (!target) throw this.http.permanent('not_found', `no ${set} record to ${action}`);
    // Posting twice is refused by BC; a retry after a lost answer must find it done instead.
    if (action === 'post' && alreadyPosted(set, target)) return { ...this.result(set, target), alreadyDone: true };
    const url = new URL(`${this.root}/${set}(${target.id})/Microsoft.NAV.${action}`);
    const response = await this.call({ method: 'POST', url });
    if (response.status !== 204 && response.status !== 200) throw this.http.failure(response);
    return this.result(set, (await this.byId(set, target.id)) ?? target);
  }

  async query(set: string, filter: unknown, options: QueryOptions): Promise<QueryResult> {
    if (filter !== undefined && filter !== null && typeof filter !== 'string') throw this.http.permanent('invalid_config', 'filter must give an OData $filter string');
    let url: URL | undefined = this.url(set, undefined, typeof filter === 'string' && filter.trim() !== '' ? { $filter: filter } : {});
    const records: unknown[] = [];
    let pages = 0;
    while (url) {
      const response = await this.call({ method: 'GET', url, headers: { Prefer: `odata.maxpagesize=${options.pageSize}` } });
      if (response.status !== 200) throw this.http.failure(response);
      pages += 1;
      const page = response.body as { value?: unknown[]; '@odata.nextLink'?: string };
      for (const row of page.value ?? []) {
        if (records.length >= options.maxRecords) return { records, pages, truncated: true };
        records.push(row);
      }
      const next = page['@odata.nextLink'];
      if (!next) break;
      url = sameOrigin(next, this.root);
      if (!url) throw this.http.permanent('unexpected_response', 'the next-page link points at another host; refusing to send the token there');
    }
    return { records, pages, truncated: false };
  }

  /** A cheap authenticated call for connection tests: the company itself. */
  async ping(): Promise<ErpResponse> {
    const response = await this.call({ method: 'GET', url: new URL(this.root) });
    if (response.status !== 200) throw this.http.failure(response, response.status === 403 ? { code: 'auth_failed', retryable: false } : {});
    return response;
  }

  private result(set: string, record: BcRecord): RecordResult {
    const { '@odata.context': _context, ...rest } = record as Record<string, unknown>;
    const key = EXTERNAL_KEY[set];
    const externalId = key && typeof rest[key] === 'string' && rest[key] !== '' ? (rest[key] as string) : undefined;
    return { id: String(record.id), ...(externalId !== undefined ? { externalId } : {}), record: rest };
  }
}
