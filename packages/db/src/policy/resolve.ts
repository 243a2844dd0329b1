import type { RetryPolicy } from '@switchyard/workflow';
import {
  ANY_CONNECTION,
  PLATFORM_POLICY,
  parseTenantPolicy,
  parseWorkflowPolicy,
  type BreakerPolicy,
  type NodePolicyOverride,
  type PlatformPolicy,
  type RateLimit,
  type TenantPolicy,
  type WorkflowPolicy,
} from './schema';

/**
 * Pure policy inheritance: platform → tenant → workflow → node, each value tagged with the level it
 * came from, so the UI can say *why* a node retries five times. The database loaders are in
 * repositories/policies.ts; the worker uses `runDefaults` and `tenantResilience` directly.
 */

export type PolicySource = 'platform' | 'tenant' | 'workflow' | 'node';

export interface Explained<T> {
  value: T;
  source: PolicySource;
}

export interface EffectivePolicy {
  retry: { [K in keyof RetryPolicy]: Explained<RetryPolicy[K]> };
  timeoutMs: Explained<number>;
  maxConcurrentRuns: Explained<number>;
  priority: Explained<number>;
  retentionDays: Explained<number>;
  slaSeconds: Explained<number>;
  breaker: { [K in keyof BreakerPolicy]: Explained<BreakerPolicy[K]> };
  /** By connection key (`*` = any connection not listed); empty when nothing is limited. */
  rateLimits: Record<string, Explained<RateLimit>>;
}

export interface PolicyLevels {
  tenant?: TenantPolicy | null;
  workflow?: WorkflowPolicy | null;
  node?: NodePolicyOverride | null;
  platform?: PlatformPolicy;
}

type Layer = { source: PolicySource; values: Record<string, unknown> | undefined };

/** The most specific level that sets `key` wins. */
function pick<T>(layers: Layer[], key: string, fallback: T): Explained<T> {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const value = layer.values?.[key];
    if (value !== undefined) return { value: value as T, source: layer.source };
  }
  return { value: fallback, source: 'platform' };
}

function pickAll<T extends object>(layers: Layer[], fallback: T): { [K in keyof T]: Explained<T[K]> } {
  const out: Record<string, Explained<unknown>> = {};
  for (const key of Object.keys(fallback)) out[key] = pick(layers, key, (fallback as Record<string, unknown>)[key]);
  return out as { [K in keyof T]: Explained<T[K]> };
}

export function explainPolicy(levels: PolicyLevels): EffectivePolicy {
  const platform = levels.platform ?? PLATFORM_POLICY;
  const tenant = levels.tenant ?? undefined;
  const workflow = levels.workflow ?? undefined;
  const node = levels.node ?? undefined;
  const top: Layer[] = [
    { source: 'tenant', values: tenant },
    { source: 'workflow', values: workflow },
    { source: 'node', values: node as Record<string, unknown> | undefined },
  ];
  const retryLayers: Layer[] = [
    { source: 'tenant', values: tenant?.retry },
    { source: 'workflow', values: workflow?.retry },
    { source: 'node', values: node?.retry },
  ];
  const rateLimits: Record<string, Explained<RateLimit>> = {};
  for (const [key, limit] of Object.entries(platform.rateLimits)) rateLimits[key] = { value: limit, source: 'platform' };
  for (const [key, limit] of Object.entries(tenant?.rateLimits ?? {})) rateLimits[key] = { value: limit, source: 'tenant' };
  return {
    retry: pickAll(retryLayers, platform.retry),
    timeoutMs: pick(top, 'timeoutMs', platform.timeoutMs),
    // Tenant-level settings: a workflow or node cannot widen the tenant's bulkhead.
    maxConcurrentRuns: pick(top.slice(0, 1), 'maxConcurrentRuns', platform.maxConcurrentRuns),
    priority: pick(top.slice(0, 2), 'priority', platform.priority),
    retentionDays: pick(top.slice(0, 2), 'retentionDays', platform.retentionDays),
    slaSeconds: pick(top.slice(0, 2), 'slaSeconds', platform.slaSeconds),
    breaker: pickAll([{ source: 'tenant', values: tenant?.breaker }], platform.breaker),
    rateLimits,
  };
}

/** Engine defaults for one run (tenant, then workflow, over the platform): the node level is the engine's. */
export interface RunPolicyDefaults {
  retry: Partial<RetryPolicy>;
  timeoutMs?: number;
}

/**
 * What the worker passes to the engine as its defaults. Stored policies were validated when written;
 * a level that no longer parses (edited by hand) is ignored rather than failing every run.
 */
export function runDefaults(tenantPolicy: unknown, workflowPolicy: unknown): RunPolicyDefaults {
  const tenant = tenantPolicy == null ? undefined : parseTenantPolicy(tenantPolicy);
  const workflow = workflowPolicy == null ? undefined : parseWorkflowPolicy(workflowPolicy);
  const t = tenant?.ok ? tenant.policy : undefined;
  const w = workflow?.ok ? workflow.policy : undefined;
  const out: RunPolicyDefaults = { retry: { ...t?.retry, ...w?.retry } };
  const timeoutMs = w?.timeoutMs ?? t?.timeoutMs;
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  return out;
}

/** A tenant's rate limits and breaker settings, merged over the platform's (for the worker's guard). */
export interface TenantResilience {
  rateLimits: Record<string, RateLimit>;
  breaker: BreakerPolicy;
}

export function tenantResilience(tenantPolicy: TenantPolicy | null | undefined, platform: PlatformPolicy = PLATFORM_POLICY): TenantResilience {
  return {
    rateLimits: { ...platform.rateLimits, ...tenantPolicy?.rateLimits },
    breaker: { ...platform.breaker, ...tenantPolicy?.breaker },
  };
}

/** The bucket that governs calls on `connectionKey`: its own, else the tenant's `*`, else none. */
export function rateLimitFor(resilience: TenantResilience, connectionKey: string): { key: string; limit: RateLimit } | null {
  const own = resilience.rateLimits[connectionKey];
  if (own) return { key: connectionKey, limit: own };
  const any = resilience.rateLimits[ANY_CONNECTION];
  // The `*` limit is per connection, not one bucket shared by all of them.
  return any ? { key: connectionKey, limit: any } : null;
}
