import { z } from 'zod';
import { RetryPolicySchema, formatPath, parseWithPhrases, type RetryPolicy } from '@switchyard/workflow';

/**
 * Policy overrides stored per tenant and per workflow (tables tenant_policies, workflow_policies).
 * Inheritance: platform defaults → tenant → workflow → node. Bulkheads, rate limits and breakers
 * protect a tenant's shared connections, so they exist at tenant level only; retries, timeouts,
 * priority and retention can be narrowed per workflow (and retries/timeouts per node, in the graph).
 * Objects are strict: a misspelt key is an error with its path, not a silently ignored setting.
 */

export const RateLimitSchema = z.strictObject({
  /** Bucket size: the burst a connection accepts. */
  capacity: z.number().int().min(1).max(1_000_000),
  /** Sustained rate. */
  refillPerSecond: z.number().positive().max(1_000_000),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

export const BreakerPolicySchema = z.strictObject({
  /** Opens after this many failures in a row. */
  failureThreshold: z.number().int().min(1).max(10_000),
  /** …or when this share of the calls in the window failed (once `minimumCalls` were made). */
  failureRatio: z.number().gt(0).max(1),
  minimumCalls: z.number().int().min(1).max(100_000),
  /** How long it stays open before one trial call is let through (half-open). */
  cooldownMs: z.number().int().min(100).max(86_400_000),
  /** Length of the window the failure ratio is counted over. */
  windowMs: z.number().int().min(1000).max(86_400_000),
});
export type BreakerPolicy = z.infer<typeof BreakerPolicySchema>;

/** A connection id (`erp-main`), an endpoint host (`api.example.com:443`), or `*` for any other. */
export const ConnectionKeySchema = z.string().min(1).max(200);
export const ANY_CONNECTION = '*';

const retryOverride = RetryPolicySchema.partial().strict();
const timeoutMs = z.number().int().min(1).max(86_400_000);
const priority = z.number().int().min(-100).max(100);
const retentionDays = z.number().int().min(1).max(3650);
/** A run breaches its SLA when it takes longer than this from being received (created) to its end. */
const slaSeconds = z.number().int().min(1).max(30 * 86_400);

export const TenantPolicySchema = z.strictObject({
  /** Bulkhead: most runs of the tenant in status running at once, across all workers. */
  maxConcurrentRuns: z.number().int().min(1).max(10_000).optional(),
  /** Token buckets by connection key; `*` applies to connections not listed. */
  rateLimits: z.record(ConnectionKeySchema, RateLimitSchema).optional(),
  breaker: BreakerPolicySchema.partial().optional(),
  retry: retryOverride.optional(),
  timeoutMs: timeoutMs.optional(),
  priority: priority.optional(),
  retentionDays: retentionDays.optional(),
  slaSeconds: slaSeconds.optional(),
});
export type TenantPolicy = z.infer<typeof TenantPolicySchema>;

export const WorkflowPolicySchema = z.strictObject({
  retry: retryOverride.optional(),
  timeoutMs: timeoutMs.optional(),
  priority: priority.optional(),
  retentionDays: retentionDays.optional(),
  slaSeconds: slaSeconds.optional(),
});
export type WorkflowPolicy = z.infer<typeof WorkflowPolicySchema>;

/** What a node may override (the graph's NodePolicySchema has the same shape). */
export interface NodePolicyOverride {
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

export interface PlatformPolicy {
  retry: RetryPolicy;
  timeoutMs: number;
  maxConcurrentRuns: number;
  rateLimits: Record<string, RateLimit>;
  breaker: BreakerPolicy;
  priority: number;
  retentionDays: number;
  slaSeconds: number;
}

/**
 * Platform defaults. `retry` and `timeoutMs` must equal the engine's PLATFORM_DEFAULTS (db does not
 * import the engine; apps/worker's tests compare the two). No rate limit unless a tenant sets one.
 */
export const PLATFORM_POLICY: Readonly<PlatformPolicy> = Object.freeze({
  retry: Object.freeze({ maxAttempts: 3, initialDelayMs: 500, backoffFactor: 2, maxDelayMs: 30_000, jitter: 0.2 }),
  timeoutMs: 30_000,
  maxConcurrentRuns: 100,
  rateLimits: Object.freeze({}),
  breaker: Object.freeze({ failureThreshold: 5, failureRatio: 0.5, minimumCalls: 20, cooldownMs: 30_000, windowMs: 60_000 }),
  priority: 0,
  retentionDays: 30,
  // Generous on purpose: a tenant with a contract sets its own; the platform flags only the stuck.
  slaSeconds: 900,
});

export interface PolicyIssue {
  /** e.g. `rateLimits["erp-main"].capacity` */
  path: string;
  message: string;
}

export type PolicyParseResult<T> = { ok: true; policy: T } | { ok: false; issues: PolicyIssue[] };

export function parseTenantPolicy(value: unknown): PolicyParseResult<TenantPolicy> {
  return parsePolicy(TenantPolicySchema, value);
}

export function parseWorkflowPolicy(value: unknown): PolicyParseResult<WorkflowPolicy> {
  return parsePolicy(WorkflowPolicySchema, value);
}

function parsePolicy<T>(schema: z.ZodType<T>, value: unknown): PolicyParseResult<T> {
  const parsed = parseWithPhrases(schema, value);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: formatPath('', issue.path) || '(policy)', message: issue.message })),
  };
}

/** Renders issues as one sentence per field, for errors thrown at callers that pass bad policies. */
export function describePolicyIssues(issues: readonly PolicyIssue[]): string {
  return issues.map((i) => `${i.path} ${i.message}`).join('; ');
}
