import { randomBytes } from 'node:crypto';
import { secretEquals } from '../core/bearer-tokens';

interface Session {
  principal: string;
  token: string;
  expiresAt: number;
}

/**
 * SAP Gateway's CSRF protection: a `GET`/`HEAD` with `x-csrf-token: Fetch` opens a session (cookie)
 * and returns its token; a modifying request must send that token *and* the session cookie, for the
 * same user. A token without its cookie (a new connection, a dropped cookie jar) fails.
 */
export class CsrfSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number,
    private readonly cookieName: (systemId: string, client: string) => string,
    private readonly ttlMs: number,
  ) {}

  /** Returns the session's token, creating the session when the request carries none valid. */
  fetch(principal: string, systemId: string, client: string, cookieHeader: string | undefined): { token: string; setCookie: string[] } {
    const name = this.cookieName(systemId, client);
    const existingId = readCookie(cookieHeader, name);
    const existing = existingId ? this.sessions.get(existingId) : undefined;
    if (existing && existing.principal === principal && existing.expiresAt > this.now()) return { token: existing.token, setCookie: [] };
    if (this.sessions.size >= 10_000) for (const [id, s] of this.sessions) if (s.expiresAt <= this.now()) this.sessions.delete(id);
    const sessionId = randomBytes(24).toString('base64url');
    const token = randomBytes(16).toString('base64');
    this.sessions.set(sessionId, { principal, token, expiresAt: this.now() + this.ttlMs });
    return {
      token,
      setCookie: [`${name}=${sessionId}; path=/; HttpOnly`, `sap-usercontext=sap-client=${client}; path=/`],
    };
  }

  validate(principal: string, systemId: string, client: string, cookieHeader: string | undefined, token: string | undefined): boolean {
    const sessionId = readCookie(cookieHeader, this.cookieName(systemId, client));
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!session || session.principal !== principal || session.expiresAt <= this.now()) return false;
    return secretEquals(token, session.token);
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
