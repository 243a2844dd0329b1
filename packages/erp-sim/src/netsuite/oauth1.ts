import { createHmac } from 'node:crypto';
import { secretEquals } from '../core/bearer-tokens';
import { header, type SimRequest } from '../core/http-server';

/** One token-based-authentication credential set: integration record (consumer) + access token. */
export interface NetSuiteTbaCredential {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** Why a login failed. NetSuite only says "Invalid login attempt"; the reason goes to the audit trail. */
export type LoginFailureReason =
  | 'missing_authorization'
  | 'malformed_authorization'
  | 'unknown_realm'
  | 'unsupported_signature_method'
  | 'unsupported_oauth_version'
  | 'unknown_consumer_key'
  | 'unknown_token'
  | 'stale_timestamp'
  | 'bad_signature'
  | 'nonce_reused';

export type OAuthResult =
  | { ok: true; account: string; credential: NetSuiteTbaCredential }
  | { ok: false; reason: LoginFailureReason; account?: string; consumerKey?: string };

/** RFC 3986 percent-encoding as OAuth 1.0a requires (RFC 5849 §3.6): only unreserved characters stay. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses `Authorization: OAuth realm="…", oauth_consumer_key="…", …`; undefined if it is not one. */
export function parseOAuthHeader(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  const match = /^OAuth\s+(.*)$/is.exec(value.trim());
  if (!match?.[1]) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*"([^"]*)"/g;
  for (let m = re.exec(match[1]); m; m = re.exec(match[1])) {
    try {
      params[m[1] as string] = decodeURIComponent(m[2] as string);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** The signature base string of RFC 5849 §3.4.1 for the request as the client addressed it. */
export function signatureBaseString(method: string, baseUri: string, params: Array<[string, string]>): string {
  const normalized = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [method.toUpperCase(), percentEncode(baseUri), percentEncode(normalized)].join('&');
}

export function hmacSha256Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha256', key).update(baseString).digest('base64');
}

/** Base string URI (§3.4.1.2): scheme and host lower-case, default port dropped, path as sent. */
function baseUri(req: SimRequest): string {
  const host = (header(req, 'host') ?? req.url.host).toLowerCase().replace(/:80$/, '');
  return `http://${host}${req.rawPath}`;
}

export interface OAuth1VerifierOptions {
  accounts: Map<string, NetSuiteTbaCredential[]>;
  now: () => number;
  timestampToleranceSeconds: number;
}

/** Verifies NetSuite TBA requests: realm, keys, HMAC-SHA256 signature, timestamp window, nonce reuse. */
export class OAuth1Verifier {
  private readonly seenNonces = new Map<string, number>();

  constructor(private readonly opts: OAuth1VerifierOptions) {}

  verify(req: SimRequest): OAuthResult {
    const raw = header(req, 'authorization');
    if (!raw) return { ok: false, reason: 'missing_authorization' };
    const p = parseOAuthHeader(raw);
    if (!p) return { ok: false, reason: 'malformed_authorization' };
    const account = p.realm;
    if (account === undefined) return { ok: false, reason: 'unknown_realm' };
    const creds = this.opts.accounts.get(account);
    if (!creds) return { ok: false, reason: 'unknown_realm', account };
    const consumerKey = p.oauth_consumer_key;
    const fail = (reason: LoginFailureReason): OAuthResult => ({ ok: false, reason, account, ...(consumerKey ? { consumerKey } : {}) });
    if (!p.oauth_signature || !p.oauth_nonce || !p.oauth_timestamp || !consumerKey || !p.oauth_token) return fail('malformed_authorization');
    if (p.oauth_signature_method !== 'HMAC-SHA256') return fail('unsupported_signature_method');
    if (p.oauth_version !== undefined && p.oauth_version !== '1.0') return fail('unsupported_oauth_version');
    const byConsumer = creds.filter((c) => c.consumerKey === consumerKey);
    if (byConsumer.length === 0) return fail('unknown_consumer_key');
    const credential = byConsumer.find((c) => c.tokenId === p.oauth_token);
    if (!credential) return fail('unknown_token');

    const ts = Number(p.oauth_timestamp);
    const nowSeconds = Math.floor(this.opts.now() / 1000);
    if (!/^\d+$/.test(p.oauth_timestamp) || Math.abs(nowSeconds - ts) > this.opts.timestampToleranceSeconds) return fail('stale_timestamp');

    const params: Array<[string, string]> = [...req.url.searchParams.entries()];
    for (const [k, v] of Object.entries(p)) if (k.startsWith('oauth_') && k !== 'oauth_signature') params.push([k, v]);
    const contentType = header(req, 'content-type') ?? '';
    if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) params.push(...new URLSearchParams(req.body).entries());
    const expected = hmacSha256Signature(signatureBaseString(req.method, baseUri(req), params), credential.consumerSecret, credential.tokenSecret);
    if (!secretEquals(p.oauth_signature, expected)) return fail('bad_signature');

    // Checked after the signature so an unsigned request cannot burn someone else's nonce.
    this.pruneNonces(nowSeconds);
    const nonceKey = `${account}\u0000${consumerKey}\u0000${p.oauth_token}\u0000${p.oauth_nonce}`;
    if (this.seenNonces.has(nonceKey)) return fail('nonce_reused');
    this.seenNonces.set(nonceKey, ts + this.opts.timestampToleranceSeconds);
    return { ok: true, account, credential };
  }

  reset(): void {
    this.seenNonces.clear();
  }

  private pruneNonces(nowSeconds: number): void {
    if (this.seenNonces.size < 10_000) return;
    for (const [k, until] of this.seenNonces) if (until < nowSeconds) this.seenNonces.delete(k);
  }
}
