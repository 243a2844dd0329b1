import type { ErpHttp, ErpRequest, ErpResponse } from '../common/erp-http';
import type { QueryOptions, QueryResult, RecordOperations, RecordRef, RecordResult } from '../common/record-executor';

/** `{ error: { type, code, message, param } }`. */
export function describeBackOfficeError(body: unknown): string | undefined {
  const e = (body as { error?: { code?: string; message?: string; param?: string } } | null)?.error;
  if (!e || typeof e !== 'object') return undefined;
  return `${e.code ?? 'error'}: ${e.message ?? ''}${e.param ? ` (${e.param})` : ''}`;
}

const UPDATABLE = new Set(['crm/accounts', 'crm/opportunities']);
const ACTIONS: Record<string, { recordType: string; path: string }> = {
  void: { recordType: 'billing/invoices', path: 'void' },
  cancel: { recordType: 'warehouse/fulfillment-orders', path: 'cancel' },
  ship: { recordType: 'warehouse/fulfillment-orders', path: 'shipments' },
};

type BoRecord = Record<string, unknown> & { id?: string; externalId?: string };

/**
 * Billing, CRM and warehouse APIs: creates carry the step's idempotency key (a repeated request gets
 * the first answer again), upserts match `externalId` (CRM accounts have a native upsert), lists page
 * with `starting_after` cursors.
 */
export class BackOfficeClient implements RecordOperations {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly http: ErpHttp,
  ) {}

  private call(request: ErpRequest): Promise<ErpResponse> {
    return this.http.send({ ...request, headers: { ...request.headers, 'X-API-Key': this.apiKey } });
  }

  private url(type: string, ...rest: string[]): URL {
    const [product, collection] = type.split('/');
    if (!product || !collection) throw this.http.permanent('invalid_config', `unknown record type ${type}`);
    return new URL(`${this.baseUrl}/${product}/v1/${collection}${rest.map((s) => `/${encodeURIComponent(s)}`).join('')}`);
  }

  private fail(response: ErpResponse): Error {
    return response.status === 401
      ? this.http.failure(response, { code: 'auth_failed', retryable: false, hint: '(check the API key)' })
      : this.http.failure(response);
  }

  async get(type: string, ref: RecordRef): Promise<RecordResult | null> {
    if (ref.id === undefined) {
      const found = await this.findByExternalId(type, ref.externalId as string);
      return found ? result(found) : null;
    }
    const response = await this.call({ method: 'GET', url: this.url(type, ref.id) });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.fail(response);
    return result(response.body as BoRecord);
  }

  private async findByExternalId(type: string, externalId: string): Promise<BoRecord | null> {
    const url = this.url(type);
    url.searchParams.set('externalId', externalId);
    url.searchParams.set('limit', '1');
    const response = await this.call({ method: 'GET', url });
    if (response.status !== 200) throw this.fail(response);
    return ((response.body as { data?: BoRecord[] }).data ?? [])[0] ?? null;
  }

  async create(type: string, payload: unknown): Promise<RecordResult> {
    const response = await this.call({ method: 'POST', url: this.url(type), json: payload, idempotent: true });
    if (response.status !== 201 && response.status !== 200) throw this.fail(response);
    return { ...result(response.body as BoRecord), created: response.headers.get('idempotent-replayed') !== 'true' };
  }

  async upsert(type: string, externalId: string, payload: unknown): Promise<RecordResult> {
    const body = { ...(payload as Record<string, unknown>) };
    if (type === 'crm/accounts') {
      delete body.externalId;
      const response = await this.call({ method: 'PATCH', url: this.url(type, 'by-external-id', externalId), json: body });
      if (response.status !== 200 && response.status !== 201) throw this.fail(response);
      return { ...result(response.body as BoRecord), created: response.status === 201 };
    }
    const existing = await this.findByExternalId(type, externalId);
    if (existing) return { ...(await this.change(type, existing, body)), created: false };
    const response = await this.call({ method: 'POST', url: this.url(type), json: { ...body, externalId }, idempotent: true });
    if (response.status === 201 || response.status === 200) return { ...result(response.body as BoRecord), created: true };
    // A concurrent or earlier create won: the conflict names the record that exists.
    const existingId = (response.body as { error?: { existingId?: string } } | null)?.error?.existingId;
    if (response.status === 409 && existingId) {
      const found = await this.get(type, { id: existingId });
      if (found) return { ...found, created: false };
    }
    throw this.fail(response);
  }

  private async change(type: string, existing: BoRecord, body: Record<string, unknown>): Promise<RecordResult> {
    if (!UPDATABLE.has(type)) return result(existing);
    const changes = { ...body };
    delete changes.externalId;
    const response = await this.call({ method: 'PATCH', url: this.url(type, String(existing.id)), json: changes });
    if (response.status !== 200) throw this.fail(response);
    return result(response.body as BoRecord);
  }

  async update(type: string, ref: RecordRef, payload: unknown): Promise<RecordResult> {
    const found = ref.id !== undefined ? { id: ref.id } : await this.findByExternalId(type, ref.externalId as string);
    if (!found) throw this.http.permanent('not_found', `no ${type} record with external id ${ref.externalId}`);
    const response = await this.call({ method: 'PATCH', url: this.url(type, String(found.id)), json: payload });
    if (response.status !== 200) throw this.fail(response);
    return result(response.body as BoRecord);
  }

  /** `void` an invoice, `cancel` a fulfillment order, `ship` one (the payload is the shipment). */
  async action(type: string, ref: RecordRef, action: string, payload: unknown): Promise<RecordResult> {
    const spec = ACTIONS[action];
    if (!spec || spec.recordType !== type) throw this.http.permanent('invalid_config', `${action} is not an action of ${type}`);
    const target = ref.id !== undefined ? { id: ref.id } : await this.findByExternalId(type, ref.externalId as string);
    if (!target) throw this.http.permanent('not_found', `no ${type} record to ${action}`);
    const response = await this.call({
      method: 'POST',
      url: this.url(type, String(target.id), spec.path),
      json: action === 'ship' ? payload : {},
      idempotent: true,
    });
    if (response.status !== 200 && response.status !== 201) throw this.fail(response);
    return result(response.body as BoRecord);
  }

  async query(type: string, filter: unknown, options: QueryOptions): Promise<QueryResult> {
    if (filter !== undefined && filter !== null && (typeof filter !== 'object' || Array.isArray(filter))) {
      throw this.http.permanent('invalid_config', 'filter must give an object of filter parameters');
    }
    const records: unknown[] = [];
    let pages = 0;
    let after: string | undefined;
    for (;;) {
      const url = this.url(type);
      for (const [k, v] of Object.entries((filter ?? {}) as Record<string, unknown>)) url.searchParams.set(k, String(v));
      url.searchParams.set('limit', String(Math.min(options.pageSize, 100)));
      if (after) url.searchParams.set('starting_after', after);
      const response = await this.call({ method: 'GET', url });
      if (response.status !== 200) throw this.fail(response);
      pages += 1;
      const page = response.body as { data?: BoRecord[]; has_more?: boolean };
      const data = page.data ?? [];
      for (const row of data) {
        if (records.length >= options.maxRecords) return { records, pages, truncated: true };
        records.push(row);
      }
      const last = data[data.length - 1];
      if (!page.has_more || !last?.id) return { records, pages, truncated: false };
      after = String(last.id);
    }
  }

  async ping(): Promise<ErpResponse> {
    const url = this.url('crm/accounts');
    url.searchParams.set('limit', '1');
    const response = await this.call({ method: 'GET', url });
    if (response.status !== 200) throw this.fail(response);
    return response;
  }
}

function result(record: BoRecord): RecordResult {
  return { id: String(record.id ?? ''), ...(typeof record.externalId === 'string' ? { externalId: record.externalId } : {}), record };
}
