import { describe, expect, it } from 'vitest';
import { graph } from '@switchyard/workflow/testing';
import { deliverEvent, type ClaimedRun, type RunState } from '../src/index';
import { SimulatedCrashError } from '../src/testing/index';
import { CallLog, harness } from './fixtures';

const echo = (calls: CallLog) => calls.wrap((ctx, _c, input) => ({ output: { at: ctx.nodeId, input } }));

function waitGraph(config: Record<string, unknown>, ports: string[] = ['out']) {
  const b = graph().node('t', 'trigger.manual').node('w', 'wait.event', config).node('side', 'step').edge('t', 'w').edge('t', 'side');
  for (const port of ports) b.node(`on-${port}`, 'step').edge('w', `on-${port}`, port);
  return b.build();
}

/** What the API + db do on delivery: apply deliverEvent to the stored state, then a worker claims the run. */
function deliverAndClaim(h: ReturnType<typeof harness>, claimed: ClaimedRun, delivery: Parameters<typeof deliverEvent>[1]): ClaimedRun {
  const next = h.store.claim(claimed);
  const delivered = deliverEvent(next.state!, delivery, { now: h.clock.now() });
  expect(delivered.matched).toBe(true);
  return { ...next, state: delivered.state };
}

describe('wait for event', () => {
  it('parks the run as waiting with a registration, and completes with the delivered payload', async () => {
    const h = harness({ start: 1_000 });
    const calls = new CallLog();
    const claimed = h.claimedRun(waitGraph({ key: 'order.number', timeoutMs: 60_000 }), { triggerPayload: { order: { number: 'SO-1' } } });

    expect(await h.run(claimed, { step: echo(calls) })).toEqual({ kind: 'waiting', wakeAt: 61_000 });
    // The parallel branch ran meanwhile.
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['side']);
    const parked = h.store.latest('run-1')!;
    expect(parked).toMatchObject({ status: 'waiting', wakeAt: 61_000, waits: [{ activationId: 'a1', nodeId: 'w', kind: 'event', key: 'SO-1', timeoutAt: 61_000 }] });

    h.clock.advance(5_000);
    const resumed = deliverAndClaim(h, claimed, { kind: 'event', key: 'SO-1', payload: { paid: true } });
    expect(await h.run(resumed, { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.of('on-out')[0]?.input).toEqual({ paid: true });
    expect(h.store.steps('run-1').find((s) => s.nodeId === 'w')).toMatchObject({
      status: 'succeeded',
      port: 'out',
      output: { paid: true },
      startedAt: 1_000,
      finishedAt: 6_000,
      durationMs: 5_000,
    });
    expect(h.store.latest('run-1')?.waits).toEqual([]);
  });

  it('waits without a wake time when there is no timeout', async () => {
    const h = harness();
    expect(await h.run(h.claimedRun(waitGraph({ key: '"k"' }), { triggerPayload: {} }), { step: echo(new CallLog()) })).toEqual({ kind: 'waiting' });
    const parked = h.store.latest('run-1')!;
    expect(parked.status).toBe('waiting');
    expect(parked).not.toHaveProperty('wakeAt');
    expect(parked.waits).toEqual([{ activationId: 'a1', nodeId: 'w', kind: 'event', key: 'k' }]);
  });

  it('leaves by the timeout port with its input when nothing arrived in time', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const g = waitGraph({ key: 'id', timeoutMs: 100 }, ['out', 'timeout']);
    await h.run(h.claimedRun(g, { triggerPayload: { id: 5 } }), { step: echo(calls) });
    h.clock.set(100);
    // Too late: the event no longer matches once the timeout passed.
    expect(deliverEvent(h.store.stateOf('run-1')!, { kind: 'event', key: '5', payload: 1 }, { now: 100 }).matched).toBe(false);
    expect(await h.run(h.store.claim(h.claimedRun(g)), { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['side', 'on-timeout']);
    expect(calls.of('on-timeout')[0]?.input).toEqual({ id: 5 });
  });

  it('fails the node when it times out and its timeout port is not connected', async () => {
    const h = harness({ start: 0 });
    const g = waitGraph({ key: 'id', timeoutMs: 100 });
    await h.run(h.claimedRun(g, { triggerPayload: { id: 'X' } }), { step: echo(new CallLog()) });
    h.clock.set(500);
    expect(await h.run(h.store.claim(h.claimedRun(g)), {})).toEqual({ kind: 'finished', status: 'failed' });
    expect(h.store.latest('run-1')?.error).toEqual({
      code: 'wait_timeout',
      message: 'no event with key "X" arrived within 500 ms and the timeout port is not connected',
      retryable: false,
      nodeId: 'w',
    });
  });

  it('reports a key that is not a string or number, through the error port when there is one', async () => {
    const h = harness();
    const calls = new CallLog();
    const g = waitGraph({ key: 'order' }, ['out', 'error']);
    await h.run(h.claimedRun(g, { triggerPayload: { order: { n: 1 } } }), { step: echo(calls) });
    expect(calls.of('on-error')[0]?.input).toEqual({
      error: { code: 'wait_key_invalid', message: 'wait.event "w": the key expression must yield a non-empty string or a number, got an object' },
      input: { order: { n: 1 } },
    });
  });

  it('keeps the registration across a crash and completes after delivery', async () => {
    const h = harness();
    const calls = new CallLog();
    const g = graph().node('t', 'trigger.manual').node('w', 'wait.event', { key: 'ref' }).node('after', 'step').edge('t', 'w').edge('w', 'after').build();
    const claimed = h.claimedRun(g, { triggerPayload: { ref: 'R' } });
    // #1 trigger, #2 registration; the worker dies right after it.
    h.store.simulate({ crashAfterCommit: 2 });
    await expect(h.run(claimed, { step: echo(calls) })).rejects.toBeInstanceOf(SimulatedCrashError);
    h.store.simulate({});
    expect(await h.run(h.store.claim(claimed), { step: echo(calls) })).toEqual({ kind: 'waiting' });
    expect(h.store.latest('run-1')?.waits).toEqual([{ activationId: 'a1', nodeId: 'w', kind: 'event', key: 'R' }]);
    expect(await h.run(deliverAndClaim(h, claimed, { kind: 'event', key: 'R', payload: 'ok' }), { step: echo(calls) })).toEqual({
      kind: 'finished',
      status: 'succeeded',
    });
    expect(calls.calls.map((c) => [c.nodeId, c.input])).toEqual([['after', 'ok']]);
  });
});

describe('queued deliveries (inbox)', () => {
  it('applies events that arrived while a worker held the run, and reports them consumed once', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const g = graph().node('t', 'trigger.manual').node('w', 'wait.event', { key: 'ref' }).node('after', 'step').edge('t', 'w').edge('w', 'after').build();
    const claimed = h.claimedRun(g, { triggerPayload: { ref: 'R' } });
    expect(await h.run(claimed, { step: echo(calls) })).toEqual({ kind: 'waiting' });

    const resumed = {
      ...h.store.claim(claimed),
      deliveries: [
        { id: 'd0', kind: 'approval' as const, key: 'R', payload: {}, receivedAt: 5 },
        { id: 'd1', kind: 'event' as const, key: 'R', payload: { n: 1 }, receivedAt: 10 },
        { id: 'd2', kind: 'event' as const, key: 'R', payload: { n: 2 }, receivedAt: 11 },
      ],
    };
    expect(await h.run(resumed, { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
    // The first event completes the wait; the later duplicate and the malformed decision are consumed too.
    expect(calls.calls.map((c) => c.input)).toEqual([{ n: 1 }]);
    const slice = h.store.commitsOf('run-1').slice(2);
    expect(slice.map((c) => c.consumedDeliveries)).toEqual([['d0', 'd1', 'd2'], undefined]);
    expect(h.logger.find('queued delivery is malformed; dropped')).toHaveLength(1);
  });
});

describe('approval', () => {
  const g = graph()
    .node('t', 'trigger.manual')
    .node('ok', 'approval', { key: 'invoice' })
    .node('yes', 'step')
    .node('no', 'step')
    .edge('t', 'ok')
    .edge('ok', 'yes', 'approved')
    .edge('ok', 'no', 'rejected')
    .build();

  for (const decision of ['approved', 'rejected'] as const) {
    it(`leaves by the ${decision} port`, async () => {
      const h = harness();
      const calls = new CallLog();
      const claimed = h.claimedRun(g, { triggerPayload: { invoice: 'INV-9' } });
      expect(await h.run(claimed, { step: echo(calls) })).toEqual({ kind: 'waiting' });
      expect(h.store.latest('run-1')?.waits).toEqual([{ activationId: 'a1', nodeId: 'ok', kind: 'approval', key: 'INV-9' }]);
      // An event with the same key is not a decision.
      expect(deliverEvent(h.store.stateOf('run-1')!, { kind: 'event', key: 'INV-9', payload: {} }).matched).toBe(false);
      const resumed = deliverAndClaim(h, claimed, { kind: 'approval', key: 'INV-9', payload: { by: 'ana' }, decision });
      expect(await h.run(resumed, { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
      expect(calls.calls.map((c) => [c.nodeId, c.input])).toEqual([[decision === 'approved' ? 'yes' : 'no', { by: 'ana' }]]);
      expect(h.store.steps('run-1').find((s) => s.nodeId === 'ok')?.port).toBe(decision);
    });
  }
});

describe('deliverEvent', () => {
  const waiting = (): RunState => ({
    pending: [
      { id: 'a1', nodeId: 'w', input: {}, attempt: 1, wait: { kind: 'event', key: 'K', registeredAt: 0, timeoutAt: 100 } },
      { id: 'a2', nodeId: 'v', input: {}, attempt: 1, wait: { kind: 'event', key: 'K', registeredAt: 0 } },
      { id: 'a3', nodeId: 'x', input: {}, attempt: 1, wait: { kind: 'event', key: 'other', registeredAt: 0 } },
    ],
    outputs: {},
    seq: 4,
  });

  it('completes every matching wait, leaves the input untouched, and matches nothing the second time', () => {
    const state = waiting();
    const snapshot = structuredClone(state);
    const first = deliverEvent(state, { kind: 'event', key: 'K', payload: { n: 1 } }, { now: 50 });
    expect(first).toMatchObject({ matched: true, activationIds: ['a1', 'a2'] });
    expect(first.state.pending[0]?.wait?.delivered).toEqual({ payload: { n: 1 }, at: 50 });
    expect(state).toEqual(snapshot);
    expect(deliverEvent(first.state, { kind: 'event', key: 'K', payload: 2 })).toMatchObject({ matched: false, activationIds: [] });
  });

  it('narrows to one activation, and skips waits whose timeout passed', () => {
    expect(deliverEvent(waiting(), { kind: 'event', key: 'K', payload: 1, activationId: 'a2' }).activationIds).toEqual(['a2']);
    expect(deliverEvent(waiting(), { kind: 'event', key: 'K', payload: 1 }, { now: 100 }).activationIds).toEqual(['a2']);
  });

  it('rejects malformed deliveries with the field named', () => {
    const bad: [unknown, RegExp][] = [
      [{ kind: 'signal', key: 'K', payload: 1 }, /delivery\.kind must be "event", "approval" or "child"/],
      [{ kind: 'child', key: 'K', payload: 1, decision: 'approved' }, /delivery\.decision is only for approvals/],
      [{ kind: 'event', key: '', payload: 1 }, /delivery\.key must be a non-empty string/],
      [{ kind: 'approval', key: 'K', payload: 1 }, /delivery\.decision must be "approved" or "rejected"/],
      [{ kind: 'event', key: 'K', payload: 1, decision: 'approved' }, /delivery\.decision is only for approvals/],
    ];
    for (const [delivery, message] of bad) expect(() => deliverEvent(waiting(), delivery as never)).toThrow(message);
  });
});
