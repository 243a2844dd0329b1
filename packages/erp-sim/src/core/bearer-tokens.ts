import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimRequest } from './http-server';
import { header } from './http-server';

export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export interface TokenGrant {
  account: string;
  clientId: string;
  expiresAt: number;
}

export type TokenCheck = { ok: true; grant: TokenGrant } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

/**
 * Opaque bearer tokens with an expiry, checked against the simulator's clock. Opaque (not JWT) on
 * purpose: connectors must treat vendor tokens as opaque and rely on `expires_in` or a 401.
 */
export class BearerTokens {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(
    private readonly now: () => number,
    private readonly prefix: string,
  ) {}

  issue(account: string, clientId: string, ttlSeconds: number): IssuedToken {
    this.prune();
    const token = `${this.prefix}${randomBytes(24).toString('base64url')}`;
    this.grants.set(token, { account, clientId, expiresAt: this.now() + ttlSeconds * 1000 });
    return { token, expiresInSeconds: ttlSeconds };
  }

  check(req: SimRequest): TokenCheck {
    const auth = header(req, 'authorization');
    const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
    if (!match?.[1]) return { ok: false, reason: 'missing' };
    const grant = this.grants.get(match[1]);
    if (!grant) return { ok: false, reason: 'unknown' };
    if (grant.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  private prune(): void {
    const t = this.now();
    for (const [token, g] of this.grants) if (g.expiresAt <= t) this.grants.delete(token);
  }
}

/** Client credentials from `Authorization: Basic` (client_secret_basic) or the form (client_secret_post). */
export function clientCredentials(req: SimRequest, form: URLSearchParams): { clientId?: string; clientSecret?: string } {
  const basic = basicAuth(req);
  if (basic) return { clientId: basic.user, clientSecret: basic.password };
  return { clientId: form.get('client_id') ?? undefined, clientSecret: form.get('client_secret') ?? undefined };
}

export function basicAuth(req: SimRequest): { user: string; password: string } | undefined {
  const auth = header(req, 'authorization');
  const match = auth ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  // RFC 6749 §2.3.1: client id and secret are form-encoded before going into Basic auth.
  return { user: safeDecode(decoded.slice(0, colon)), password: safeDecode(decoded.slice(colon + 1)) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Constant-time comparison of secrets so the simulator does not model a timing leak. */
export function secretEquals(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `application/x-www-form-urlencoded` body (token endpoints only accept that). */
export function formBody(req: SimRequest): URLSearchParams | undefined {
  const type = header(req, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(req.body);
}
