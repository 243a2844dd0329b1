import { describe, expect, it } from 'vitest';
import { SimulatedCrashError } from '../src/testing/index';
import { CallLog, chain, harness } from './fixtures';

const five = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('executeRun: durability', () => {
  it('resumes after a crash from the stored state; every node runs exactly once', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = { step: calls.wrap((ctx, _c, input) => ({ output: [...(input as string[]), ctx.nodeId] })) };
    const claimed = h.claimedRun(chain(five), { triggerPayload: [] });

    // Commit #1 seeds the trigger, #2–#4 record n1–n3; the worker dies right after #4.
    h.store.simulate({ crashAfterCommit: 4 });
    await expect(h.run(claimed, executors)).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['n1', 'n2', 'n3']);

    h.store.simulate({});
    const resumed = h.store.claim(claimed);
    expect(resumed.state?.pending.map((a) => a.nodeId)).toEqual(['n4']);
    const outcome = await h.run(resumed, executors);

    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.countsByNode()).toEqual({ n1: 1, n2: 1, n3: 1, n4: 1, n5: 1 });
    expect(calls.of('n4')[0]?.input).toEqual(['n1', 'n2', 'n3']);
    expect(h.store.latest('run-1')?.result).toEqual(five);
    // The trigger step was recorded once: resuming never re-seeds.
    expect(h.store.steps('run-1').map((s) => s.nodeId)).toEqual(['trigger', ...five]);
    expect(h.logger.find('run resumed')).toHaveLength(1);
  });

  it('re-executes an uncommitted step after a crash with the same idempotency key', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = { step: calls.wrap(() => ({ output: 'x' })) };
    const claimed = h.claimedRun(chain(five));

    // n3 ran but its commit (#4) never landed: at-least-once, so it runs again, with the same key.
    h.store.simulate({ crashBeforeCommit: 4 });
    await expect(h.run(claimed, executors)).rejects.toBeInstanceOf(SimulatedCrashError);
    h.store.simulate({});
    expect(await h.run(h.store.claim(claimed), executors)).toEqual({ kind: 'finished', status: 'succeeded' });

    expect(calls.countsByNode()).toEqual({ n1: 1, n2: 1, n3: 2, n4: 1, n5: 1 });
    const [first, second] = calls.of('n3');
    expect(first?.idempotencyKey).toBe(second?.idempotencyKey);
    expect(h.store.steps('run-1').filter((s) => s.nodeId === 'n3')).toHaveLength(1);
  });

  it('stops at once when a commit reports the lease lost', async () => {
    const h = harness();
    const calls = new CallLog();
    h.store.simulate({ leaseLostAtCommit: 3 });
    const outcome = await h.run(h.claimedRun(chain(five)), { step: calls.wrap(() => ({ output: 1 })) });

    expect(outcome).toEqual({ kind: 'lease-lost' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['n1', 'n2']);
    expect(h.store.attempts).toBe(3);
    expect(h.store.commits).toHaveLength(2);
  });

  it('loses the lease to a worker that took the run over mid-step', async () => {
    const h = harness();
    const claimed = h.claimedRun(chain(five));
    const calls = new CallLog();
    const executors = {
      step: calls.wrap((ctx) => {
        if (ctx.nodeId === 'n2') h.store.claim(claimed); // another worker claims the run meanwhile
        return { output: 1 };
      }),
    };
    expect(await h.run(claimed, executors)).toEqual({ kind: 'lease-lost' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['n1', 'n2']);
    expect(h.store.steps('run-1').map((s) => s.nodeId)).toEqual(['trigger', 'n1']);
  });

  it('stops between steps when the drain signal aborts, committing the step in flight only', async () => {
    const h = harness();
    const drain = new AbortController();
    const calls = new CallLog();
    const executors = {
      step: calls.wrap((ctx) => {
        if (ctx.nodeId === 'n2') drain.abort(new Error('worker draining'));
        return { output: ctx.nodeId };
      }),
    };
    const outcome = await h.run(h.claimedRun(chain(five)), executors, { signal: drain.signal });
    expect(outcome).toEqual({ kind: 'aborted' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['n1', 'n2']);
    expect(h.store.commitsOf('run-1').map((c) => c.status)).toEqual(['running', 'running', 'running']);
    expect(h.store.stateOf('run-1')?.pending.map((a) => a.nodeId)).toEqual(['n3']);

    const already = harness();
    expect(await already.run(already.claimedRun(chain(five)), {}, { signal: AbortSignal.abort() })).toEqual({ kind: 'aborted' });
    expect(already.store.attempts).toBe(0);
  });

  it('leaves the ClaimedRun it was given untouched', async () => {
    const h = harness();
    const claimed = h.claimedRun(chain(['n1', 'n2']));
    h.store.simulate({ crashAfterCommit: 2 });
    await expect(h.run(claimed, { step: () => Promise.resolve({ output: 1 }) })).rejects.toThrow();
    h.store.simulate({});
    const resumed = h.store.claim(claimed);
    const snapshot = structuredClone(resumed.state);
    await h.run(resumed, { step: () => Promise.resolve({ output: 1 }) });
    expect(resumed.state).toEqual(snapshot);
    expect(claimed.state).toBeNull();
  });
});
