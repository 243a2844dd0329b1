import { BearerTokens, clientCredentials, formBody, secretEquals } from '../core/bearer-tokens';
import type { SimRequest, SimResponse } from '../core/http-server';
import { startSim, type CommonSimOptions, type FaultShapes, type SimHandle, type VendorReply } from '../core/sim-kit';
import { DEMO_ESTATE } from '../demo-estate';
import { handleApi, type BcCompany } from './api';
import { aadError, bcErrors } from './errors';

export interface BusinessCentralTenantConfig {
  /** Microsoft Entra tenant id (the simulator's account key). */
  tenantId: string;
  /** Environment name in `/v2.0/{tenant}/{environment}/api/v2.0`; default `production`. */
  environment?: string;
  clients: Array<{ clientId: string; clientSecret: string }>;
  companies: BcCompany[];
}

export interface BusinessCentralSimOptions extends CommonSimOptions {
  tenants?: BusinessCentralTenantConfig[];
  /** Access token lifetime; default 3599 s like Entra ID. */
  tokenTtlSeconds?: number;
  /** Server-driven page size (BC's is 20,000); `Prefer: odata.maxpagesize` can lower it per request. */
  maxPageSize?: number;
}

export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

const faultShapes: FaultShapes = { throttled: () => bcErrors.tooManyRequests(), serverError: () => bcErrors.serverError() };

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);

/**
 * Dynamics 365 Business Central API v2.0 (OData v4) plus the Microsoft identity platform's
 * client-credentials token endpoint, on one loopback server:
 *   POST /{tenant}/oauth2/v2.0/token
 *   /v2.0/{tenant}/{environment}/api/v2.0/companies(…)/…   (or the short /api/v2.0/… form)
 */
export async function startBusinessCentralSim(opts: BusinessCentralSimOptions = {}): Promise<SimHandle> {
  const tenants = opts.tenants ?? DEMO_ESTATE.businessCentral.tenants.map((t) => ({ ...t, clients: [...t.clients], companies: [...t.companies] }));
  const byId = new Map(tenants.map((t) => [t.tenantId.toLowerCase(), t]));
  const now = opts.clock ?? Date.now;
  const tokens = new BearerTokens(now, 'bc.');
  const ttl = opts.tokenTtlSeconds ?? 3599;

  const token = (req: SimRequest, res: SimResponse, tenantId: string): void => {
    if (req.method !== 'POST') return reply(res, aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.'));
    const tenant = byId.get(tenantId.toLowerCase());
    if (!tenant)
      return reply(
        res,
        aadError(
          400,
          'invalid_tenant',
          90002,
          `Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        ),
      );
    const form = formBody(req);
    if (!form) return reply(res, aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'."));
    const grant = form.get('grant_type');
    if (!grant) return reply(res, aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'."));
    if (grant !== 'client_credentials')
      return reply(res, aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`));
    const { clientId, clientSecret } = clientCredentials(req, form);
    if (!clientId) return reply(res, aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'."));
    const client = tenant.clients.find((c) => c.clientId === clientId);
    if (!client)
      return reply(
        res,
        aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.tenantId}'.`),
      );
    if (!clientSecret)
      return reply(
        res,
        aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
      );
    if (!secretEquals(clientSecret, client.clientSecret))
      return reply(
        res,
        aadError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        ),
      );
    const scope = form.get('scope');
    if (!scope) return reply(res, aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'."));
    if (scope !== BC_SCOPE) {
      return reply(
        res,
        aadError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI): ${BC_SCOPE}.`,
        ),
      );
    }
    const issued = tokens.issue(tenant.tenantId, clientId, ttl);
    res.send(200, { token_type: 'Bearer', expires_in: issued.expiresInSeconds, ext_expires_in: issued.expiresInSeconds, access_token: issued.token });
  };

  return startSim({
    name: 'business-central',
    options: opts,
    async handle(req, res, kit) {
      const path = req.url.pathname;
      const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
      if (tokenPath) return token(req, res, decodeURIComponent(tokenPath[1] as string));
      const long = /^\/v2\.0\/([^/]+)\/([^/]+)\/api\/v2\.0(\/.*)?$/.exec(path);
      const short = /^\/api\/v2\.0(\/.*)?$/.exec(path);
      if (!long && !short) return reply(res, bcErrors.noSuchSegment(path));

      const auth = tokens.check(req);
      const pathTenant = long ? decodeURIComponent(long[1] as string) : undefined;
      if (!auth.ok)
        return reply(res, bcErrors.unauthorized(pathTenant, auth.reason === 'expired' ? 'The access token expired' : 'The access token is missing or invalid'));
      const tenant = byId.get(auth.grant.account.toLowerCase()) as BusinessCentralTenantConfig;
      if (pathTenant !== undefined && pathTenant.toLowerCase() !== tenant.tenantId.toLowerCase())
        return reply(res, bcErrors.unauthorized(pathTenant, 'The access token was issued for a different tenant'));
      const environment = long ? decodeURIComponent(long[2] as string) : (tenant.environment ?? 'production');
      if (environment !== (tenant.environment ?? 'production')) return reply(res, bcErrors.notFound(`environment '${environment}'`));

      const account = tenant.tenantId;
      if (!(await kit.gate(account, res, faultShapes))) return;
      const prefix = long ? `/v2.0/${long[1]}/${long[2]}/api/v2.0` : '/api/v2.0';
      handleApi(
        { req, res, kit, account, companies: tenant.companies, root: `${req.origin}${prefix}`, maxPageSize: opts.maxPageSize ?? 20_000 },
        (long ? long[3] : short?.[1]) ?? '',
      );
    },
  });
}
