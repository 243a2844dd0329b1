import { startSim, type CommonSimOptions, type FaultShapes, type SimHandle } from '../core/sim-kit';
import { DEMO_ESTATE } from '../demo-estate';
import { concurrencyLimitExceeded, INVALID_LOGIN, nsError, unexpectedError } from './errors';
import { OAuth1Verifier, type LoginFailureReason, type NetSuiteTbaCredential } from './oauth1';
import { handleRecordRequest, RECORD_PREFIX } from './records-api';
import { handleSuiteQL, SUITEQL_PATH } from './suiteql-api';

export interface NetSuiteAccountConfig {
  /** The account id, sent as the OAuth `realm` (e.g. `1234567` or `1234567_SB1`). */
  accountId: string;
  credentials: NetSuiteTbaCredential[];
  /** Requests in flight before NetSuite's concurrency governance answers 429; default 5. */
  maxConcurrency?: number;
}

export interface NetSuiteSimOptions extends CommonSimOptions {
  accounts?: NetSuiteAccountConfig[];
  /** How far an `oauth_timestamp` may be from the simulator's clock; default 300 s. */
  timestampToleranceSeconds?: number;
}

export interface LoginAuditEntry {
  at: string;
  account?: string;
  consumerKey?: string;
  method: string;
  path: string;
  status: 'Success' | 'Failure';
  reason?: LoginFailureReason;
}

export interface NetSuiteSimHandle extends SimHandle {
  /** The Login Audit Trail: the reason behind every INVALID_LOGIN, newest last. */
  loginAudit(): LoginAuditEntry[];
}

const AUDIT_LIMIT = 1000;

const faultShapes: FaultShapes = {
  throttled: () => concurrencyLimitExceeded(),
  serverError: () => unexpectedError(),
};

/** NetSuite SuiteTalk REST web services: record API, SuiteQL, token-based authentication (OAuth 1.0a). */
export async function startNetSuiteSim(opts: NetSuiteSimOptions = {}): Promise<NetSuiteSimHandle> {
  const accounts = opts.accounts ?? DEMO_ESTATE.netsuite.accounts.map((a) => ({ ...a, credentials: [...a.credentials] }));
  const now = opts.clock ?? Date.now;
  const verifier = new OAuth1Verifier({
    accounts: new Map(accounts.map((a) => [a.accountId, a.credentials])),
    now,
    timestampToleranceSeconds: opts.timestampToleranceSeconds ?? 300,
  });
  const limits = new Map(accounts.map((a) => [a.accountId, a.maxConcurrency ?? 5]));
  const inFlight = new Map<string, number>();
  let audit: LoginAuditEntry[] = [];
  const record = (entry: LoginAuditEntry): void => {
    audit.push(entry);
    if (audit.length > AUDIT_LIMIT) audit = audit.slice(-AUDIT_LIMIT);
  };

  const sim = await startSim({
    name: 'netsuite',
    options: opts,
    adminViews: { 'login-audit': () => ({ entries: audit }) },
    onReset: (account) => {
      audit = account === undefined ? [] : audit.filter((e) => e.account !== account);
      if (account === undefined) verifier.reset();
    },
    async handle(req, res, kit) {
      const path = req.url.pathname;
      const isRecord = path === RECORD_PREFIX || path.startsWith(`${RECORD_PREFIX}/`);
      if (!isRecord && path !== SUITEQL_PATH) {
        const r = nsError(404, { detail: `The requested resource ${path} does not exist.`, 'o:errorCode': 'NONEXISTENT_RESOURCE', 'o:errorUrl': path });
        return res.send(r.status, r.body, r.headers);
      }
      const auth = verifier.verify(req);
      const base = { at: new Date(now()).toISOString(), method: req.method, path };
      if (!auth.ok) {
        record({
          ...base,
          status: 'Failure',
          reason: auth.reason,
          ...(auth.account ? { account: auth.account } : {}),
          ...(auth.consumerKey ? { consumerKey: auth.consumerKey } : {}),
        });
        return res.send(INVALID_LOGIN.status, INVALID_LOGIN.body, INVALID_LOGIN.headers);
      }
      const account = auth.account;
      record({ ...base, status: 'Success', account, consumerKey: auth.credential.consumerKey });

      // Concurrency governance counts requests in flight per account, slow ones included.
      const busy = inFlight.get(account) ?? 0;
      if (busy >= (limits.get(account) ?? 5)) {
        const r = concurrencyLimitExceeded();
        return res.send(r.status, r.body, r.headers);
      }
      inFlight.set(account, busy + 1);
      res.onClose(() => inFlight.set(account, (inFlight.get(account) ?? 1) - 1));

      if (!(await kit.gate(account, res, faultShapes))) return;
      if (isRecord) handleRecordRequest({ req, res, kit, account });
      else handleSuiteQL(req, res, kit, account);
    },
  });
  return { ...sim, loginAudit: () => [...audit] };
}

export type { NetSuiteTbaCredential, LoginFailureReason } from './oauth1';
export { NETSUITE_RECORD_TYPES, type NetSuiteRecordType } from './record-types';
