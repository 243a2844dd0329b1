import { describe, expect, it } from 'vitest';
import { humanMs, policyFieldIssues, policyValue, withPolicyValue } from './policy-edit';

describe('per-node policy edits', () => {
  const jitter = { kind: 'retry', key: 'jitter' } as const;
  const timeout = { kind: 'timeout' } as const;

  it('sets and clears single values, dropping what becomes empty', () => {
    const a = withPolicyValue(undefined, jitter, 0.5);
    expect(a).toEqual({ retry: { jitter: 0.5 } });
    const b = withPolicyValue(a, timeout, 5000);
    expect(b).toEqual({ retry: { jitter: 0.5 }, timeoutMs: 5000 });
    expect(policyValue(b, jitter)).toBe(0.5);
    expect(withPolicyValue(b, jitter, undefined)).toEqual({ timeoutMs: 5000 });
    expect(withPolicyValue(withPolicyValue(b, jitter, undefined), timeout, undefined)).toBeUndefined();
  });

  it('finds the validation messages of a field', () => {
    const issues = [
      { path: 'nodes[2].policy.retry.jitter', code: 'invalid_schema' as const, message: 'too big' },
      { path: 'nodes[2].policy.timeoutMs', code: 'invalid_schema' as const, message: 'too small' },
    ];
    expect(policyFieldIssues(issues, jitter)).toEqual(['too big']);
    expect(policyFieldIssues(issues, timeout)).toEqual(['too small']);
  });

  it('reads milliseconds at a glance', () => {
    expect(humanMs(500)).toBe('500 ms');
    expect(humanMs(30_000)).toBe('30 s');
    expect(humanMs(90_000)).toBe('1.5 min');
  });
});
