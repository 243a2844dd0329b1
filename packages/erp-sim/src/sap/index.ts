import { SAP_REFERENCE } from '../reference-data';
import { basicAuth, BearerTokens, clientCredentials, formBody, secretEquals } from '../core/bearer-tokens';
import { header, type SimRequest, type SimResponse } from '../core/http-server';
import { startSim, type CommonSimOptions, type SimHandle, type VendorReply } from '../core/sim-kit';
import { DEMO_ESTATE } from '../demo-estate';
import { CsrfSessions } from './csrf';
import { CSRF_FAILED, logonFailed, sapErrors } from './errors';
import { handleJournalEntrySoap, SAP_JOURNAL_ENTRY_SOAP_PATH, soapFault } from './journal-entry-soap';
import { handleV2, isModifying } from './odata-v2';
import { SAP_SERVICES } from './services';

export interface SapSystemConfig {
  /** System id (e.g. `S4C`): the simulator's account key, used in cookie names and the logon realm. */
  systemId: string;
  /** SAP client (Mandant); default `100`. */
  client?: string;
  /** Communication users for HTTP Basic authentication. */
  users: Array<{ username: string; password: string }>;
  /** OAuth 2.0 clients for `POST /sap/bc/sec/oauth2/token` (client credentials). */
  oauthClients?: Array<{ clientId: string; clientSecret: string }>;
}

export interface SapSimOptions extends CommonSimOptions {
  systems?: SapSystemConfig[];
  tokenTtlSeconds?: number;
  /** Lifetime of a CSRF session (the cookie); default 30 minutes. */
  csrfTtlSeconds?: number;
  /** Server-driven page size (`__next`); default 1000. */
  pageSize?: number;
}

export const SAP_ODATA_PREFIX = '/sap/opu/odata/sap';
export const SAP_TOKEN_PATH = '/sap/bc/sec/oauth2/token';

const reply = (res: SimResponse, r: VendorReply): void => res.send(r.status, r.body, r.headers);

interface Principal {
  system: SapSystemConfig;
  client: string;
  user: string;
}

/**
 * SAP S/4HANA Cloud OData v2 APIs (sales orders, billing documents; journal entries read-only) behind
 * SAP Gateway's rules: Basic or OAuth 2.0 bearer logon, the `x-csrf-token: Fetch` handshake with its
 * session cookie for every modifying request, `d`-wrapped JSON, ETags, and SAP's error body. Journal
 * entries are posted through the SOAP service JournalEntryCreateRequestConfirmation_In
 * (journal-entry-soap.ts), with the same logon and no CSRF handshake.
 */
export async function startSapSim(opts: SapSimOptions = {}): Promise<SimHandle> {
  const systems = opts.systems ?? DEMO_ESTATE.sap.systems.map((s) => ({ ...s, users: [...s.users], oauthClients: [...s.oauthClients] }));
  const now = opts.clock ?? Date.now;
  const tokens = new BearerTokens(now, 'sap.');
  const csrf = new CsrfSessions(now, (sid, client) => `SAP_SESSIONID_${sid}_${client}`, (opts.csrfTtlSeconds ?? 1800) * 1000);
  const clientOf = (s: SapSystemConfig): string => s.client ?? '100';

  const logon = (req: SimRequest): Principal | undefined => {
    const basic = basicAuth(req);
    if (basic) {
      for (const system of systems) {
        const user = system.users.find((u) => u.username === basic.user);
        if (user && secretEquals(basic.password, user.password)) return { system, client: clientOf(system), user: user.username };
      }
      return undefined;
    }
    const bearer = tokens.check(req);
    if (!bearer.ok) return undefined;
    const system = systems.find((s) => s.systemId === bearer.grant.account) as SapSystemConfig;
    return { system, client: clientOf(system), user: bearer.grant.clientId };
  };

  const token = (req: SimRequest, res: SimResponse): void => {
    const form = formBody(req);
    if (req.method !== 'POST' || !form) return res.send(400, { error: 'invalid_request', error_description: 'POST an application/x-www-form-urlencoded body' });
    if (form.get('grant_type') !== 'client_credentials')
      return res.send(400, { error: 'unsupported_grant_type', error_description: `grant_type '${form.get('grant_type') ?? ''}' is not supported` });
    const { clientId, clientSecret } = clientCredentials(req, form);
    for (const system of systems) {
      const c = system.oauthClients?.find((o) => o.clientId === clientId);
      if (c && secretEquals(clientSecret, c.clientSecret)) {
        const issued = tokens.issue(system.systemId, c.clientId, opts.tokenTtlSeconds ?? 3600);
        return res.send(200, {
          access_token: issued.token,
          token_type: 'bearer',
          expires_in: issued.expiresInSeconds,
          scope: SAP_SERVICES.map((s) => `${s}_0001`).join(' '),
        });
      }
    }
    res.send(401, { error: 'invalid_client', error_description: 'Bad client credentials' }, { 'WWW-Authenticate': 'Basic realm="OAuth2 Token Endpoint"' });
  };

  return startSim({
    name: 'sap',
    options: opts,
    async handle(req, res, kit) {
      const path = req.url.pathname;
      if (path === SAP_TOKEN_PATH) return token(req, res);
      if (path === SAP_JOURNAL_ENTRY_SOAP_PATH) {
        // SOAP services sit outside SAP Gateway: same logon, no CSRF handshake, faults as SOAP faults.
        const defaultSystem = systems[0] as SapSystemConfig;
        const principal = logon(req);
        if (!principal) return reply(res, logonFailed(defaultSystem.systemId, clientOf(defaultSystem)));
        const faults = {
          throttled: () => ({ status: 429, body: 'Too many requests: the communication arrangement is throttled', headers: { 'Content-Type': 'text/plain; charset=utf-8' } }),
          serverError: () => soapFault('Server', 'SRT Framework exception: the web service runtime is temporarily unavailable'),
        };
        if (!(await kit.gate(principal.system.systemId, res, faults))) return;
        return handleJournalEntrySoap(req, res, { account: principal.system.systemId, user: principal.user, kit });
      }
      const m = /^\/sap\/opu\/odata\/sap\/([A-Z0-9_]+)(\/.*)?$/i.exec(path);
      const defaultSystem = systems[0] as SapSystemConfig;
      if (!m) return reply(res, sapErrors.noService(path));
      const service = (m[1] as string).toUpperCase();
      const principal = logon(req);
      if (!principal) return reply(res, logonFailed(defaultSystem.systemId, clientOf(defaultSystem)));
      // Reference data services (company codes, G/L accounts, tax codes, payment terms): read-only lists.
      const reference = SAP_REFERENCE[service];
      if (reference) {
        if (req.method !== 'GET' || (m[2] ?? '').replace(/\/+$/, '') !== `/${reference.set}`) return reply(res, sapErrors.noService(`${service}${m[2] ?? ''}`));
        if (!(await kit.gate(principal.system.systemId, res, { throttled: () => sapErrors.throttled(service), serverError: () => sapErrors.serverError(service) }))) return;
        const root = `${req.origin}${SAP_ODATA_PREFIX}/${m[1] as string}/${reference.set}`;
        return res.send(200, { d: { results: reference.rows.map((row, i) => ({ __metadata: { uri: `${root}('${i}')`, type: `${service}.${reference.set}Type` }, ...row })) } });
      }
      if (!SAP_SERVICES.includes(service)) return reply(res, sapErrors.noService(service));

      const who = `${principal.system.systemId}/${principal.client}/${principal.user}`;
      const cookies = header(req, 'cookie');
      const headers: Record<string, string | string[]> = {};
      if (!isModifying(req.method)) {
        if ((header(req, 'x-csrf-token') ?? '').toLowerCase() === 'fetch') {
          const session = csrf.fetch(who, principal.system.systemId, principal.client, cookies);
          headers['x-csrf-token'] = session.token;
          if (session.setCookie.length) headers['Set-Cookie'] = session.setCookie;
        }
      } else if (!csrf.validate(who, principal.system.systemId, principal.client, cookies, header(req, 'x-csrf-token'))) {
        return reply(res, CSRF_FAILED);
      }

      const account = principal.system.systemId;
      const throttled = { throttled: () => sapErrors.throttled(service), serverError: () => sapErrors.serverError(service) };
      if (!(await kit.gate(account, res, throttled))) return;
      // The handshake headers ride on whatever the request itself answers.
      const send = res.send.bind(res);
      res.send = (status, body, extra = {}) => send(status, body, { ...headers, ...extra });
      handleV2(
        { req, res, kit, account, user: principal.user, service, root: `${req.origin}${SAP_ODATA_PREFIX}/${m[1] as string}`, pageSize: opts.pageSize ?? 1000 },
        m[2] ?? '',
      );
    },
  });
}
