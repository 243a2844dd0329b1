import { NodeExecutionError } from '@switchyard/workflow';
import { describeNetworkError } from '../../http/network-error';
import { outboundRefusal } from '../../http/outbound/refusal';
import { readBodyCapped, snippet } from '../../http/response-body';
import { parseRetryAfter } from '../../http/retry-after';
import { displayUrl } from '../../http/target-url';
import type { SecretSet } from './secrets';

export interface ErpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (token endpoints). */
  form?: URLSearchParams;
  /** Sent as is with its content type (SOAP envelopes). */
  raw?: { body: string; contentType: string };
  /** Send the step's idempotency key (`Idempotency-Key`), for APIs that replay a repeated request. */
  idempotent?: boolean;
}

export interface ErpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text; null when empty. */
  body: unknown;
  text: string;
  label: string;
}

export interface ErpHttpOptions {
  fetch: typeof fetch;
  signal: AbortSignal;
  secrets: SecretSet;
  /** Display name of the system, first word of every error: "NetSuite", "SAP". */
  system: string;
  correlationId?: string;
  idempotencyKey?: string;
  now?: () => number;
  maxResponseBytes?: number;
  /** Pulls the vendor's own error text out of an error body. */
  describeError: (body: unknown, text: string) => string | undefined;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** Statuses worth another attempt: timeouts, throttling and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** The step error code for an HTTP status, so policies and dashboards can group failures. */
export function codeForStatus(status: number): string {
  if (status === 401 || status === 403) return 'auth_failed';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412 || status === 428) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'rejected';
}

/**
 * The HTTP layer shared by the ERP connectors: JSON in and out, the correlation id on every call,
 * network failures as retryable step errors, and error messages that keep the vendor's own words
 * with every credential cut out.
 */
export class ErpHttp {
  constructor(readonly opts: ErpHttpOptions) {}

  get secrets(): SecretSet {
    return this.opts.secrets;
  }

  async send(request: ErpRequest): Promise<ErpResponse> {
    const url = new URL(request.url.toString());
    const label = `${request.method} ${displayUrl(url)}`;
    const headers = new Headers({ Accept: 'application/json' });
    if (this.opts.correlationId) headers.set('X-Correlation-Id', this.opts.correlationId);
    if (request.idempotent && this.opts.idempotencyKey) headers.set('Idempotency-Key', this.opts.idempotencyKey);
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    let body: string | undefined;
    if (request.form) {
      body = request.form.toString();
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
    } else if (request.raw) {
      body = request.raw.body;
      headers.set('Content-Type', request.raw.contentType);
    } else if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
    }
    let response: Response;
    try {
      response = await this.opts.fetch(url, { method: request.method, headers, body, signal: this.opts.signal });
    } catch (err) {
      if (this.opts.signal.aborted) throw this.opts.signal.reason ?? err;
      const refused = outboundRefusal(err, `${this.opts.system} ${label}`);
      if (refused) throw refused;
      throw new NodeExecutionError(this.opts.secrets.redact(`${this.opts.system} ${label} failed: ${describeNetworkError(err)}`), {
        code: 'network',
        retryable: true,
      });
    }
    let text: string;
    try {
      const read = await readBodyCapped(response, this.opts.maxResponseBytes ?? DEFAULT_MAX_BYTES);
      if (read.truncated) throw new Error(`the response exceeded ${this.opts.maxResponseBytes ?? DEFAULT_MAX_BYTES} bytes`);
      text = read.text;
    } catch (err) {
      if (this.opts.signal.aborted) throw this.opts.signal.reason ?? err;
      throw new NodeExecutionError(
        this.opts.secrets.redact(`${this.opts.system} ${label} failed while reading the ${response.status} response: ${describeNetworkError(err)}`),
        { code: 'network', retryable: true, status: response.status },
      );
    }
    return { status: response.status, headers: response.headers, body: parseBody(text, response.headers.get('content-type')), text, label };
  }

  /**
   * The step error for an unsuccessful answer: retryable for throttling and server failures (with
   * the server's Retry-After), permanent otherwise; the message carries the vendor's explanation.
   */
  failure(response: ErpResponse, overrides: { retryable?: boolean; code?: string; hint?: string } = {}): NodeExecutionError {
    const vendor = this.opts.describeError(response.body, response.text) ?? snippet(response.text);
    const retryable = overrides.retryable ?? isRetryableStatus(response.status);
    const hint = overrides.hint ? ` ${overrides.hint}` : '';
    const message = `${this.opts.system} ${response.label} returned ${response.status}${vendor ? `: ${vendor}` : ''}${hint}`;
    return new NodeExecutionError(this.opts.secrets.redact(message), {
      code: overrides.code ?? codeForStatus(response.status),
      retryable,
      status: response.status,
      retryAfterMs: retryable ? parseRetryAfter(response.headers.get('retry-after'), (this.opts.now ?? Date.now)()) : undefined,
    });
  }

  /** A permanent error of the connector's own (bad config, missing data), redacted like the others. */
  permanent(code: string, message: string): NodeExecutionError {
    return new NodeExecutionError(this.opts.secrets.redact(`${this.opts.system}: ${message}`), { code, retryable: false });
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Whether a URL the server handed back (next page link) points at the same origin as the API. */
export function sameOrigin(link: string, base: string | URL): URL | undefined {
  try {
    const url = new URL(link, base);
    return url.origin === new URL(base.toString()).origin ? url : undefined;
  } catch {
    return undefined;
  }
}
