import { takeToken, type RateLimit } from '@switchyard/db';
import type { ApiDatabase } from '../trpc';

// Per-tenant ingress rate limit: one token bucket per tenant shared by every web process (the
// rate_limit_buckets table, drawn from in small batches: see checkIngressRateLimit), so a tenant flooding its hooks gets 429s instead of filling the queue
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

/**
 * Tokens are taken from the shared bucket in small batches (what the limit refills in
 * BATCH_WINDOW_MS) and handed out here, so a busy ingress does not write the bucket row per request
 * while every process still draws from the one bucket: the tenant's limit holds across processes.
 * Tokens left unused when they expire are lost, which only errs on the strict side.
 */
const BATCH_WINDOW_MS = 50;
const HELD_TOKENS_MS = 100;

interface Held {
  tokens: number;
  expires: number;
  /** A take from the bucket in progress: concurrent requests wait for it instead of each taking a batch. */
  refill: Promise<IngressLimit> | null;
}

const heldByPool = new WeakMap<object, Map<string, Held>>();

export async function checkIngressRateLimit(
  db: ApiDatabase,
  tenantId: string,
  limit: RateLimit = ingressRateLimit(),
  now: () => number = Date.now,
): Promise<IngressLimit> {
  let held = heldByPool.get(db.pool);
  if (!held) heldByPool.set(db.pool, (held = new Map()));
  // Keyed by the limit too: a changed limit must not be served from tokens taken under the old one.
  const key = `${tenantId} ${limit.capacity}/${limit.refillPerSecond}`;
  for (let round = 0; round < 3; round += 1) {
    let entry = held.get(key);
    if (!entry) held.set(key, (entry = { tokens: 0, expires: 0, refill: null }));
    if (entry.tokens > 0 && entry.expires > now()) {
      entry.tokens -= 1;
      return { ok: true };
    }
    if (entry.refill) {
      const refused = await entry.refill;
      if (!refused.ok) return refused;
      continue;
    }
    const current = entry;
    current.refill = takeBatch(db, tenantId, limit, current, now);
    try {
      const outcome = await current.refill;
      if (!outcome.ok) return outcome;
    } finally {
      current.refill = null;
    }
    if (held.size > 10_000) held.clear();
  }
  // Other requests drained each batch first: take a single token for this one.
  return takeOne(db, tenantId, limit, 1);
}

async function takeBatch(db: ApiDatabase, tenantId: string, limit: RateLimit, entry: Held, now: () => number): Promise<IngressLimit> {
  const batch = Math.max(1, Math.min(Math.floor(limit.capacity), Math.floor((limit.refillPerSecond * BATCH_WINDOW_MS) / 1000)));
  if (batch > 1) {
    const taken = await takeToken(db.pool, { tenantId, key: INGRESS_BUCKET_KEY, limit, cost: batch });
    if (taken.granted) {
      entry.tokens = batch;
      entry.expires = now() + HELD_TOKENS_MS;
      return { ok: true };
    }
  }
  const single = await takeOne(db, tenantId, limit, 1);
  if (single.ok) {
    entry.tokens = 1;
    entry.expires = now() + HELD_TOKENS_MS;
  }
  return single;
}

async function takeOne(db: ApiDatabase, tenantId: string, limit: RateLimit, cost: number): Promise<IngressLimit> {
  const taken = await takeToken(db.pool, { tenantId, key: INGRESS_BUCKET_KEY, limit, cost });
  if (taken.granted) return { ok: true };
  const retryAfterSeconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  return {
    ok: false,
    retryAfterSeconds,
    reason: `this tenant's webhooks are limited to ${limit.refillPerSecond}/s (bursts of ${limit.capacity}); retry after ${retryAfterSeconds} s`,
  };
}
