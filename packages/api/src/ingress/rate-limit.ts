import { takeToken, type RateLimit } from '@switchyard/db';
import type { ApiDatabase } from '../trpc';

// Per-tenant ingress rate limit: one token bucket per tenant shared by every web process (the
// rate_limit_buckets table), so a tenant flooding its hooks gets 429s instead of filling the queue
// that every tenant's runs share.

export const INGRESS_BUCKET_KEY = 'ingress:webhooks';
export const INGRESS_RATE_ENV = 'SWITCHYARD_INGRESS_RATE_LIMIT';
export const DEFAULT_INGRESS_RATE_LIMIT: RateLimit = { capacity: 200, refillPerSecond: 50 };

/** `SWITCHYARD_INGRESS_RATE_LIMIT=<burst>/<per second>`, e.g. `200/50`; the default when unset. */
export function ingressRateLimit(env: Record<string, string | undefined> = process.env): RateLimit {
  const raw = env[INGRESS_RATE_ENV]?.trim();
  if (!raw) return DEFAULT_INGRESS_RATE_LIMIT;
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(raw);
  const capacity = match ? Number(match[1]) : NaN;
  const refillPerSecond = match ? Number(match[2]) : NaN;
  if (!(capacity >= 1 && refillPerSecond > 0)) {
    throw new Error(`${INGRESS_RATE_ENV} must be <burst>/<per second> with both above zero, e.g. 200/50 (got ${JSON.stringify(raw)})`);
  }
  return { capacity, refillPerSecond };
}

export type IngressLimit = { ok: true } | { ok: false; retryAfterSeconds: number; reason: string };

export async function checkIngressRateLimit(db: ApiDatabase, tenantId: string, limit: RateLimit = ingressRateLimit()): Promise<IngressLimit> {
  const taken = await takeToken(db.pool, { tenantId, key: INGRESS_BUCKET_KEY, limit });
  if (taken.granted) return { ok: true };
  const retryAfterSeconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  return {
    ok: false,
    retryAfterSeconds,
    reason: `this tenant's webhooks are limited to ${limit.refillPerSecond}/s (bursts of ${limit.capacity}); retry after ${retryAfterSeconds} s`,
  };
}
