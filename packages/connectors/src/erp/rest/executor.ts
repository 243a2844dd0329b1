import { NodeExecutionError, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../../define-executor';
import { evaluateNodeExpression, optionalExpression } from '../../kinds/expression-budget';
import { ErpHttp, type ErpResponse } from '../common/erp-http';
import { OAuthClientCredentials } from '../common/oauth2';
import { requireConnection, type ErpDeps, type ParsedConnection } from '../common/record-executor';
import { SecretSet } from '../common/secrets';
import { sessionKey } from '../common/token-cache';
import { restConnection, restRequest } from './kind';

const KEPT_HEADERS = ['content-type', 'location', 'etag', 'retry-after', 'link', 'x-request-id'];

/** The common error shapes of JSON APIs: `{ error: { message } }`, `{ message }`, `{ error, error_description }`, problem+json. */
export function describeRestError(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
  const message = nested?.message ?? b.error_description ?? b.message ?? b.detail ?? b.title ?? (typeof b.error === 'string' ? b.error : undefined);
  const code = nested?.code ?? (typeof b.error === 'string' && b.error_description ? b.error : undefined);
  if (typeof message !== 'string') return undefined;
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** Client for a `rest` connection: adds the preset's credentials to every request. */
export class RestClient {
  private readonly oauth?: OAuthClientCredentials;

  constructor(
    private readonly connection: ParsedConnection,
    readonly http: ErpHttp,
    deps: ErpDeps,
  ) {
    const c = connection.config as { auth: string; tokenUrl?: string; scope?: string; clientAuth: 'basic' | 'post' };
    const creds = connection.credentials as Record<string, string | undefined>;
    if (creds.username && creds.password) http.secrets.addPair(creds.username, creds.password);
    if (c.auth === 'oauth2-client-credentials') {
      this.oauth = new OAuthClientCredentials(http, deps.tokens, sessionKey('rest', connection.baseUrl, c, creds), {
        tokenUrl: c.tokenUrl ?? '',
        params: { grant_type: 'client_credentials', ...(c.scope ? { scope: c.scope } : {}) },
        clientId: creds.clientId ?? '',
        clientSecret: creds.clientSecret ?? '',
        clientAuth: c.clientAuth,
      });
    }
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const c = this.connection.config as { auth: string; apiKeyHeader: string };
    const creds = this.connection.credentials as Record<string, string>;
    switch (c.auth) {
      case 'api-key':
        return { [c.apiKeyHeader]: creds.apiKey as string };
      case 'basic':
        return { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` };
      case 'bearer':
        return { Authorization: `Bearer ${creds.token}` };
      case 'oauth2-client-credentials':
        return { Authorization: `Bearer ${await (this.oauth as OAuthClientCredentials).token()}` };
      default:
        return {};
    }
  }

  async send(method: string, path: string, options: { query?: Record<string, unknown>; headers?: Record<string, string>; json?: unknown } = {}): Promise<ErpResponse> {
    const url = new URL(`${this.connection.baseUrl}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    for (let attempt = 1; ; attempt++) {
      const auth = await this.authHeaders();
      const response = await this.http.send({ method, url, headers: { ...options.headers, ...auth }, json: options.json, idempotent: method === 'POST' });
      // A cached OAuth token the API no longer accepts: one new token, one more try.
      if (response.status === 401 && this.oauth && attempt < 2) {
        this.oauth.invalidate((auth.Authorization ?? '').slice('Bearer '.length));
        continue;
      }
      return response;
    }
  }
}

export function restClientFor(deps: ErpDeps, connection: ParsedConnection, signal: AbortSignal, context: { correlationId?: string; idempotencyKey?: string } = {}): RestClient {
  const http = new ErpHttp({
    fetch: deps.fetch,
    signal,
    secrets: new SecretSet(connection.credentials),
    system: `REST ${connection.name}`,
    now: deps.now,
    describeError: describeRestError,
    ...context,
  });
  return new RestClient(connection, http, deps);
}

export function createRestExecutor(deps: ErpDeps): NodeExecutor {
  return defineExecutor(restRequest, async (ctx, config, input) => {
    const connection = await requireConnection(ctx, config.connectionId, restConnection);
    const client = restClientFor(deps, connection, ctx.signal, { correlationId: ctx.correlationId, idempotencyKey: ctx.idempotencyKey });
    const pathExpression = optionalExpression(config.pathExpression);
    const path = pathExpression === undefined ? config.path : await evaluateNodeExpression(ctx, deps.budget, 'pathExpression', pathExpression, input);
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new NodeExecutionError(`rest.request pathExpression: must give a path starting with "/", got ${JSON.stringify(path)}`, { code: 'invalid_config', retryable: false });
    }
    const queryExpression = optionalExpression(config.query);
    const query = queryExpression === undefined ? undefined : await evaluateNodeExpression(ctx, deps.budget, 'query', queryExpression, input);
    if (query !== undefined && (query === null || typeof query !== 'object' || Array.isArray(query))) {
      throw new NodeExecutionError('rest.request query: must give an object of query parameters', { code: 'invalid_config', retryable: false });
    }
    let json: unknown;
    if (config.method !== 'GET' && config.method !== 'DELETE') {
      const bodyExpression = optionalExpression(config.body);
      json = bodyExpression === undefined ? input : await evaluateNodeExpression(ctx, deps.budget, 'body', bodyExpression, input);
    }
    const response = await client.send(config.method, path, { query: query as Record<string, unknown> | undefined, headers: config.headers, json });
    const ok = config.successStatuses ? config.successStatuses.includes(response.status) : response.status >= 200 && response.status < 300;
    if (!ok) throw client.http.failure(response, response.status === 401 || response.status === 403 ? { code: 'auth_failed', retryable: false } : {});
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { output: { status: response.status, headers, body: response.body } };
  });
}
