import { describe, expect, it } from 'vitest';
import { PLATFORM_DEFAULTS, computeBackoffMs, effectivePolicy, resolvePolicy, retryDelayMs } from '../src/index';

const policy = { maxAttempts: 6, initialDelayMs: 100, backoffFactor: 2, maxDelayMs: 1000, jitter: 0 };

describe('computeBackoffMs', () => {
  it('grows exponentially from the initial delay and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => computeBackoffMs(policy, attempt, () => 0.7));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes at most `jitter` of the delay away, never adds to it', () => {
    const jittered = { ...policy, jitter: 0.2 };
    expect(computeBackoffMs(jittered, 3, () => 0)).toBe(400);
    expect(computeBackoffMs(jittered, 3, () => 0.5)).toBe(360);
    expect(computeBackoffMs(jittered, 3, () => 0.999_999)).toBe(320);
    // At the cap jitter still only shortens: the cap is a hard upper bound.
    for (const r of [0, 0.25, 0.5, 0.75, 0.999]) {
      const d = computeBackoffMs(jittered, 10, () => r);
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });

  it('full jitter spans [0, capped]', () => {
    const full = { ...policy, jitter: 1 };
    expect(computeBackoffMs(full, 2, () => 0)).toBe(200);
    expect(computeBackoffMs(full, 2, () => 0.999_999)).toBe(0);
  });

  it('clamps a misbehaving random source into [0, 1]', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(computeBackoffMs(jittered, 1, () => 7)).toBe(50);
    expect(computeBackoffMs(jittered, 1, () => -3)).toBe(100);
  });
});

describe('retryDelayMs', () => {
  it('honours a longer Retry-After and ignores a shorter one', () => {
    expect(retryDelayMs(policy, 1, () => 0, 5000)).toBe(5000);
    expect(retryDelayMs(policy, 3, () => 0, 10)).toBe(400);
    expect(retryDelayMs(policy, 3, () => 0)).toBe(400);
  });
});

describe('effectivePolicy', () => {
  it('reports platform defaults when the node sets nothing', () => {
    const explained = effectivePolicy({});
    expect(explained.retry.maxAttempts).toEqual({ value: 3, source: 'platform' });
    expect(explained.retry.initialDelayMs).toEqual({ value: 500, source: 'platform' });
    expect(explained.retry.backoffFactor).toEqual({ value: 2, source: 'platform' });
    expect(explained.retry.maxDelayMs).toEqual({ value: 30_000, source: 'platform' });
    expect(explained.retry.jitter).toEqual({ value: 0.2, source: 'platform' });
    expect(explained.timeoutMs).toEqual({ value: 30_000, source: 'platform' });
  });

  it('tags each value the node overrides with source "node" and keeps the rest', () => {
    const explained = effectivePolicy({ policy: { retry: { maxAttempts: 7 }, timeoutMs: 1234 } });
    expect(explained.retry.maxAttempts).toEqual({ value: 7, source: 'node' });
    expect(explained.retry.initialDelayMs).toEqual({ value: 500, source: 'platform' });
    expect(explained.timeoutMs).toEqual({ value: 1234, source: 'node' });
  });

  it('applies engine-level defaults under node values', () => {
    const resolved = resolvePolicy({ policy: { retry: { jitter: 0 } } }, { retry: { maxAttempts: 9 }, timeoutMs: 50 });
    expect(resolved).toEqual({ retry: { ...PLATFORM_DEFAULTS.retry, maxAttempts: 9, jitter: 0 }, timeoutMs: 50 });
  });
});
