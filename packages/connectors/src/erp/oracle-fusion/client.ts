import type { ErpHttp, ErpRequest, ErpResponse } from '../common/erp-http';
import type { OAuthClientCredentials } from '../common/oauth2';
import type { QueryOptions, QueryResult, RecordOperations, RecordRef, RecordResult } from '../common/record-executor';
import { ORACLE_FUSION_NATURAL_KEYS } from './kind';

/**
 * Fusion's error bodies: the `application/vnd.oracle.adf.error+json` document (`o:errorDetails`
 * with detail, error code and attribute path) on framework 4+, plain text before, or an OAuth error.
 */
export function describeFusionError(body: unknown, text: string): string | undefined {
  const b = body as { title?: unknown; 'o:errorDetails'?: Array<{ detail?: string; 'o:errorCode'?: string; 'o:errorPath'?: string }>; error?: unknown; error_description?: unknown } | null;
  if (b && typeof b === 'object') {
    if (Array.isArray(b['o:errorDetails'])) {
      const details = b['o:errorDetails'].map((d) => `${d.detail ?? ''}${d['o:errorPath'] ? ` (${d['o:errorPath']})` : ''}${d['o:errorCode'] ? ` [${d['o:errorCode']}]` : ''}`);
      return details.length ? details.join('; ') : typeof b.title === 'string' ? b.title : undefined;
    }
    if (typeof b.error === 'string') return typeof b.error_description === 'string' ? `${b.error}: ${b.error_description}` : b.error;
  }
  const trimmed = text.trim();
  return trimmed !== '' && trimmed.length < 2000 ? trimmed.replace(/\s*\n\s*/g, '; ') : undefined;
}

export interface FusionSettings {
  baseUrl: string;
  apiVersion: string;
  authMethod: 'basic' | 'oauth2';
  username?: string;
  password?: string;
}

type FusionRecord = Record<string, unknown>;
const ID_FIELDS: Record<string, string> = { invoices: 'InvoiceId', receivablesInvoices: 'CustomerTransactionId', journalBatches: 'JeBatchId', suppliers: 'SupplierId' };
/** Receivables invoices and journal batches cannot be changed through PATCH beyond a few notes. */
const PATCHABLE: Record<string, readonly string[]> = {
  invoices: ['Description', 'PaymentTerms', 'InvoiceAmount'],
  receivablesInvoices: ['Comments', 'PurchaseOrder'],
  journalBatches: ['BatchDescription'],
  suppliers: ['TaxpayerId', 'BusinessRelationship', 'DUNSNumber'],
};
const ITEM_TYPE = 'application/vnd.oracle.adf.resourceitem+json';

/** A `q` literal: single quotes doubled. */
export const qLiteral = (value: string | number): string => (typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);

/**
 * Oracle Fusion REST. Fusion has no idempotency key, so an upsert looks the record up by its
 * business key (`q=InvoiceNumber='…'`) first: found, it PATCHes what may change; not found, it
 * creates, and when the create answers "already exists" (our own earlier attempt whose answer was
 * lost) it reads the record back instead of failing.
 */
export class OracleFusionClient implements RecordOperations {
  constructor(
    private readonly settings: FusionSettings,
    private readonly http: ErpHttp,
    private readonly oauth: OAuthClientCredentials | undefined,
  ) {
    if (settings.password) http.secrets.add(settings.password);
  }

  private async call(request: ErpRequest): Promise<ErpResponse> {
    // Framework 4 gives errors as JSON with the attribute path; older ones only as text.
    const headers: Record<string, string> = { ...request.headers, 'REST-Framework-Version': '4' };
    if (request.json !== undefined) headers['Content-Type'] = ITEM_TYPE;
    if (!this.oauth) {
      const basic = Buffer.from(`${this.settings.username ?? ''}:${this.settings.password ?? ''}`).toString('base64');
      const response = await this.http.send({ ...request, headers: { ...headers, Authorization: `Basic ${basic}` } });
      if (response.status === 401) throw this.http.failure(response, { code: 'auth_failed', retryable: false, hint: '(the integration user or password was refused)' });
      return response;
    }
    for (let attempt = 1; ; attempt++) {
      const token = await this.oauth.token();
      const response = await this.http.send({ ...request, headers: { ...headers, Authorization: `Bearer ${token}` } });
      if (response.status !== 401) return response;
      this.oauth.invalidate(token);
      if (attempt >= 2) throw this.http.failure(response, { code: 'auth_failed', retryable: false });
    }
  }

  /**
   * Every item of a read-only collection such as a list-of-values resource (`finBusinessUnitsLOV`),
   * following Fusion's `offset`/`limit`/`hasMore` paging up to `maxItems`.
   */
  async listCollection(resource: string, maxItems = 5000): Promise<FusionRecord[]> {
    const items: FusionRecord[] = [];
    const limit = 500;
    for (let offset = 0; items.length < maxItems; offset += limit) {
      const url = new URL(`${this.settings.baseUrl}/fscmRestApi/resources/${encodeURIComponent(this.settings.apiVersion)}/${encodeURIComponent(resource)}`);
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('offset', String(offset));
      url.searchParams.set('onlyData', 'true');
      const response = await this.call({ method: 'GET', url });
      if (response.status !== 200) throw this.http.failure(response);
      const body = response.body as { items?: FusionRecord[]; hasMore?: boolean };
      items.push(...(body.items ?? []));
      if (!body.hasMore || !body.items?.length) break;
    }
    return items.slice(0, maxItems);
  }

  private url(type: string, id?: string): URL {
    if (!(type in ID_FIELDS)) throw this.http.permanent('invalid_config', `unknown record type ${type}`);
    const base = `${this.settings.baseUrl}/fscmRestApi/resources/${encodeURIComponent(this.settings.apiVersion)}/${type}`;
    return new URL(id === undefined ? base : `${base}/${encodeURIComponent(id)}`);
  }

  private result(type: string, record: FusionRecord): RecordResult {
    const key = ORACLE_FUSION_NATURAL_KEYS[type as keyof typeof ORACLE_FUSION_NATURAL_KEYS];
    const { links: _links, ...data } = record;
    const externalId = data[key];
    return { id: String(data[ID_FIELDS[type] as string] ?? ''), ...(externalId !== undefined ? { externalId: String(externalId) } : {}), record: data };
  }

  private async findByKey(type: string, externalId: string): Promise<FusionRecord | null> {
    const key = ORACLE_FUSION_NATURAL_KEYS[type as keyof typeof ORACLE_FUSION_NATURAL_KEYS];
    const url = this.url(type);
    url.searchParams.set('q', `${key}=${qLiteral(externalId)}`);
    url.searchParams.set('limit', '2');
    url.searchParams.set('onlyData', 'true');
    url.searchParams.set('expand', 'all');
    const response = await this.call({ method: 'GET', url });
    if (response.status !== 200) throw this.http.failure(response);
    const items = (response.body as { items?: FusionRecord[] }).items ?? [];
    if (items.length > 1) throw this.http.permanent('conflict', `${items.length} ${type} have ${key} ${JSON.stringify(externalId)}; cannot tell which to update`);
    return items[0] ?? null;
  }

  async get(type: string, ref: RecordRef): Promise<RecordResult | null> {
    if (ref.id === undefined) {
      const found = await this.findByKey(type, ref.externalId as string);
      return found ? this.result(type, found) : null;
    }
    const url = this.url(type, ref.id);
    url.searchParams.set('expand', 'all');
    url.searchParams.set('onlyData', 'true');
    const response = await this.call({ method: 'GET', url });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.http.failure(response);
    return this.result(type, response.body as FusionRecord);
  }

  async create(type: string, payload: unknown): Promise<RecordResult> {
    const response = await this.call({ method: 'POST', url: this.url(type), json: payload });
    if (response.status !== 201 && response.status !== 200) throw this.http.failure(response);
    return { ...this.result(type, response.body as FusionRecord), created: true };
  }

  async update(type: string, ref: RecordRef, payload: unknown): Promise<RecordResult> {
    let id = ref.id;
    if (id === undefined) {
      const found = await this.findByKey(type, ref.externalId as string);
      if (!found) throw this.http.permanent('not_found', `no ${type} with ${ORACLE_FUSION_NATURAL_KEYS[type as keyof typeof ORACLE_FUSION_NATURAL_KEYS]} ${JSON.stringify(ref.externalId)}`);
      id = String(found[ID_FIELDS[type] as string]);
    }
    const response = await this.call({ method: 'PATCH', url: this.url(type, id), json: payload });
    if (response.status !== 200) throw this.http.failure(response);
    return { ...this.result(type, response.body as FusionRecord), created: false };
  }

  async upsert(type: string, externalId: string, payload: unknown): Promise<RecordResult> {
    const key = ORACLE_FUSION_NATURAL_KEYS[type as keyof typeof ORACLE_FUSION_NATURAL_KEYS];
    const body = { ...(payload as FusionRecord), [key]: externalId };
    const existing = await this.findByKey(type, externalId);
    if (existing) return this.patchChanged(type, existing, body);
    const response = await this.call({ method: 'POST', url: this.url(type), json: body });
    if (response.status === 201 || response.status === 200) return { ...this.result(type, response.body as FusionRecord), created: true };
    if (response.status === 400 && /already exists/i.test(response.text)) {
      const raced = await this.findByKey(type, externalId);
      if (raced) return this.patchChanged(type, raced, body);
    }
    throw this.http.failure(response);
  }

  /** PATCHes the updatable attributes that differ; a record already as wanted is left alone. */
  private async patchChanged(type: string, existing: FusionRecord, body: FusionRecord): Promise<RecordResult> {
    const changes = Object.fromEntries((PATCHABLE[type] ?? []).filter((k) => k in body && body[k] !== existing[k]).map((k) => [k, body[k]]));
    if (Object.keys(changes).length === 0) return { ...this.result(type, existing), created: false };
    const response = await this.call({ method: 'PATCH', url: this.url(type, String(existing[ID_FIELDS[type] as string])), json: changes });
    if (response.status !== 200) throw this.http.failure(response);
    return { ...this.result(type, response.body as FusionRecord), created: false };
  }

  /** `offset`/`limit` paging until `hasMore` is false; the filter is a `q` string or an object of attribute values. */
  async query(type: string, filter: unknown, options: QueryOptions): Promise<QueryResult> {
    let q: string | undefined;
    if (typeof filter === 'string') q = filter;
    else if (filter !== undefined && filter !== null) {
      if (typeof filter !== 'object' || Array.isArray(filter)) throw this.http.permanent('invalid_config', 'filter must give a q expression or an object of attribute values');
      q = Object.entries(filter as Record<string, unknown>)
        .map(([k, v]) => {
          if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(k)) throw this.http.permanent('invalid_config', `filter attribute ${JSON.stringify(k)} is not an attribute name`);
          return `${k}=${qLiteral(typeof v === 'number' ? v : String(v))}`;
        })
        .join(' and ');
    }
    const records: unknown[] = [];
    const limit = Math.min(options.pageSize, 500);
    let pages = 0;
    for (let offset = 0; ; offset += limit) {
      const url = this.url(type);
      if (q) url.searchParams.set('q', q);
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('offset', String(offset));
      url.searchParams.set('onlyData', 'true');
      const response = await this.call({ method: 'GET', url });
      if (response.status !== 200) throw this.http.failure(response);
      pages += 1;
      const page = response.body as { items?: unknown[]; hasMore?: boolean };
      for (const row of page.items ?? []) {
        if (records.length >= options.maxRecords) return { records, pages, truncated: true };
        records.push(row);
      }
      if (!page.hasMore || (page.items ?? []).length === 0) return { records, pages, truncated: false };
    }
  }

  /** Connection test: one supplier. */
  async ping(): Promise<ErpResponse> {
    const url = this.url('suppliers');
    url.searchParams.set('limit', '1');
    url.searchParams.set('onlyData', 'true');
    const response = await this.call({ method: 'GET', url });
    if (response.status !== 200) throw this.http.failure(response, response.status === 403 ? { code: 'auth_failed', retryable: false } : {});
    return response;
  }
}
