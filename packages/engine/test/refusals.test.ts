import { describe, expect, it } from 'vitest';
import { NodeExecutionError } from '@switchyard/workflow';
import { CallLog, chain, driveToEnd, harness, retryable } from './fixtures';

const refused = (retryAfterMs?: number) =>
  new NodeExecutionError('circuit breaker is open', {
    code: 'circuit_open',
    retryable: true,
    countsAsAttempt: false,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('executeRun: refusals that do not count as attempts', () => {
  it('reschedules at retryAfterMs without using an attempt or recording a step', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    let refusals = 3;
    const executors = {
      http: calls.wrap(() => (refusals-- > 0 ? Promise.reject(refused(5_000)) : { output: 'done' })),
    };
    // One attempt only: a refusal that burned it would fail the run.
    const g = chain(['call'], 'http', { retry: { maxAttempts: 1 } });
    const { outcome, wakes } = await driveToEnd(h, h.claimedRun(g), executors);

    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(wakes).toEqual([5_000, 10_000, 15_000]);
    expect(calls.calls.map((c) => c.attempt)).toEqual([1, 1, 1, 1]);
    const steps = h.store.steps('run-1').filter((s) => s.nodeId === 'call');
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ attempt: 1, status: 'succeeded' });
    expect(h.store.commitsOf('run-1').filter((c) => c.status === 'queued').map((c) => c.wakeAt)).toEqual(wakes);
  });

  it('uses the backoff of the current attempt (with a floor) when the refusal names no time', async () => {
    const h = harness({ start: 0 });
    const g = chain(['call'], 'http', { retry: { initialDelayMs: 300, jitter: 0 } });
    expect(await h.run(h.claimedRun(g), { http: () => Promise.reject(refused()) })).toEqual({ kind: 'parked', wakeAt: 300 });

    const zero = harness({ start: 0 });
    expect(await zero.run(zero.claimedRun(chain(['call'], 'http')), { http: () => Promise.reject(refused(0)) })).toEqual({
      kind: 'parked',
      wakeAt: 100,
    });
  });

  it('still counts ordinary retryable failures after refusals', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    let n = 0;
    const executors = { http: calls.wrap(() => Promise.reject(n++ % 2 === 0 ? refused(1_000) : retryable())) };
    const g = chain(['call'], 'http', { retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 } });
    const { outcome } = await driveToEnd(h, h.claimedRun(g), executors);
    expect(outcome).toEqual({ kind: 'finished', status: 'failed' });
    // refused, failed (attempt 1), refused, failed (attempt 2): two real attempts, two step records.
    expect(calls.calls.map((c) => c.attempt)).toEqual([1, 1, 2, 2]);
    expect(h.store.steps('run-1').filter((s) => s.nodeId === 'call').map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('a refusal is permanent when not retryable', async () => {
    const h = harness({ start: 0 });
    const err = new NodeExecutionError('refused for good', { code: 'circuit_open', retryable: false, countsAsAttempt: false });
    const { outcome } = await driveToEnd(h, h.claimedRun(chain(['call'], 'http')), { http: () => Promise.reject(err) });
    expect(outcome).toEqual({ kind: 'finished', status: 'failed' });
    expect(h.store.latest('run-1')?.error).toEqual({ code: 'circuit_open', message: 'refused for good', retryable: false, nodeId: 'call' });
  });
});
