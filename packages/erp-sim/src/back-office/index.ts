import { createHash } from 'node:crypto';
import { secretEquals } from '../core/bearer-tokens';
import { header, type Headers, type SimRequest } from '../core/http-server';
import { startSim, type CommonSimOptions, type FaultShapes, type SimHandle } from '../core/sim-kit';
import { DEMO_ESTATE } from '../demo-estate';
import { handleBilling } from './billing';
import { boError, send, type BackOfficeAccountConfig, type BoCtx } from './common';
import { handleCrm } from './crm';
import { Warehouse, type WebhookDelivery } from './warehouse';

export interface BackOfficeSimOptions extends CommonSimOptions {
  accounts?: BackOfficeAccountConfig[];
}

export interface BackOfficeSimHandle extends SimHandle {
  /** Webhook calls the warehouse made (auto-shipping), oldest first. */
  webhookDeliveries(): WebhookDelivery[];
}

interface SavedResponse {
  fingerprint: string;
  status: number;
  body: unknown;
  headers: Headers;
}

const faultShapes: FaultShapes = {
  throttled: () => boError(429, 'rate_limit_error', 'rate_limited', 'Too many requests hit the API too quickly. Retry after the interval in Retry-After.'),
  serverError: () => boError(500, 'api_error', 'internal_error', 'An unexpected error occurred on our side. Retry the request.'),
};

function apiKey(req: SimRequest): string | undefined {
  const explicit = header(req, 'x-api-key');
  if (explicit) return explicit;
  return /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
}

/**
 * Generic billing, CRM and warehouse JSON APIs behind one API-key-authenticated server:
 * `/billing/v1/…`, `/crm/v1/…`, `/warehouse/v1/…`. POSTs honour `Idempotency-Key` (same key and
 * body → the saved answer again, with `Idempotent-Replayed: true`; same key, other body → 422).
 */
export async function startBackOfficeSim(opts: BackOfficeSimOptions = {}): Promise<BackOfficeSimHandle> {
  const accounts = opts.accounts ?? DEMO_ESTATE.backOffice.accounts.map((a) => ({ ...a, apiKeys: [...a.apiKeys] }));
  const configs = new Map(accounts.map((a) => [a.account, a]));
  const warehouse = new Warehouse(configs, opts.clock ?? Date.now);
  let idempotency = new Map<string, SavedResponse>();

  const sim = await startSim({
    name: 'back-office',
    options: opts,
    adminViews: { 'webhook-deliveries': () => ({ deliveries: warehouse.deliveries }) },
    onReset: (account) => {
      warehouse.reset(account);
      if (account === undefined) idempotency = new Map();
      else for (const k of [...idempotency.keys()]) if (k.startsWith(`${account}\u0000`)) idempotency.delete(k);
    },
    onClose: () => warehouse.close(),
    async handle(req, res, kit) {
      const m = /^\/(billing|crm|warehouse)\/v1(\/.*)?$/.exec(req.url.pathname);
      if (!m) return send(res, boError(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL: ${req.url.pathname}`));
      const key = apiKey(req);
      if (!key)
        return send(res, boError(401, 'authentication_error', 'missing_api_key', 'No API key provided. Send it as X-API-Key or Authorization: Bearer.'));
      const config = accounts.find((a) => a.apiKeys.some((k) => secretEquals(key, k)));
      if (!config) return send(res, boError(401, 'authentication_error', 'invalid_api_key', `Invalid API key provided: ${key.slice(0, 4)}…`));
      const account = config.account;
      if (!(await kit.gate(account, res, faultShapes))) return;

      const idemKey = req.method === 'POST' ? header(req, 'idempotency-key') : undefined;
      if (idemKey) {
        const fingerprint = createHash('sha256').update(`${req.url.pathname}\u0000${req.body}`).digest('hex');
        const saved = idempotency.get(`${account}\u0000${idemKey}`);
        if (saved) {
          if (saved.fingerprint !== fingerprint) {
            return send(
              res,
              boError(
                422,
                'idempotency_error',
                'idempotency_key_reused',
                `Keys for idempotent requests can only be used with the same parameters they were first used with. Try a different key: '${idemKey}'.`,
              ),
            );
          }
          return res.send(saved.status, saved.body, { ...saved.headers, 'Idempotent-Replayed': 'true', 'Idempotency-Key': idemKey });
        }
        // Save every answer except server errors, which the client should be able to retry.
        const original = res.send.bind(res);
        res.send = (status, body, headers = {}) => {
          if (status < 500) idempotency.set(`${account}\u0000${idemKey}`, { fingerprint, status, body, headers });
          original(status, body, { ...headers, 'Idempotency-Key': idemKey });
        };
      }
      const ctx: BoCtx = { req, res, kit, account, config };
      const rest = (m[2] ?? '')
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
      if (m[1] === 'billing') handleBilling(ctx, rest);
      else if (m[1] === 'crm') handleCrm(ctx, rest);
      else warehouse.handle(ctx, rest);
    },
  });
  return { ...sim, webhookDeliveries: () => [...warehouse.deliveries] };
}

export type { BackOfficeAccountConfig } from './common';
export type { WebhookDelivery } from './warehouse';
