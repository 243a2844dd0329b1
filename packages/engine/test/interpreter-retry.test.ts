import { describe, expect, it } from 'vitest';
import { CallLog, chain, driveToEnd, harness, permanent, retryable } from './fixtures';

describe('executeRun: retries', () => {
  it('retries with exact exponential backoff up to the cap, then fails with the last error', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const policy = { retry: { maxAttempts: 5, initialDelayMs: 100, backoffFactor: 3, maxDelayMs: 1000, jitter: 0 } };
    const g = chain(['call'], 'http', policy);
    const executors = { http: calls.wrap((ctx) => Promise.reject(retryable(`attempt ${ctx.attempt} got 503`))) };

    const { outcome, wakes } = await driveToEnd(h, h.claimedRun(g), executors);

    // 100, 300, 900, then capped at 1000.
    expect(wakes).toEqual([100, 400, 1300, 2300]);
    expect(outcome).toEqual({ kind: 'finished', status: 'failed' });
    expect(calls.calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4, 5]);
    const steps = h.store.steps('run-1').filter((s) => s.nodeId === 'call');
    expect(steps.map((s) => s.retryAt)).toEqual([100, 400, 1300, 2300, undefined]);
    expect(steps.every((s) => s.status === 'failed')).toBe(true);
    expect(h.store.latest('run-1')?.error).toEqual({ code: 'http_status', message: 'attempt 5 got 503', retryable: true, status: 503, nodeId: 'call' });
    // Every failed attempt was committed with the run parked as a durable timer.
    expect(h.store.commitsOf('run-1').filter((c) => c.status === 'queued').map((c) => c.wakeAt)).toEqual(wakes);
  });

  it('applies jitter from the injected random source within its bounds', async () => {
    for (const [random, expected] of [
      [0, 500],
      [0.5, 450],
      [0.999_999, 400],
    ] as const) {
      const h = harness({ start: 0, random: () => random });
      // Platform defaults: 500 ms initial delay, jitter 0.2.
      const outcome = await h.run(h.claimedRun(chain(['call'], 'http')), { http: () => Promise.reject(retryable()) });
      expect(outcome).toEqual({ kind: 'parked', wakeAt: expected });
    }
  });

  it('succeeds on a later attempt and carries on from there', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const executors = {
      http: calls.wrap((ctx) => (ctx.attempt < 3 ? Promise.reject(retryable()) : { output: 'done' })),
      step: calls.wrap((_ctx, _c, input) => ({ output: input })),
    };
    const g = chain(['call', 'next'], 'http');
    g.nodes[2]!.kind = 'step';
    const { outcome } = await driveToEnd(h, h.claimedRun(g), executors);
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => `${c.nodeId}#${c.attempt}`)).toEqual(['call#1', 'call#2', 'call#3', 'next#1']);
    expect(h.store.latest('run-1')?.result).toBe('done');
  });

  it('waits for Retry-After when the server asks for longer than the backoff', async () => {
    const h = harness({ start: 0 });
    const outcome = await h.run(h.claimedRun(chain(['call'], 'http')), {
      http: () => Promise.reject(retryable('429 slow down', { status: 429, retryAfterMs: 7_000 })),
    });
    expect(outcome).toEqual({ kind: 'parked', wakeAt: 7_000 });
    expect(h.store.steps('run-1')[1]).toMatchObject({ retryAt: 7_000, error: { status: 429, retryable: true } });

    const shortAsk = harness({ start: 0 });
    const short = await shortAsk.run(shortAsk.claimedRun(chain(['call'], 'http')), {
      http: () => Promise.reject(retryable('429', { status: 429, retryAfterMs: 10 })),
    });
    expect(short).toEqual({ kind: 'parked', wakeAt: 500 });
  });

  it('fails at once on a permanent error', async () => {
    const h = harness();
    const calls = new CallLog();
    const outcome = await h.run(h.claimedRun(chain(['call', 'never'], 'http')), {
      http: calls.wrap(() => Promise.reject(permanent('customer not found', 404))),
    });
    expect(outcome).toEqual({ kind: 'finished', status: 'failed' });
    expect(calls.calls).toHaveLength(1);
    const last = h.store.latest('run-1');
    expect(last?.status).toBe('failed');
    expect(last?.error).toEqual({ code: 'http_status', message: 'customer not found', retryable: false, status: 404, nodeId: 'call' });
    expect(last?.steps[0]).toMatchObject({ status: 'failed', attempt: 1 });
    expect(last?.steps[0]?.retryAt).toBeUndefined();
  });

  it('treats any other thrown value as a retryable internal error', async () => {
    const h = harness({ start: 0 });
    await h.run(h.claimedRun(chain(['call'], 'http')), { http: () => Promise.reject(new TypeError('x is undefined')) });
    expect(h.store.steps('run-1')[1]?.error).toEqual({ code: 'internal', message: 'x is undefined', retryable: true });

    const sync = harness({ start: 0 });
    const throwsSync = () => {
      throw 'plain string';
    };
    await sync.run(sync.claimedRun(chain(['call'], 'http')), { http: throwsSync });
    expect(sync.store.steps('run-1')[1]?.error).toEqual({ code: 'internal', message: 'plain string', retryable: true });
  });

  it('rejects a malformed executor result permanently', async () => {
    const h = harness();
    await h.run(h.claimedRun(chain(['call'], 'http')), { http: () => Promise.resolve(undefined as never) });
    expect(h.store.latest('run-1')?.error).toMatchObject({ code: 'invalid_result', retryable: false, nodeId: 'call' });
  });
});

describe('executeRun: timeouts', () => {
  it('aborts the executor signal at the node timeout and schedules a retry', async () => {
    const h = harness({ start: 0 });
    let seen: AbortSignal | undefined;
    const executors = {
      http: (ctx: { signal: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => {
          seen = ctx.signal;
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
    };
    const g = chain(['call'], 'http', { timeoutMs: 2_000, retry: { jitter: 0 } });
    const running = h.run(h.claimedRun(g), executors);
    await h.clock.whenSleeping();
    h.clock.advance(1_999);
    expect(seen?.aborted).toBe(false);
    h.clock.advance(1);

    expect(await running).toEqual({ kind: 'parked', wakeAt: 2_500 });
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as DOMException).name).toBe('TimeoutError');
    expect(h.store.steps('run-1')[1]).toMatchObject({
      status: 'failed',
      error: { code: 'timeout', message: 'node timed out after 2000 ms', retryable: true },
      startedAt: 0,
      finishedAt: 2_000,
      durationMs: 2_000,
      retryAt: 2_500,
    });
    expect(h.clock.pendingSleeps).toBe(0);
  });

  it('does not wait for an executor that ignores its signal', async () => {
    const h = harness({ start: 0 });
    const g = chain(['call'], 'http', { timeoutMs: 100, retry: { maxAttempts: 1 } });
    const running = h.run(h.claimedRun(g), { http: () => new Promise<never>(() => undefined) });
    await h.clock.whenSleeping();
    h.clock.advance(100);
    expect(await running).toEqual({ kind: 'finished', status: 'failed' });
    expect(h.store.latest('run-1')?.error).toMatchObject({ code: 'timeout', nodeId: 'call' });
  });

  it('cancels the timeout timer when the executor finishes in time', async () => {
    const h = harness({ start: 0 });
    const outcome = await h.run(h.claimedRun(chain(['a', 'b'])), { step: () => Promise.resolve({ output: 1 }) });
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(h.clock.pendingSleeps).toBe(0);
  });
});
