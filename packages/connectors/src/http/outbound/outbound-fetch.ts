import { fetch as undiciFetch, type Agent, type RequestInit as UndiciRequestInit } from 'undici';
import { allowlistFromEnv, parseOutboundAllowlist, type OutboundAllowlist } from './address-policy';
import { createGuardedAgent, OutboundBlockedError, type HostLookup } from './guarded-agent';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that carry the caller's credentials: never handed to another origin by a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

export interface OutboundFetchOptions {
  /** Parsed allowlist, raw `host:port, cidr` text or entries; defaults to SWITCHYARD_OUTBOUND_ALLOWLIST. */
  allowlist?: OutboundAllowlist | string | readonly string[];
  lookup?: HostLookup;
  maxRedirects?: number;
  connectTimeoutMs?: number;
}

/** `fetch` for user-configured endpoints, plus `close()` for the connection pool. */
export type OutboundFetch = typeof fetch & { close(): Promise<void>; readonly allowlist: OutboundAllowlist };

export class RedirectError extends Error {
  readonly code = 'ERR_REDIRECT';
  constructor(message: string) {
    super(message);
    this.name = 'RedirectError';
  }
}

function toAllowlist(value: OutboundFetchOptions['allowlist']): OutboundAllowlist {
  if (value === undefined) return allowlistFromEnv();
  if (typeof value === 'string' || Array.isArray(value)) return parseOutboundAllowlist(value as string | readonly string[]);
  return value as OutboundAllowlist;
}

/**
 * The HTTP client of every outbound call to a user-configured endpoint (http.request, ERP and REST
 * connectors, connection tests). Connections are checked when they are opened (guarded agent), and
 * redirects are followed here, one hop at a time (at most 5), so each new target gets its own
 * connect-time check; credentials are not forwarded to another origin.
 */
export function createOutboundFetch(options: OutboundFetchOptions = {}): OutboundFetch {
  const allowlist = toAllowlist(options.allowlist);
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  let agent: Agent | undefined;
  const dispatcher = (): Agent =>
    (agent ??= createGuardedAgent({ allowlist, lookup: options.lookup, connectTimeoutMs: options.connectTimeoutMs }));

  const outbound = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : input.toString());
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    const followRedirects = (init.redirect ?? 'follow') === 'follow';
    for (let hop = 0; ; hop++) {
      let response: Response;
      try {
        response = (await undiciFetch(url, {
          ...(init as UndiciRequestInit),
          method,
          headers: headers as unknown as UndiciRequestInit['headers'],
          body: body as UndiciRequestInit['body'],
          redirect: 'manual',
          dispatcher: dispatcher(),
        })) as unknown as Response;
      } catch (err) {
        throw unwrapBlocked(err) ?? err;
      }
      if (!followRedirects || !REDIRECT_STATUSES.has(response.status)) return response;
      const location = response.headers.get('location');
      if (!location) return response;
      await response.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) throw new RedirectError(`stopped after ${maxRedirects} redirects (last to ${safeTarget(location, url)})`);
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new RedirectError(`redirect to a ${next.protocol.replace(/:$/, '')}: URL refused (only http and https)`);
      }
      // RFC 9110 §15.4: 303 (and, as browsers do, 301/302 after POST) continue as GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        if (method !== 'HEAD') method = 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      }
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      url = next;
    }
  };
  return Object.assign(outbound as typeof fetch, {
    allowlist,
    close: async () => {
      const current = agent;
      agent = undefined;
      await current?.close();
    },
  });
}

function safeTarget(location: string, base: URL): string {
  try {
    const u = new URL(location, base);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

/** undici wraps connect failures in `TypeError: fetch failed`; the refusal is the useful part. */
export function unwrapBlocked(err: unknown): OutboundBlockedError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof OutboundBlockedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
