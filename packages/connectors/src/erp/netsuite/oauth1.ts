import { createHmac, randomBytes } from 'node:crypto';

/** NetSuite token-based authentication credentials (an integration record plus an access token). */
export interface TbaCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** RFC 3986 percent-encoding as OAuth 1.0a requires (RFC 5849 §3.6): only unreserved characters stay. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Base string URI (RFC 5849 §3.4.1.2): scheme and host lower-case, default port dropped, no query. */
function baseStringUri(url: URL): string {
  const defaultPort = (url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443');
  const host = url.hostname.toLowerCase() + (url.port && !defaultPort ? `:${url.port}` : '');
  return `${url.protocol.toLowerCase()}//${host}${url.pathname}`;
}

export interface SignOptions {
  /** Seconds since the epoch; injectable for tests. */
  timestamp?: number;
  nonce?: string;
}

/**
 * The `Authorization: OAuth …` header NetSuite TBA expects: HMAC-SHA256 over the method, the URL and
 * the query and oauth parameters (JSON bodies are not signed), the account id as `realm`.
 */
export function tbaAuthorization(method: string, url: URL, realm: string, creds: TbaCredentials, opts: SignOptions = {}): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: creds.consumerKey,
    oauth_nonce: opts.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_token: creds.tokenId,
    oauth_version: '1.0',
  };
  const params: Array<[string, string]> = [...url.searchParams.entries(), ...Object.entries(oauth)];
  const normalized = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalized)].join('&');
  const key = `${percentEncode(creds.consumerSecret)}&${percentEncode(creds.tokenSecret)}`;
  const signature = createHmac('sha256', key).update(base).digest('base64');
  const fields = { realm, ...oauth, oauth_signature: signature };
  return `OAuth ${Object.entries(fields)
    .map(([k, v]) => `${k}="${percentEncode(v)}"`)
    .join(', ')}`;
}
