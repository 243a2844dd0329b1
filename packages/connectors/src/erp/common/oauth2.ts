import type { ErpHttp } from './erp-http';
import type { TokenCache } from './token-cache';

export interface TokenGrant {
  tokenUrl: string;
  /** `grant_type` and its parameters (scope, refresh_token, …). */
  params: Record<string, string>;
  clientId: string;
  clientSecret: string;
  /** RFC 6749 §2.3.1: HTTP Basic (`client_secret_basic`) or form fields (`client_secret_post`). */
  clientAuth: 'basic' | 'post';
}

/**
 * OAuth 2.0 access tokens for one connection: requested from the token endpoint when the cache has
 * none (or it is about to expire), shared by concurrent steps, and dropped when the API refuses it.
 * A refused token request is permanent (wrong client id or secret, revoked refresh token); throttling
 * and server errors there are retryable like any other call.
 */
export class OAuthClientCredentials {
  constructor(
    private readonly http: ErpHttp,
    private readonly cache: TokenCache,
    private readonly key: string,
    private readonly grant: TokenGrant,
  ) {
    http.secrets.add(grant.clientSecret);
    for (const [name, value] of Object.entries(grant.params)) if (name !== 'grant_type' && name !== 'scope') http.secrets.add(value);
  }

  async token(): Promise<string> {
    const token = await this.cache.get(this.key, () => this.issue());
    this.http.secrets.add(token);
    return token;
  }

  invalidate(token: string): void {
    this.cache.invalidate(this.key, token);
  }

  private async issue(): Promise<{ token: string; expiresInSeconds?: number }> {
    const form = new URLSearchParams(this.grant.params);
    const headers: Record<string, string> = {};
    if (this.grant.clientAuth === 'basic') {
      const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
      headers.Authorization = `Basic ${Buffer.from(`${encode(this.grant.clientId)}:${encode(this.grant.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', this.grant.clientId);
      form.set('client_secret', this.grant.clientSecret);
    }
    const response = await this.http.send({ method: 'POST', url: this.grant.tokenUrl, headers, form });
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (response.status === 200 && typeof body?.access_token === 'string' && body.access_token !== '') {
      this.http.secrets.add(body.access_token);
      const expires = Number(body.expires_in);
      return { token: body.access_token, ...(Number.isFinite(expires) && expires > 0 ? { expiresInSeconds: expires } : {}) };
    }
    if (response.status === 200) throw this.http.permanent('auth_failed', `the token endpoint answered 200 without an access_token`);
    const refused = response.status === 400 || response.status === 401 || response.status === 403;
    throw this.http.failure(response, refused ? { code: 'auth_failed', retryable: false, hint: '(the token endpoint refused the credentials)' } : {});
  }
}
