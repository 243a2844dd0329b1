import type { ErpHttp, ErpRequest, ErpResponse } from '../common/erp-http';
import type { OAuthClientCredentials } from '../common/oauth2';
import type { QueryOptions, QueryResult, RecordOperations, RecordRef, RecordResult } from '../common/record-executor';

/** Workday's `{ error, errors: [{ error, field, location }] }`, and the token endpoint's OAuth error. */
export function describeWorkdayError(body: unknown): string | undefined {
  const b = body as { error?: unknown; error_description?: unknown; errors?: Array<{ error?: string; location?: string }> } | null;
  if (!b || typeof b.error !== 'string') return undefined;
  if (typeof b.error_description === 'string') return `${b.error}: ${b.error_description}`;
  const details = (b.errors ?? []).map((e) => `${e.error ?? ''}${e.location ? ` (${e.location})` : ''}`);
  return [b.error, ...details].join('; ');
}

export interface WorkdaySettings {
  baseUrl: string;
  tenant: string;
}

type WdRecord = Record<string, unknown> & { id?: string };

/**
 * Workday REST. Accounting journals are immutable once posted and Workday refuses a repeated
 * `externalReferenceId`, so an upsert looks the journal up by that id first and returns it when found.
 */
export class WorkdayClient implements RecordOperations {
  constructor(
    private readonly settings: WorkdaySettings,
    private readonly http: ErpHttp,
    private readonly oauth: OAuthClientCredentials,
  ) {}

  async call(request: ErpRequest): Promise<ErpResponse> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.oauth.token();
      const response = await this.http.send({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
      if (response.status !== 401) return response;
      this.oauth.invalidate(token);
      if (attempt >= 2) throw this.http.failure(response, { code: 'auth_failed', retryable: false });
    }
  }

  private collectionUrl(type: string, parentId?: string): string {
    const tenant = encodeURIComponent(this.settings.tenant);
    if (type === 'accountingJournals') return `${this.settings.baseUrl}/ccx/api/financialManagement/v1/${tenant}/accountingJournals`;
    if (type === 'workers') return `${this.settings.baseUrl}/ccx/api/v1/${tenant}/workers`;
    if (type === 'costAllocations') {
      if (!parentId) throw this.http.permanent('invalid_config', 'costAllocations need the worker id (parentIdPath)');
      return `${this.settings.baseUrl}/ccx/api/v1/${tenant}/workers/${encodeURIComponent(parentId)}/costAllocations`;
    }
    throw this.http.permanent('invalid_config', `unknown record type ${type}`);
  }

  async get(type: string, ref: RecordRef, parentId?: string): Promise<RecordResult | null> {
    if (ref.id === undefined) {
      if (type !== 'accountingJournals') throw this.http.permanent('invalid_config', `${type} are read by id`);
      const found = await this.findJournal(ref.externalId as string);
      return found ? result(found) : null;
    }
    if (type === 'costAllocations') throw this.http.permanent('invalid_config', 'cost allocations are listed with query');
    const response = await this.call({ method: 'GET', url: `${this.collectionUrl(type, parentId)}/${encodeURIComponent(ref.id)}` });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.http.failure(response);
    return result(response.body as WdRecord);
  }

  private async findJournal(externalId: string): Promise<WdRecord | null> {
    const url = new URL(this.collectionUrl('accountingJournals'));
    url.searchParams.set('externalReferenceId', externalId);
    url.searchParams.set('limit', '1');
    const response = await this.call({ method: 'GET', url });
    if (response.status !== 200) throw this.http.failure(response);
    return ((response.body as { data?: WdRecord[] }).data ?? [])[0] ?? null;
  }

  async create(type: string, payload: unknown, parentId?: string): Promise<RecordResult> {
    if (type === 'workers') throw this.http.permanent('unsupported', 'workers are hired in Workday, not created through this API');
    const response = await this.call({ method: 'POST', url: this.collectionUrl(type, parentId), json: payload });
    // Cost allocations for an effective date replace each other: 200 means an existing one changed.
    if (response.status !== 201 && response.status !== 200) throw this.http.failure(response);
    return { ...result(response.body as WdRecord), created: response.status === 201 };
  }

  async upsert(type: string, externalId: string, payload: unknown, parentId?: string): Promise<RecordResult> {
    if (type === 'costAllocations') return this.create(type, payload, parentId);
    if (type !== 'accountingJournals') throw this.http.permanent('unsupported', `${type} cannot be upserted`);
    const existing = await this.findJournal(externalId);
    if (existing) return { ...result(existing), created: false };
    // Workday's canonical mapping writes `externalReferenceID`; the journal API's field is `externalReferenceId`.
    const { externalReferenceID: _mapped, ...rest } = payload as Record<string, unknown>;
    const body = { ...rest, externalReferenceId: externalId };
    const response = await this.call({ method: 'POST', url: this.collectionUrl(type), json: body });
    if (response.status === 201 || response.status === 200) return { ...result(response.body as WdRecord), created: true };
    // Our earlier attempt may have posted it and lost the answer: the duplicate check names the field.
    if (response.status === 400 && /externalReferenceId/.test(response.text)) {
      const raced = await this.findJournal(externalId);
      if (raced) return { ...result(raced), created: false };
    }
    throw this.http.failure(response);
  }

  /** `limit`/`offset` paging with the collection's `total`; the filter is an object of query parameters. */
  async query(type: string, filter: unknown, options: QueryOptions, parentId?: string): Promise<QueryResult> {
    if (filter !== undefined && filter !== null && (typeof filter !== 'object' || Array.isArray(filter))) {
      throw this.http.permanent('invalid_config', 'filter must give an object of query parameters');
    }
    const records: unknown[] = [];
    let pages = 0;
    const limit = Math.min(options.pageSize, 100);
    for (let offset = 0; ; offset += limit) {
      const url = new URL(this.collectionUrl(type, parentId));
      for (const [k, v] of Object.entries((filter ?? {}) as Record<string, unknown>)) url.searchParams.set(k, String(v));
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('offset', String(offset));
      const response = await this.call({ method: 'GET', url });
      if (response.status !== 200) throw this.http.failure(response);
      pages += 1;
      const page = response.body as { total?: number; data?: unknown[] };
      const data = page.data ?? [];
      for (const row of data) {
        if (records.length >= options.maxRecords) return { records, pages, truncated: true };
        records.push(row);
      }
      if (data.length < limit || offset + data.length >= (page.total ?? 0)) return { records, pages, truncated: false };
    }
  }

  /** Connection test: one worker. */
  async ping(): Promise<ErpResponse> {
    const response = await this.call({ method: 'GET', url: `${this.collectionUrl('workers')}?limit=1` });
    if (response.status !== 200) throw this.http.failure(response, response.status === 403 ? { code: 'auth_failed', retryable: false } : {});
    return response;
  }
}

function result(record: WdRecord): RecordResult {
  const externalId = typeof record.externalReferenceId === 'string' ? record.externalReferenceId : undefined;
  return { id: String(record.id ?? ''), ...(externalId !== undefined ? { externalId } : {}), record };
}
