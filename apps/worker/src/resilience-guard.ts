import type pg from 'pg';
import { NodeExecutionError } from '@switchyard/workflow';
import {
  checkBreaker,
  loadTenantResilience,
  rateLimitFor,
  recordBreakerOutcome,
  takeToken,
  type TenantResilience,
} from '@switchyard/db';

/**
 * Per-tenant protection of outbound endpoints, shared by every worker through Postgres: a token
 * bucket per tenant × connection and a circuit breaker per tenant × endpoint host. A refusal is a
 * retryable NodeExecutionError whose `retryAfterMs` is the time until a token or until the cooldown
 * ends, so the engine parks the run on a durable timer instead of calling a failing endpoint.
 *
 * Refusals carry `countsAsAttempt: false`: nothing was sent, so the engine reschedules the step
 * without using up one of its attempts (a long-open breaker does not dead-letter runs). A short wait
 * for a token is still taken in process (up to `maxInlineWaitMs`) to save a park-and-reclaim.
 */

export interface CallTarget {
  /** The rate-limit bucket: the node's `connection`, else the host. */
  connectionKey: string;
  /** host[:port] of the endpoint: the breaker's key. */
  host: string;
}

export type CallOutcome = 'success' | 'failure' | 'ignore';

export interface ResilienceGuardOptions {
  /** How long a tenant's settings are cached (policy edits apply within this time). Default 5 s. */
  cacheMs?: number;
  /** Waits for a token up to this long in process before handing the wait to a durable timer. Default 1 s. */
  maxInlineWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class ResilienceGuard {
  private readonly cache = new Map<string, { value: TenantResilience; expires: number }>();
  private readonly cacheMs: number;
  private readonly maxInlineWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    opts: ResilienceGuardOptions = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 5000;
    this.maxInlineWaitMs = opts.maxInlineWaitMs ?? 1000;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** Resolves when the call may go out; throws a retryable NodeExecutionError when it may not yet. */
  async admit(tenantId: string, target: CallTarget, signal?: AbortSignal): Promise<void> {
    const settings = await this.settings(tenantId);
    // Breaker first: a call the breaker refuses must not spend a token.
    const breaker = await checkBreaker(this.pool, { tenantId, host: target.host, policy: settings.breaker });
    if (!breaker.allowed) {
      const what = breaker.state === 'open' ? 'is open' : 'is half-open and its trial call is still out';
      throw new NodeExecutionError(`circuit breaker for ${target.host} ${what}: retrying in ${breaker.retryAfterMs} ms`, {
        code: 'circuit_open',
        retryable: true,
        countsAsAttempt: false,
        retryAfterMs: breaker.retryAfterMs,
      });
    }
    const bucket = rateLimitFor(settings, target.connectionKey);
    if (!bucket) return;
    let waited = 0;
    for (;;) {
      const take = await takeToken(this.pool, { tenantId, key: bucket.key, limit: bucket.limit });
      if (take.granted) return;
      if (waited + take.retryAfterMs > this.maxInlineWaitMs || signal?.aborted) {
        throw new NodeExecutionError(`rate limit for ${bucket.key} reached: next token in ${take.retryAfterMs} ms`, {
          code: 'rate_limited',
          retryable: true,
          countsAsAttempt: false,
          retryAfterMs: take.retryAfterMs,
        });
      }
      await this.sleep(take.retryAfterMs, signal);
      waited += take.retryAfterMs;
    }
  }

  /** Feeds the breaker; 'ignore' outcomes (bad config, the target's own rate limiting) say nothing about its health. */
  async record(tenantId: string, target: CallTarget, outcome: CallOutcome): Promise<void> {
    if (outcome === 'ignore') return;
    const settings = await this.settings(tenantId);
    await recordBreakerOutcome(this.pool, { tenantId, host: target.host, policy: settings.breaker, success: outcome === 'success' });
  }

  private async settings(tenantId: string): Promise<TenantResilience> {
    const cached = this.cache.get(tenantId);
    const now = this.now();
    if (cached && cached.expires > now) return cached.value;
    const value = await loadTenantResilience(this.pool, tenantId);
    this.cache.set(tenantId, { value, expires: now + this.cacheMs });
    return value;
  }
}

/**
 * What a call's result says about the endpoint's health: transport failures, timeouts, 5xx and 408
 * count against it; other answers (2xx, 4xx) show it is up; the target's own 429 and errors that
 * happen before a request is sent (invalid config, expressions) say nothing.
 */
export function outcomeOf(err: unknown): CallOutcome {
  if (err === undefined) return 'success';
  if (err instanceof NodeExecutionError) {
    if (err.code === 'network' || err.code === 'timeout') return 'failure';
    if (err.status === undefined) return 'ignore';
    if (err.status === 429) return 'ignore';
    return err.status >= 500 || err.status === 408 ? 'failure' : 'success';
  }
  // The engine aborts the executor's signal on its node timeout; the executor rethrows that reason.
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'failure';
  return 'ignore';
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
