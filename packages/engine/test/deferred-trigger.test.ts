import { describe, expect, it } from 'vitest';
import { SimulatedCrashError } from '../src/testing/index';
import { CallLog, chain, harness } from './fixtures';

const three = ['n1', 'n2', 'n3'];

describe('executeRun: deferTriggerCommit (the worker default)', () => {
  it('commits the trigger step with the first step: one commit less, same history', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = { step: calls.wrap((ctx, _c, input) => ({ output: [...(input as string[]), ctx.nodeId] })) };
    const outcome = await h.run(h.claimedRun(chain(three), { triggerPayload: [] }), executors, { deferTriggerCommit: true });

    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    const commits = h.store.commitsOf('run-1');
    expect(commits.map((c) => c.steps.map((s) => s.nodeId))).toEqual([['trigger', 'n1'], ['n2'], ['n3']]);
    expect(h.store.steps('run-1').map((s) => s.nodeId)).toEqual(['trigger', ...three]);
  });

  it('a crash before the first commit re-seeds identically: the first step runs again with the same key, the trigger is recorded once', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = { step: calls.wrap(() => ({ output: 'x' })) };
    const claimed = h.claimedRun(chain(three));

    h.store.simulate({ crashBeforeCommit: 1 });
    await expect(h.run(claimed, executors, { deferTriggerCommit: true })).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(h.store.commitsOf('run-1')).toHaveLength(0);

    h.store.simulate({});
    const resumed = h.store.claim(claimed);
    // Nothing was stored: the next worker starts from the trigger again.
    expect(resumed.state).toBeNull();
    expect(await h.run(resumed, executors, { deferTriggerCommit: true })).toEqual({ kind: 'finished', status: 'succeeded' });

    const [first, second] = calls.of('n1');
    expect(calls.countsByNode()).toEqual({ n1: 2, n2: 1, n3: 1 });
    expect(first?.idempotencyKey).toBe(second?.idempotencyKey);
    expect(h.store.steps('run-1').map((s) => s.nodeId)).toEqual(['trigger', ...three]);
  });
});
