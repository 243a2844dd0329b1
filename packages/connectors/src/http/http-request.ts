import { httpRequest, NodeExecutionError, type HttpRequestConfig, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { evaluateNodeExpression, optionalExpression, type ExpressionBudget } from '../kinds/expression-budget';
import { describeNetworkError } from './network-error';
import { outboundRefusal } from './outbound/refusal';
import { decodeBody, readBodyCapped, snippet } from './response-body';
import { parseRetryAfter } from './retry-after';
import { parseTarget, type Target } from './target-url';

export interface HttpRequestOptions {
  fetch: typeof fetch;
  budget: ExpressionBudget;
  maxResponseBytes: number;
  now: () => number;
}

export interface HttpRequestOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Present when the body was cut at the size cap. */
  truncated?: true;
}

// Only headers a later step plausibly needs; never Set-Cookie and friends, which carry sessions.
const KEPT_RESPONSE_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-location',
  'location',
  'etag',
  'last-modified',
  'retry-after',
  'link',
  'x-request-id',
  'x-correlation-id',
  'idempotent-replayed',
]);
const METHODS_WITHOUT_BODY = new Set(['GET', 'DELETE']);
const NON_SECRET_HEADERS = new Set(['accept', 'accept-language', 'content-type', 'user-agent', 'cache-control']);
const RETRYABLE_STATUSES = new Set([408, 429]);

export function createHttpRequestExecutor(options: HttpRequestOptions): NodeExecutor {
  return defineExecutor(httpRequest, async (ctx, config, input) => {
    const target = parseTarget(config.url);
    const secrets = secretValues(config, target);
    const headers = buildHeaders(config, target);
    headers.set('X-Correlation-Id', ctx.correlationId);
    headers.set('Idempotency-Key', ctx.idempotencyKey);
    // W3C trace context: the target's spans join the run's trace (the attempt's span when traced).
    if (ctx.traceparent) headers.set('traceparent', ctx.traceparent);

    let body: string | undefined;
    if (!METHODS_WITHOUT_BODY.has(config.method)) {
      const expression = optionalExpression(config.body);
      const value =
        expression === undefined ? input : await evaluateNodeExpression(ctx, options.budget, 'body', expression, input);
      if (value !== undefined) {
        body = JSON.stringify(value);
        // A configured type (e.g. application/merge-patch+json) wins; the payload is JSON either way.
        if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
      }
    }

    const label = `${config.method} ${target.display}`;
    const started = options.now();
    let response: Response;
    try {
      response = await options.fetch(target.url, { method: config.method, headers, body, signal: ctx.signal });
    } catch (err) {
      // The engine aborts the signal on its per-node timeout (or shutdown); it must see its own reason.
      if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
      const refused = outboundRefusal(err, label);
      if (refused) throw refused;
      throw new NodeExecutionError(redact(`${label} failed: ${describeNetworkError(err)}`, secrets), {
        code: 'network',
        retryable: true,
      });
    }

    let read;
    try {
      read = await readBodyCapped(response, options.maxResponseBytes);
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
      throw new NodeExecutionError(
        redact(`${label} failed while reading the ${response.status} response: ${describeNetworkError(err)}`, secrets),
        { code: 'network', retryable: true, status: response.status },
      );
    }
    ctx.logger.debug(
      { method: config.method, url: target.display, status: response.status, durationMs: options.now() - started },
      'http.request completed',
    );

    const success = config.successStatuses
      ? config.successStatuses.includes(response.status)
      : response.status >= 200 && response.status < 300;
    if (!success) throw statusError(label, response, read.text, secrets, options.now());

    const output: HttpRequestOutput = {
      status: response.status,
      headers: keptHeaders(response.headers),
      body: decodeBody(read, response.headers.get('content-type'), options.maxResponseBytes),
    };
    if (read.truncated) output.truncated = true;
    return { output };
  });
}

function buildHeaders(config: HttpRequestConfig, target: Target): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(config.headers)) {
    try {
      headers.set(name, value);
    } catch {
      // undici's own message quotes the value, which may be a secret: say which header, not what.
      throw new NodeExecutionError(
        `http.request config is invalid: headers.${name}: the value is not a valid HTTP header value (line breaks or control characters?)`,
        { code: 'invalid_config', retryable: false },
      );
    }
  }
  if (target.basicAuth !== undefined && !headers.has('authorization')) {
    headers.set('Authorization', `Basic ${Buffer.from(target.basicAuth).toString('base64')}`);
  }
  if (!headers.has('accept')) headers.set('Accept', 'application/json, text/plain;q=0.9, */*;q=0.5');
  return headers;
}

function statusError(label: string, response: Response, text: string, secrets: string[], nowMs: number): NodeExecutionError {
  const status = response.status;
  const retryable = RETRYABLE_STATUSES.has(status) || status >= 500;
  const excerpt = snippet(text);
  const reason = response.statusText ? ` ${response.statusText}` : '';
  const message = redact(`${label} returned ${status}${reason}${excerpt ? `: ${excerpt}` : ''}`, secrets);
  return new NodeExecutionError(message, {
    code: `http_${status}`,
    retryable,
    status,
    retryAfterMs: retryable ? parseRetryAfter(response.headers.get('retry-after'), nowMs) : undefined,
  });
}

function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    // Headers iterates lower-cased names.
    if (KEPT_RESPONSE_HEADERS.has(name) || name.startsWith('x-ratelimit-') || name.startsWith('ratelimit')) {
      kept[name] = value;
    }
  });
  return kept;
}

/**
 * Configured header values (API keys, bearer tokens) and URL credentials. A target that echoes the
 * request back in its error body would otherwise put them into run history through the snippet.
 */
function secretValues(config: HttpRequestConfig, target: Target): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(config.headers)) {
    if (NON_SECRET_HEADERS.has(name.toLowerCase())) continue;
    // Whole value plus its parts, so "Bearer abc…" is caught even when echoed without the scheme.
    values.push(value, ...value.split(/\s+/).filter((part) => part.length >= 8));
  }
  if (target.basicAuth !== undefined) {
    values.push(target.basicAuth, ...target.basicAuth.split(':'), Buffer.from(target.basicAuth).toString('base64'));
  }
  // Longest first, so a value is replaced before any of its parts.
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
