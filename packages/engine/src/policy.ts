import type { GraphNode, RetryPolicy } from '@switchyard/workflow';

/** Engine-wide defaults a node's own policy overrides. */
export interface EngineDefaults {
  retry: RetryPolicy;
  timeoutMs: number;
}

/** What callers may override: any subset, down to single retry fields (e.g. from env). */
export interface EngineDefaultsOverride {
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

export const PLATFORM_DEFAULTS: Readonly<EngineDefaults> = Object.freeze({
  retry: Object.freeze({ maxAttempts: 3, initialDelayMs: 500, backoffFactor: 2, maxDelayMs: 30_000, jitter: 0.2 }),
  timeoutMs: 30_000,
});

export type PolicySource = 'platform' | 'node';

export interface ExplainedValue<T> {
  value: T;
  source: PolicySource;
}

/** The effective policy of a node, each value tagged with where it came from (for the designer/UI). */
export interface EffectivePolicy {
  retry: { [K in keyof RetryPolicy]: ExplainedValue<RetryPolicy[K]> };
  timeoutMs: ExplainedValue<number>;
}

export interface ResolvedPolicy {
  retry: RetryPolicy;
  timeoutMs: number;
}

export function mergeDefaults(override?: EngineDefaultsOverride): EngineDefaults {
  return {
    retry: { ...PLATFORM_DEFAULTS.retry, ...definedOnly(override?.retry ?? {}) },
    timeoutMs: override?.timeoutMs ?? PLATFORM_DEFAULTS.timeoutMs,
  };
}

/**
 * Resolves platform defaults → node policy. Tenant and workflow levels will slot in between when they
 * exist; the `source` tag is what lets the UI say *why* a node retries 5 times.
 */
export function effectivePolicy(node: Pick<GraphNode, 'policy'>, defaults: EngineDefaultsOverride = {}): EffectivePolicy {
  const base = mergeDefaults(defaults);
  const nodeRetry = node.policy?.retry ?? {};
  const pick = <K extends keyof RetryPolicy>(key: K): ExplainedValue<RetryPolicy[K]> => {
    const own = nodeRetry[key];
    return own === undefined ? { value: base.retry[key], source: 'platform' } : { value: own as RetryPolicy[K], source: 'node' };
  };
  const nodeTimeout = node.policy?.timeoutMs;
  return {
    retry: {
      maxAttempts: pick('maxAttempts'),
      initialDelayMs: pick('initialDelayMs'),
      backoffFactor: pick('backoffFactor'),
      maxDelayMs: pick('maxDelayMs'),
      jitter: pick('jitter'),
    },
    timeoutMs: nodeTimeout === undefined ? { value: base.timeoutMs, source: 'platform' } : { value: nodeTimeout, source: 'node' },
  };
}

/**
 * Resolved policies by node policy object, then by defaults object. Graphs and defaults are immutable
 * while a run executes (a published version is frozen; defaults come from the claim), so a node's
 * policy is resolved once per run instead of once per step. Frozen results: callers only read them.
 */
const resolvedCache = new WeakMap<object, WeakMap<object, ResolvedPolicy>>();
const NO_POLICY = {};
const NO_DEFAULTS = {};

/** The plain values of `effectivePolicy`, for the interpreter. */
export function resolvePolicy(node: Pick<GraphNode, 'policy'>, defaults?: EngineDefaultsOverride): ResolvedPolicy {
  const policyKey = node.policy ?? NO_POLICY;
  let byDefaults = resolvedCache.get(policyKey);
  if (!byDefaults) {
    byDefaults = new WeakMap<object, ResolvedPolicy>();
    resolvedCache.set(policyKey, byDefaults);
  }
  const cached = byDefaults.get(defaults ?? NO_DEFAULTS);
  if (cached) return cached;
  const resolved = computeResolvedPolicy(node, defaults ?? {});
  Object.freeze(resolved.retry);
  byDefaults.set(defaults ?? NO_DEFAULTS, Object.freeze(resolved));
  return resolved;
}

function computeResolvedPolicy(node: Pick<GraphNode, 'policy'>, defaults: EngineDefaultsOverride): ResolvedPolicy {
  const explained = effectivePolicy(node, defaults);
  return {
    retry: {
      maxAttempts: explained.retry.maxAttempts.value,
      initialDelayMs: explained.retry.initialDelayMs.value,
      backoffFactor: explained.retry.backoffFactor.value,
      maxDelayMs: explained.retry.maxDelayMs.value,
      jitter: explained.retry.jitter.value,
    },
    timeoutMs: explained.timeoutMs.value,
  };
}

/**
 * Delay before retrying after `attempt` (1-based) failed: initialDelay × factor^(attempt-1), capped,
 * then up to `jitter` of it taken away at random. Jitter only ever shortens the delay, so the cap holds
 * and jitter 1 is AWS-style "full jitter" (uniform in [0, capped]). `random` returns [0, 1).
 */
export function computeBackoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  const raw = policy.initialDelayMs * policy.backoffFactor ** exponent;
  const capped = Math.min(raw, policy.maxDelayMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(capped * (1 - policy.jitter * r));
}

/** A server's Retry-After wins when it asks for longer than our own backoff would wait. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const backoff = computeBackoffMs(policy, attempt, random);
  return retryAfterMs !== undefined && retryAfterMs > backoff ? Math.ceil(retryAfterMs) : backoff;
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
