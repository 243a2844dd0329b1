import { describe, expect, it } from 'vitest';
import { PURE_STEPS_PER_COMMIT } from '../src/index';
import { SimulatedCrashError } from '../src/testing/index';
import { graph } from '@switchyard/workflow/testing';
import { CallLog, harness, retryable } from './fixtures';

const PURE = new Set(['pure']);

/** trigger → p1 → p2 → p3 (pure) → effect → p4 (pure). */
function mixed() {
  return graph()
    .node('trigger', 'trigger.manual')
    .node('p1', 'pure')
    .node('p2', 'pure')
    .node('p3', 'pure')
    .node('effect', 'effect')
    .node('p4', 'pure')
    .edge('trigger', 'p1')
    .edge('p1', 'p2')
    .edge('p2', 'p3')
    .edge('p3', 'effect')
    .edge('effect', 'p4')
    .build();
}

describe('executeRun: group commit of pure steps (pureKinds)', () => {
  it('commits consecutive pure steps together and an effect only from committed state', async () => {
    const h = harness();
    const calls = new CallLog();
    let committedBeforeEffect: string[] = [];
    const executors = {
      pure: calls.wrap((ctx, _c, input) => ({ output: [...(input as string[]), ctx.nodeId] })),
      effect: calls.wrap((_ctx, _c, input) => {
        committedBeforeEffect = h.store.steps('run-1').map((s) => s.nodeId);
        return { output: input };
      }),
    };
    const outcome = await h.run(h.claimedRun(mixed(), { triggerPayload: [] }), executors, { deferTriggerCommit: true, pureKinds: PURE });

    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(h.store.commitsOf('run-1').map((c) => c.steps.map((s) => s.nodeId))).toEqual([['trigger', 'p1', 'p2', 'p3'], ['effect'], ['p4']]);
    // Every step is recorded, in order, and the effect saw all its predecessors committed.
    expect(h.store.steps('run-1').map((s) => s.nodeId)).toEqual(['trigger', 'p1', 'p2', 'p3', 'effect', 'p4']);
    expect(committedBeforeEffect).toEqual(['trigger', 'p1', 'p2', 'p3']);
  });

  it('without pureKinds every step is its own commit (the default)', async () => {
    const h = harness();
    const executors = { pure: () => Promise.resolve({ output: 1 }), effect: () => Promise.resolve({ output: 2 }) };
    await h.run(h.claimedRun(mixed()), executors);
    expect(h.store.commitsOf('run-1')).toHaveLength(6);
  });

  it('a crash before the group commit replays the pure steps identically: the effect gets the same idempotency key', async () => {
    const pureLog = new CallLog();
    const effectLog = new CallLog();
    const executors = {
      pure: pureLog.wrap((ctx, _c, input) => ({ output: [...((input as string[] | undefined) ?? []), ctx.nodeId] })),
      effect: effectLog.wrap(() => ({ output: 'done' })),
    };
    // Reference: no crash.
    const reference = harness();
    await reference.run(reference.claimedRun(mixed(), { triggerPayload: [] }), executors, { pureKinds: PURE });
    const referenceKey = effectLog.of('effect')[0]?.idempotencyKey;

    // Commit 1 is the trigger, commit 2 carries p1..p3: the worker dies there, before the effect.
    const h = harness();
    const claimed = h.claimedRun(mixed(), { triggerPayload: [] });
    h.store.simulate({ crashBeforeCommit: 2 });
    await expect(h.run(claimed, executors, { pureKinds: PURE })).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(effectLog.of('effect')).toHaveLength(1);
    h.store.simulate({});
    expect(await h.run(h.store.claim(claimed), executors, { pureKinds: PURE })).toEqual({ kind: 'finished', status: 'succeeded' });

    expect(pureLog.of('p1')).toHaveLength(3);
    expect(effectLog.of('effect')[1]?.idempotencyKey).toBe(referenceKey);
    expect(h.store.steps('run-1').map((s) => s.nodeId)).toEqual(['trigger', 'p1', 'p2', 'p3', 'effect', 'p4']);
  });

  it('commits a failed pure attempt at once (its retry is a durable timer)', async () => {
    const h = harness();
    let failures = 1;
    const executors = {
      pure: () => (failures-- > 0 ? Promise.reject(retryable('flaky')) : Promise.resolve({ output: 'ok' })),
      effect: () => Promise.resolve({ output: 'e' }),
    };
    const outcome = await h.run(h.claimedRun(mixed()), executors, { pureKinds: PURE });
    expect(outcome.kind).toBe('parked');
    const commits = h.store.commitsOf('run-1').map((c) => c.steps.map((s) => `${s.nodeId}:${s.status}`));
    expect(commits).toEqual([['trigger:succeeded'], ['p1:failed']]);
  });

  it('bounds a batch: a long pure chain commits every PURE_STEPS_PER_COMMIT steps', async () => {
    const h = harness();
    const n = PURE_STEPS_PER_COMMIT * 2 + 5;
    const builder = graph().node('trigger', 'trigger.manual');
    for (let i = 0; i < n; i++) builder.node(`p${i}`, 'pure').edge(i === 0 ? 'trigger' : `p${i - 1}`, `p${i}`);
    const executors = { pure: () => Promise.resolve({ output: 1 }) };
    await h.run(h.claimedRun(builder.build()), executors, { deferTriggerCommit: true, pureKinds: PURE });
    const sizes = h.store.commitsOf('run-1').map((c) => c.steps.length);
    expect(sizes.every((size) => size <= PURE_STEPS_PER_COMMIT + 1)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n + 1);
    expect(sizes.length).toBeLessThanOrEqual(4);
  });
});
