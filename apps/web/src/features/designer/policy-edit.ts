import type { GraphIssue, NodePolicy, RetryPolicy } from '@switchyard/workflow';

/**
 * The per-node retry and timeout overrides as form fields. An empty field means "inherit": the key
 * is removed, and a policy left empty is removed from the node altogether, so the graph JSON says
 * only what the node overrides.
 */
export type RetryKey = keyof RetryPolicy;
export type PolicyField = { kind: 'retry'; key: RetryKey } | { kind: 'timeout' };

export interface PolicyFieldSpec {
  field: PolicyField;
  id: string;
  label: string;
  unit: string;
  integer: boolean;
  hint: string;
}

export const POLICY_FIELDS: readonly PolicyFieldSpec[] = [
  { field: { kind: 'retry', key: 'maxAttempts' }, id: 'max-attempts', label: 'Max attempts', unit: '', integer: true, hint: 'Attempts in all, the first included (1 = no retry).' },
  { field: { kind: 'retry', key: 'initialDelayMs' }, id: 'initial-delay', label: 'Initial delay', unit: 'ms', integer: true, hint: 'Wait before the first retry.' },
  { field: { kind: 'retry', key: 'backoffFactor' }, id: 'backoff-factor', label: 'Backoff factor', unit: '×', integer: false, hint: 'Each retry waits this many times longer than the one before.' },
  { field: { kind: 'retry', key: 'maxDelayMs' }, id: 'max-delay', label: 'Delay cap', unit: 'ms', integer: true, hint: 'No wait is longer than this.' },
  { field: { kind: 'retry', key: 'jitter' }, id: 'jitter', label: 'Jitter', unit: '0–1', integer: false, hint: 'Share of each wait taken away at random, so retries of many runs spread out.' },
  { field: { kind: 'timeout' }, id: 'timeout', label: 'Timeout', unit: 'ms', integer: true, hint: 'One attempt taking longer fails (and is retried).' },
];

export function policyValue(policy: NodePolicy | undefined, field: PolicyField): number | undefined {
  return field.kind === 'timeout' ? policy?.timeoutMs : policy?.retry?.[field.key];
}

export function withPolicyValue(policy: NodePolicy | undefined, field: PolicyField, value: number | undefined): NodePolicy | undefined {
  const next: NodePolicy = { ...policy };
  if (field.kind === 'timeout') {
    if (value === undefined) delete next.timeoutMs;
    else next.timeoutMs = value;
  } else {
    const retry: Partial<RetryPolicy> = { ...policy?.retry };
    if (value === undefined) delete retry[field.key];
    else retry[field.key] = value;
    if (Object.keys(retry).length > 0) next.retry = retry;
    else delete next.retry;
  }
  return Object.keys(next).length > 0 ? next : undefined;
}

/** Validation messages about one policy field (paths like `nodes[3].policy.retry.jitter`). */
export function policyFieldIssues(issues: readonly GraphIssue[], field: PolicyField): string[] {
  const suffix = field.kind === 'timeout' ? '.policy.timeoutMs' : `.policy.retry.${field.key}`;
  return issues.filter((i) => i.path.endsWith(suffix)).map((i) => i.message);
}

/** "30000" as "30 s", so a number of milliseconds reads at a glance. */
export function humanMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(2)} min`;
  return `${+(ms / 3_600_000).toFixed(2)} h`;
}

export const SOURCE_LABEL: Record<string, string> = {
  platform: 'platform default',
  tenant: 'tenant policy',
  workflow: 'workflow policy',
  node: 'this node',
};
