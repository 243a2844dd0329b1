import type pg from 'pg';
import { NodeExecutionError } from '@switchyard/workflow';
import {
  checkBreaker,
  loadTenantResilience,
  rateLimitFor,
  recordBreakerOutcome,
  recordBreakerSuccesses,
  takeToken,
  type BreakerDecision,
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
 *
 * A healthy endpoint costs no database write per call: a breaker this worker saw closed with no
 * failure in a row is trusted for `breakerViewMs` (so a breaker another worker opens is seen here
 * within that time; this worker's own failures take effect at once), and successes while it looks
 * so are counted in memory and reported in batches (recordBreakerSuccesses), always before a failure
 * is recorded, so the failure ratio sees them. Failures and every transition are written at once.
 * Rate-limit tokens are still taken from the shared bucket per call: that limit must hold exactly.
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
  /** How long a breaker seen closed and healthy is trusted without reading it again. Default 1 s; 0 reads it per call. */
  breakerViewMs?: number;
  /** Successes counted in memory are reported at least this often (and before any failure). Default 1 s. */
  successFlushMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class ResilienceGuard {
  private readonly cache = new Map<string, { value: TenantResilience; expires: number }>();
  /** Breakers seen closed with no failure streak, by tenant × host: until when that view is trusted. */
  private readonly healthy = new Map<string, number>();
  /** Successes not yet reported, by tenant × host. */
  private readonly unreported = new Map<string, { tenantId: string; host: string; count: number; since: number }>();
  private readonly cacheMs: number;
  private readonly breakerViewMs: number;
  private readonly successFlushMs: number;
  private readonly maxInlineWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    opts: ResilienceGuardOptions = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 5000;
    this.maxInlineWaitMs = opts.maxInlineWaitMs ?? 1000;
    this.breakerViewMs = opts.breakerViewMs ?? 1000;
    this.successFlushMs = opts.successFlushMs ?? 1000;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** Resolves when the call may go out; throws a retryable NodeExecutionError when it may not yet. */
  async admit(tenantId: string, target: CallTarget, signal?: AbortSignal): Promise<void> {
    const settings = await this.settings(tenantId);
    // Breaker first: a call the breaker refuses must not spend a token.
    const key = breakerKey(tenantId, target.host);
    let breaker: BreakerDecision = TRUSTED;
    if ((this.healthy.get(key) ?? 0) <= this.now()) {
      breaker = await checkBreaker(this.pool, { tenantId, host: target.host, policy: settings.breaker });
      if (breaker.allowed && breaker.healthy && this.breakerViewMs > 0) this.healthy.set(key, this.now() + this.breakerViewMs);
    }
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
    const key = breakerKey(tenantId, target.host);
    const now = this.now();
    if (outcome === 'success' && (this.healthy.get(key) ?? 0) > now) {
      const pending = this.unreported.get(key) ?? { tenantId, host: target.host, count: 0, since: now };
      pending.count += 1;
      this.unreported.set(key, pending);
      if (now - pending.since >= this.successFlushMs) await this.flushSuccesses(key, settings);
      return;
    }
    this.healthy.delete(key);
    // Earlier successes first, so a failure is judged against every call made before it.
    await this.flushSuccesses(key, settings);
    await recordBreakerOutcome(this.pool, { tenantId, host: target.host, policy: settings.breaker, success: outcome === 'success' });
  }

  private async flushSuccesses(key: string, settings: TenantResilience): Promise<void> {
    const pending = this.unreported.get(key);
    if (!pending || pending.count === 0) return;
    this.unreported.delete(key);
    const input = { tenantId: pending.tenantId, host: pending.host, policy: settings.breaker };
    if (await recordBreakerSuccesses(this.pool, { ...input, count: pending.count })) return;
    // The breaker left the healthy state meanwhile (another worker's failures): a success there is a
    // transition (it ends a failure streak, or closes a half-open breaker), so record one as such.
    this.healthy.delete(key);
    await recordBreakerOutcome(this.pool, { ...input, success: true });
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

const TRUSTED: BreakerDecision = { allowed: true, trial: false, healthy: true };

function breakerKey(tenantId: string, host: string): string {
  return `${tenantId} ${host}`;
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
