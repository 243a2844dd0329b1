import { BearerTokens, clientCredentials, formBody, secretEquals } from '../core/bearer-tokens';
import type { SimRequest, SimResponse } from '../core/http-server';
import type { RecordStore } from '../core/record-store';
import { startSim, type CommonSimOptions, type FaultShapes, type SimHandle } from '../core/sim-kit';
import { DEMO_ESTATE } from '../demo-estate';
import { handleCommon, handleFinancial, wdError, type WdCtx } from './resources';

export interface WorkdayWorkerSeed {
  id: string;
  descriptor: string;
  [field: string]: unknown;
}

export interface WorkdayTenantConfig {
  tenant: string;
  /** API clients for integrations, each with the refresh tokens issued to it. */
  clients: Array<{ clientId: string; clientSecret: string; refreshTokens: string[] }>;
  /** Workers present in the tenant (restored on reset). */
  workers?: WorkdayWorkerSeed[];
}

export interface WorkdaySimOptions extends CommonSimOptions {
  tenants?: WorkdayTenantConfig[];
  /** Access tokens expire quickly; default 900 s. */
  accessTokenTtlSeconds?: number;
}

const faultShapes: FaultShapes = {
  throttled: () => wdError(429, 'Too many requests. Retry after the interval in the Retry-After header.'),
  serverError: () => wdError(500, 'An internal error occurred. Contact your Workday administrator if the problem persists.'),
};

function seedWorkers(store: RecordStore, tenants: WorkdayTenantConfig[], only?: string): void {
  for (const t of tenants) {
    if (only !== undefined && t.tenant !== only) continue;
    for (const w of t.workers ?? []) {
      const { id, ...data } = w;
      if (!store.get(t.tenant, 'workers', id)) store.insert(t.tenant, 'workers', id, data);
    }
  }
}

/**
 * Workday REST: OAuth 2.0 refresh-token grant at `/ccx/oauth2/{tenant}/token`, workers and their
 * costing allocations at `/ccx/api/v1/{tenant}`, accounting journals at
 * `/ccx/api/financialManagement/v1/{tenant}`.
 */
export async function startWorkdaySim(opts: WorkdaySimOptions = {}): Promise<SimHandle> {
  const tenants: WorkdayTenantConfig[] =
    opts.tenants ??
    DEMO_ESTATE.workday.tenants.map((t) => ({
      ...t,
      clients: t.clients.map((c) => ({ ...c, refreshTokens: [...c.refreshTokens] })),
      workers: t.workers.map((w) => ({ ...w })),
    }));
  const byName = new Map(tenants.map((t) => [t.tenant, t]));
  const now = opts.clock ?? Date.now;
  const tokens = new BearerTokens(now, 'wd.');

  const token = (req: SimRequest, res: SimResponse, tenantName: string): void => {
    const tenant = byName.get(tenantName);
    if (!tenant) return res.send(404, { error: 'invalid_request', error_description: `Unknown tenant '${tenantName}'` });
    const form = formBody(req);
    if (req.method !== 'POST' || !form) return res.send(400, { error: 'invalid_request', error_description: 'POST an application/x-www-form-urlencoded body' });
    const { clientId, clientSecret } = clientCredentials(req, form);
    const client = tenant.clients.find((c) => c.clientId === clientId);
    if (!client || !secretEquals(clientSecret, client.clientSecret))
      return res.send(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const grant = form.get('grant_type');
    if (grant !== 'refresh_token')
      return res.send(400, {
        error: 'unsupported_grant_type',
        error_description: `grant_type '${grant ?? ''}' is not supported for API clients for integrations; use refresh_token`,
      });
    const refresh = form.get('refresh_token');
    if (!refresh || !client.refreshTokens.some((t) => secretEquals(refresh, t)))
      return res.send(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
    const issued = tokens.issue(tenant.tenant, client.clientId, opts.accessTokenTtlSeconds ?? 900);
    res.send(200, { access_token: issued.token, token_type: 'Bearer', refresh_token: refresh, expires_in: issued.expiresInSeconds });
  };

  return startSim({
    name: 'workday',
    options: opts,
    onReset: (account, store) => seedWorkers(store, tenants, account),
    async handle(req, res, kit) {
      const path = req.url.pathname;
      const tokenPath = /^\/ccx\/oauth2\/([^/]+)\/token$/.exec(path);
      if (tokenPath) return token(req, res, decodeURIComponent(tokenPath[1] as string));
      const api = /^\/ccx\/api\/(v1|financialManagement\/v1)\/([^/]+)(\/.*)?$/.exec(path);
      if (!api) return res.send(404, { error: 'Resource not found' });
      const tenantName = decodeURIComponent(api[2] as string);
      const auth = tokens.check(req);
      if (!auth.ok) {
        const description =
          auth.reason === 'expired' ? 'The access token expired' : auth.reason === 'missing' ? 'No access token was sent' : 'The access token is invalid';
        return res.send(
          401,
          { error: 'invalid_token', error_description: description },
          { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` },
        );
      }
      if (auth.grant.account !== tenantName)
        return res.send(401, { error: 'invalid_token', error_description: `The access token is not valid for tenant '${tenantName}'` });
      if (!(await kit.gate(tenantName, res, faultShapes))) return;
      const rest = (api[3] ?? '')
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
      const base = `${req.origin}/ccx/api`;
      const ctx: WdCtx = { req, res, kit, tenant: tenantName, commonRoot: `${base}/v1/${api[2]}`, financialRoot: `${base}/financialManagement/v1/${api[2]}` };
      if (api[1] === 'v1') handleCommon(ctx, rest);
      else handleFinancial(ctx, rest);
    },
  });
}
