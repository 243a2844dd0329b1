import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { NetSuiteTbaCredential } from '../src/index';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** Typed access into parsed JSON in assertions, without `any`. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>((acc, key) => (acc !== null && typeof acc === 'object' ? (acc as Record<string | number, unknown>)[key] : undefined), value);
}

export function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function form(values: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(values).toString() };
}

export interface NetSuiteClientOptions {
  /** Seconds since the epoch for oauth_timestamp; defaults to the real clock. */
  timestamp?: () => number;
  nonce?: () => string;
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
}

/**
 * Signs requests with the `oauth-1.0a` npm library (independent of the simulator's verifier) the
 * way NetSuite's documentation describes TBA: HMAC-SHA256, realm = account id, JSON bodies unsigned.
 */
export function netSuiteSigner(realm: string, cred: NetSuiteTbaCredential, opts: NetSuiteClientOptions = {}): (httpMethod: string, url: string) => string {
  const method = opts.signatureMethod ?? 'HMAC-SHA256';
  const oauth = new OAuth({
    consumer: { key: cred.consumerKey, secret: cred.consumerSecret },
    signature_method: method,
    realm,
    hash_function: (base, key) =>
      createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
        .update(base)
        .digest('base64'),
  });
  if (opts.timestamp) oauth.getTimeStamp = opts.timestamp;
  if (opts.nonce) oauth.getNonce = opts.nonce;
  return (httpMethod, url) => oauth.toHeader(oauth.authorize({ url, method: httpMethod }, { key: cred.tokenId, secret: cred.tokenSecret })).Authorization;
}

export function netSuiteClient(baseUrl: string, realm: string, cred: NetSuiteTbaCredential, opts: NetSuiteClientOptions = {}) {
  const sign = netSuiteSigner(realm, cred, opts);
  return (httpMethod: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const url = baseUrl + path;
    const init: RequestInit = { method: httpMethod, headers: { Authorization: sign(httpMethod, url), ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    return call(url, init);
  };
}
