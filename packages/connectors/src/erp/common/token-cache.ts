import { createHash } from 'node:crypto';

export interface IssuedToken {
  token: string;
  /** Lifetime from the token endpoint (`expires_in`); tokens without one are kept for five minutes. */
  expiresInSeconds?: number;
}

interface Entry {
  token: string;
  /** When to stop handing the token out: before it expires, so a call never starts with a dying token. */
  refreshAt: number;
}

const DEFAULT_LIFETIME_S = 300;
const MAX_EARLY_REFRESH_MS = 60_000;

/**
 * Access tokens per connection, shared by every step a worker runs: one token request per connection
 * and lifetime instead of one per call. Concurrent steps needing a token wait for the same request.
 * Tokens are refreshed before they expire (a tenth of their lifetime early, at most a minute).
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const hit = this.entries.get(key);
    if (hit && hit.refreshAt > this.now()) return hit.token;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const request = issue()
      .then((issued) => {
        const lifetimeMs = Math.max(1, issued.expiresInSeconds ?? DEFAULT_LIFETIME_S) * 1000;
        const early = Math.min(MAX_EARLY_REFRESH_MS, lifetimeMs / 10);
        this.entries.set(key, { token: issued.token, refreshAt: this.now() + lifetimeMs - early });
        return issued.token;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, request);
    return request;
  }

  /** Drops the token (after the API answered 401 for it) unless a newer one replaced it already. */
  invalidate(key: string, token?: string): void {
    const hit = this.entries.get(key);
    if (hit && (token === undefined || hit.token === token)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Cache key of a connection's session: its address and a hash of its settings and credentials, so a
 * changed secret never reuses the old token and two tenants never share one.
 */
export function sessionKey(system: string, baseUrl: string, config: unknown, credentials: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify([config, credentials])).digest('base64url');
  return `${system}|${baseUrl}|${digest}`;
}
