import { createHash, randomUUID } from 'node:crypto';
import { sameOrigin, type ErpHttp, type ErpRequest, type ErpResponse } from '../common/erp-http';
import type { OAuthClientCredentials } from '../common/oauth2';
import type { QueryOptions, QueryResult, RecordOperations, RecordRef, RecordResult } from '../common/record-executor';
import { buildJournalEntryEnvelope, JOURNAL_ENTRY_SOAP_PATH, JournalEntryPayloadError, readJournalEntryConfirmation, readSoapFault, SOAP_ACTION } from './journal-entry-soap';

export const ODATA_PREFIX = '/sap/opu/odata/sap';

interface SetInfo {
  service: string;
  key: string;
  /** What an upsert matches on: SAP has no writable external id, so a customer/document reference stands in. */
  externalKey: string;
  nav: string;
  updatable: boolean;
  deletable: boolean;
}

export const SAP_SETS: Record<string, SetInfo> = {
  A_SalesOrder: { service: 'API_SALES_ORDER_SRV', key: 'SalesOrder', externalKey: 'PurchaseOrderByCustomer', nav: 'to_Item', updatable: true, deletable: true },
  A_BillingDocument: { service: 'API_BILLING_DOCUMENT_SRV', key: 'BillingDocument', externalKey: 'DocumentReferenceID', nav: 'to_Item', updatable: false, deletable: false },
  A_JournalEntry: { service: 'API_JOURNALENTRY_SRV', key: 'AccountingDocument', externalKey: 'DocumentReferenceID', nav: 'to_Item', updatable: false, deletable: false },
};

/** SAP Gateway's `{ error: { code, message: { value }, innererror: { errordetails } } }`, or a SOAP fault. */
export function describeSapError(body: unknown, text: string): string | undefined {
  if (typeof body === 'string' && /Fault/.test(text)) {
    const fault = readSoapFault(text);
    if (fault) return `SOAP fault ${fault.code}: ${fault.message}`;
  }
  const error = (body as { error?: { code?: string; message?: { value?: string } | string; innererror?: { errordetails?: Array<{ message?: string; propertyref?: string }> } } } | null)
    ?.error;
  if (!error) return /<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? undefined;
  const message = typeof error.message === 'string' ? error.message : error.message?.value;
  const details = (error.innererror?.errordetails ?? [])
    .filter((d) => d.message && d.message !== message)
    .map((d) => `${d.message}${d.propertyref ? ` (${d.propertyref})` : ''}`);
  return [`${error.code ?? 'ERROR'}: ${message ?? ''}`.trim(), ...details].join('; ');
}

interface CsrfSession {
  token: string;
  cookie: string;
}

export interface SapSettings {
  baseUrl: string;
  authMethod: 'basic' | 'oauth2';
  username?: string;
  password?: string;
  /** The step's idempotency key: the SOAP message id is derived from it, so SAP recognises a re-sent posting. */
  idempotencyKey?: string;
}

/** Journal entries are read over OData but posted through the SOAP service. */
const SOAP_POSTED = new Set(['A_JournalEntry']);

type SapEntity = Record<string, unknown> & { __metadata?: { etag?: string } };

/**
 * SAP S/4HANA Cloud OData v2, and the SOAP service that posts journal entries (journal-entry-soap.ts,
 * no CSRF handshake there). OData writes need the CSRF handshake: a GET with `x-csrf-token: Fetch` opens a
 * session (cookie) and hands out a token; both go with every modifying request. The session is kept
 * per connection; when SAP answers 403 `x-csrf-token: Required` (session expired), the token is
 * fetched again and the write retried once.
 */
export class SapClient implements RecordOperations {
  constructor(
    private readonly settings: SapSettings,
    private readonly http: ErpHttp,
    private readonly oauth: OAuthClientCredentials | undefined,
    private readonly sessions: Map<string, unknown>,
    private readonly sessionKey: string,
  ) {
    if (settings.username && settings.password) http.secrets.addPair(settings.username, settings.password);
  }

  private async authorization(): Promise<string> {
    if (this.oauth) return `Bearer ${await this.oauth.token()}`;
    return `Basic ${Buffer.from(`${this.settings.username ?? ''}:${this.settings.password ?? ''}`).toString('base64')}`;
  }

  /** Authenticated GET/POST without the CSRF handshake; public for reads outside the record sets (reference data). */
  async call(request: ErpRequest): Promise<ErpResponse> {
    for (let attempt = 1; ; attempt++) {
      const auth = await this.authorization();
      const response = await this.http.send({ ...request, headers: { ...request.headers, Authorization: auth } });
      if (response.status !== 401) return response;
      if (this.oauth && attempt < 2) {
        this.oauth.invalidate(auth.slice('Bearer '.length));
        continue;
      }
      throw this.http.failure(response, {
        code: 'auth_failed',
        retryable: false,
        hint: this.oauth ? '(the OAuth token was refused)' : '(logon failed: check the communication user and password)',
      });
    }
  }

  private serviceRoot(set: string): string {
    const info = SAP_SETS[set];
    if (!info) throw this.http.permanent('invalid_config', `unknown entity set ${set}`);
    return `${this.settings.baseUrl}${ODATA_PREFIX}/${info.service}`;
  }

  private async csrf(set: string, fresh: boolean): Promise<CsrfSession> {
    const key = `sap-csrf|${this.sessionKey}`;
    const cached = this.sessions.get(key) as CsrfSession | undefined;
    if (cached && !fresh) return cached;
    const response = await this.call({ method: 'GET', url: `${this.serviceRoot(set)}/`, headers: { 'x-csrf-token': 'Fetch' } });
    const token = response.headers.get('x-csrf-token');
    if (response.status !== 200 || !token) throw this.http.failure(response, response.status === 200 ? { code: 'auth_failed', retryable: false, hint: '(no CSRF token was issued)' } : {});
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]?.trim() ?? '')
      .filter((c) => c.includes('='))
      .join('; ');
    const session = { token, cookie };
    this.http.secrets.add(token);
    this.sessions.set(key, session);
    return session;
  }

  private async write(set: string, request: ErpRequest): Promise<ErpResponse> {
    for (let attempt = 1; ; attempt++) {
      const session = await this.csrf(set, attempt > 1);
      const headers: Record<string, string> = { ...request.headers, 'x-csrf-token': session.token };
      if (session.cookie) headers.Cookie = session.cookie;
      const response = await this.call({ ...request, headers });
      const stale = response.status === 403 && (response.headers.get('x-csrf-token') ?? '').toLowerCase() === 'required';
      if (!stale) return response;
      if (attempt >= 2) throw this.http.failure(response, { code: 'auth_failed', retryable: false, hint: '(CSRF token validation failed twice)' });
    }
  }

  private setUrl(set: string, key?: string, params: Record<string, string> = {}): URL {
    const url = new URL(`${this.serviceRoot(set)}/${set}${key !== undefined ? `('${encodeURIComponent(key.replace(/'/g, "''"))}')` : ''}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  }

  private info(set: string): SetInfo {
    const info = SAP_SETS[set];
    if (!info) throw this.http.permanent('invalid_config', `unknown entity set ${set}`);
    return info;
  }

  async findByExternalId(set: string, externalId: string): Promise<SapEntity | null> {
    const info = this.info(set);
    const filter = `${info.externalKey} eq '${externalId.replace(/'/g, "''")}'`;
    const response = await this.call({ method: 'GET', url: this.setUrl(set, undefined, { $filter: filter, $top: '1', $expand: info.nav }) });
    if (response.status !== 200) throw this.http.failure(response);
    const results = (response.body as { d?: { results?: SapEntity[] } }).d?.results;
    return Array.isArray(results) && results[0] ? results[0] : null;
  }

  private async byKey(set: string, key: string): Promise<SapEntity | null> {
    const response = await this.call({ method: 'GET', url: this.setUrl(set, key, { $expand: this.info(set).nav }) });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.http.failure(response);
    return (response.body as { d: SapEntity }).d;
  }

  private resolve(set: string, ref: RecordRef): Promise<SapEntity | null> {
    return ref.id !== undefined ? this.byKey(set, ref.id) : this.findByExternalId(set, ref.externalId as string);
  }

  async get(set: string, ref: RecordRef): Promise<RecordResult | null> {
    const found = await this.resolve(set, ref);
    return found ? this.result(set, found) : null;
  }

  async create(set: string, payload: unknown): Promise<RecordResult> {
    if (SOAP_POSTED.has(set)) return this.postJournalEntry(set, payload);
    const response = await this.write(set, { method: 'POST', url: this.setUrl(set), json: payload });
    if (response.status !== 201) throw this.http.failure(response);
    return { ...this.result(set, (response.body as { d: SapEntity }).d), created: true };
  }

  /**
   * Looks the document up by its reference field; changes it when SAP allows changes (sales orders)
   * or returns it unchanged (billing documents and journal entries are immutable once posted).
   */
  async upsert(set: string, externalId: string, payload: unknown): Promise<RecordResult> {
    const info = this.info(set);
    const body = { ...(payload as Record<string, unknown>), [info.externalKey]: externalId };
    const existing = await this.findByExternalId(set, externalId);
    if (!existing) return this.create(set, body);
    if (!info.updatable) return { ...this.result(set, existing), created: false };
    return { ...(await this.patch(set, existing, body)), created: false };
  }

  async update(set: string, ref: RecordRef, payload: unknown): Promise<RecordResult> {
    const info = this.info(set);
    if (!info.updatable) throw this.http.permanent('unsupported', `${set} cannot be changed once created`);
    const existing = await this.resolve(set, ref);
    if (!existing) throw this.http.permanent('not_found', `no ${set} with ${ref.id ?? ref.externalId}`);
    return this.patch(set, existing, payload as Record<string, unknown>);
  }

  /**
   * Posts one journal entry through JournalEntryCreateRequestConfirmation_In. The message id comes
   * from the step's idempotency key and the document reference, so a retry after a lost answer is the
   * same message, which SAP answers with its first confirmation instead of posting again. SAP answers
   * business errors with HTTP 200 and a log: those are permanent failures carrying SAP's messages.
   */
  private async postJournalEntry(set: string, payload: unknown): Promise<RecordResult> {
    const reference = (payload as { DocumentReferenceID?: unknown } | null)?.DocumentReferenceID;
    const messageId = this.settings.idempotencyKey
      ? createHash('sha256').update(`${this.settings.idempotencyKey}\0${String(reference ?? '')}`).digest('hex').slice(0, 32).toUpperCase()
      : randomUUID().replace(/-/g, '').toUpperCase();
    let envelope: string;
    try {
      envelope = buildJournalEntryEnvelope(payload, { messageId, now: new Date(), ...(this.settings.username ? { createdByUser: this.settings.username } : {}) });
    } catch (err) {
      if (err instanceof JournalEntryPayloadError) throw this.http.permanent('invalid_payload', `journal entry: ${err.message}`);
      throw err;
    }
    const response = await this.call({
      method: 'POST',
      url: `${this.settings.baseUrl}${JOURNAL_ENTRY_SOAP_PATH}`,
      headers: { Accept: 'text/xml', SOAPAction: `"${SOAP_ACTION}"` },
      raw: { body: envelope, contentType: 'text/xml; charset=utf-8' },
    });
    if (response.status === 500) {
      // A Client fault is a request SAP cannot read (no retry mends it); a Server fault is SAP's own trouble.
      const fault = readSoapFault(response.text);
      if (fault) throw this.http.failure(response, fault.code === 'Client' ? { retryable: false, code: 'rejected' } : { retryable: true });
    }
    if (response.status !== 200) throw this.http.failure(response);
    const confirmation = readJournalEntryConfirmation(response.text);
    if (!confirmation) throw this.http.permanent('unexpected_response', `${response.label} did not answer with a JournalEntryBulkCreateConfirmation`);
    if (!confirmation.posted) {
      throw this.http.permanent('rejected', `${response.label} did not post the journal entry: ${confirmation.log.join('; ') || 'no log'}`);
    }
    const posted = await this.byKey(set, confirmation.accountingDocument);
    if (posted) return { ...this.result(set, posted), created: true };
    const { accountingDocument, companyCode, fiscalYear } = confirmation;
    return { id: accountingDocument, record: { AccountingDocument: accountingDocument, CompanyCode: companyCode, FiscalYear: fiscalYear }, created: true };
  }

  private async patch(set: string, existing: SapEntity, body: Record<string, unknown>): Promise<RecordResult> {
    const info = this.info(set);
    const changes = { ...body };
    delete changes[info.nav];
    delete changes[info.key];
    const key = String(existing[info.key]);
    const response = await this.write(set, {
      method: 'PATCH',
      url: this.setUrl(set, key),
      headers: { 'If-Match': existing.__metadata?.etag ?? '*' },
      json: changes,
    });
    if (response.status !== 204 && response.status !== 200) throw this.http.failure(response);
    return this.result(set, (await this.byKey(set, key)) ?? existing);
  }

  async delete(set: string, ref: RecordRef): Promise<{ deleted: boolean }> {
    const info = this.info(set);
    if (!info.deletable) throw this.http.permanent('unsupported', `${set} cannot be deleted`);
    const existing = await this.resolve(set, ref);
    if (!existing) return { deleted: false };
    const response = await this.write(set, { method: 'DELETE', url: this.setUrl(set, String(existing[info.key])), headers: { 'If-Match': '*' } });
    if (response.status === 404) return { deleted: false };
    if (response.status !== 204) throw this.http.failure(response);
    return { deleted: true };
  }

  /** Server-driven paging (`__next`), stopping after `maxRecords`. */
  async query(set: string, filter: unknown, options: QueryOptions): Promise<QueryResult> {
    if (filter !== undefined && filter !== null && typeof filter !== 'string') throw this.http.permanent('invalid_config', 'filter must give an OData $filter string');
    // Items come with their document ($expand), as get returns them, so a query's records are complete.
    const params: Record<string, string> = { $top: String(options.maxRecords + 1), $expand: this.info(set).nav };
    if (typeof filter === 'string' && filter.trim() !== '') params.$filter = filter;
    let url: URL | undefined = this.setUrl(set, undefined, params);
    const records: unknown[] = [];
    let pages = 0;
    while (url) {
      const response = await this.call({ method: 'GET', url });
      if (response.status !== 200) throw this.http.failure(response);
      pages += 1;
      const d = (response.body as { d?: { results?: SapEntity[]; __next?: string } }).d ?? {};
      for (const row of d.results ?? []) {
        if (records.length >= options.maxRecords) return { records, pages, truncated: true };
        records.push(this.result(set, row).record);
      }
      if (!d.__next) break;
      url = sameOrigin(d.__next, this.settings.baseUrl);
      if (!url) throw this.http.permanent('unexpected_response', 'the next-page link points at another host; refusing to send credentials there');
    }
    return { records, pages, truncated: false };
  }

  /** Connection test: the sales order service document, with the CSRF handshake SAP writes need. */
  async ping(): Promise<ErpResponse> {
    const response = await this.call({ method: 'GET', url: `${this.serviceRoot('A_SalesOrder')}/`, headers: { 'x-csrf-token': 'Fetch' } });
    if (response.status !== 200) throw this.http.failure(response, response.status === 403 ? { code: 'auth_failed', retryable: false } : {});
    return response;
  }

  private result(set: string, entity: SapEntity): RecordResult {
    const info = this.info(set);
    const { __metadata, ...rest } = entity;
    const nav = rest[info.nav] as { results?: SapEntity[] } | undefined;
    const record: Record<string, unknown> = { ...rest };
    if (nav && Array.isArray(nav.results)) record[info.nav] = nav.results.map(({ __metadata: _m, ...item }) => item);
    else delete record[info.nav];
    if (__metadata?.etag) record.etag = __metadata.etag;
    const externalId = typeof rest[info.externalKey] === 'string' && rest[info.externalKey] !== '' ? (rest[info.externalKey] as string) : undefined;
    return { id: String(rest[info.key] ?? ''), ...(externalId !== undefined ? { externalId } : {}), record };
  }
}
