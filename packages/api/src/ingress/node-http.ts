import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiDatabase } from '../trpc';
import { handleWebhook, MAX_WEBHOOK_BODY_BYTES } from './webhook';

/**
 * Webhook ingress on a plain `node:http` server: the same `handleWebhook` as the Next.js route
 * (`apps/web/src/app/api/hooks/[tenant]/[...path]`), without the framework. The embedded host's front
 * server answers `POST /api/hooks/…` with this and proxies every other request to Next.js: a
 * delivery then costs a fraction of the CPU (the framework's routing, Web Request/Response objects
 * and streams were most of it), which is what lets one small machine accept thousands of runs per
 * second. URL decoding and answers match the Next.js route, so clients cannot tell them apart.
 */

const HOOKS_PREFIX = '/api/hooks/';
const JSON_TYPE = 'application/json; charset=utf-8';
// These statuses carry no body (as in the Next.js route).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export interface IngressTarget {
  tenantSlug: string;
  path: string;
}

/**
 * `POST /api/hooks/{tenant}/{path…}` → tenant and path, decoded segment by segment like Next.js
 * decodes `[tenant]/[...path]`; null for any other request (and for a malformed escape, which the
 * framework's own route then answers).
 */
export function matchWebhookRequest(method: string | undefined, url: string | undefined): IngressTarget | null {
  if (method !== 'POST' || !url?.startsWith(HOOKS_PREFIX)) return null;
  const query = url.indexOf('?');
  const pathname = url.slice(HOOKS_PREFIX.length, query === -1 ? undefined : query);
  const segments = pathname.split('/');
  // Next.js ignores one trailing slash; an empty segment elsewhere does not match its route.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  if (segments.length < 2 || segments.some((s) => s === '')) return null;
  try {
    const [tenant, ...rest] = segments.map(decodeURIComponent);
    return { tenantSlug: tenant!, path: rest.join('/') };
  } catch {
    return null;
  }
}

type BodyRead = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413; reason: string };

/** Reads at most `limit` bytes: a declared or streamed body past it is refused without buffering it. */
function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, status: 413, reason: `the body is ${declared} bytes; at most ${limit} bytes are accepted` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (read: BodyRead) => {
      if (settled) return;
      settled = true;
      resolve(read);
    };
    req.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        req.resume();
        settle({ ok: false, status: 413, reason: `the body is larger than ${limit} bytes, the most that is accepted` });
        return;
      }
      if (!settled) chunks.push(chunk);
    });
    req.on('end', () => settle({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) }));
    req.on('error', () => settle({ ok: false, status: 400, reason: 'the request body could not be read (connection closed early?)' }));
    req.on('aborted', () => settle({ ok: false, status: 400, reason: 'the request body could not be read (connection closed early?)' }));
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const payload = NULL_BODY_STATUSES.has(status) || body === undefined ? null : JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, ...headers, ...(payload === null ? {} : { 'content-length': Buffer.byteLength(payload) }) });
  res.end(payload ?? undefined);
}

export interface IngressHandlerOptions {
  database: () => Promise<ApiDatabase>;
  /** Told about a delivery the server could not take (a database failure); bad input never comes here. */
  onError?: (error: unknown) => void;
}

/**
 * A request listener for the webhook ingress: answers and returns true for `POST /api/hooks/…`,
 * returns false (touching nothing) for any other request, so the caller can hand it on.
 */
export function createIngressHandler(options: IngressHandlerOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const target = matchWebhookRequest(req.method, req.url);
    if (!target) return false;
    void (async () => {
      const body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
      if (!body.ok) return send(res, body.status, {}, { error: body.reason });
      try {
        const db = await options.database();
        const result = await handleWebhook(db, { ...target, headers: req.headers, rawBody: body.bytes });
        send(res, result.status, result.headers, result.body);
      } catch (error) {
        options.onError?.(error);
        if (!res.headersSent) send(res, 503, {}, { error: 'the webhook could not be accepted right now; retry later' });
        else res.destroy();
      }
    })();
    return true;
  };
}
