import { describe, expect, it } from 'vitest';
import { graph } from '@switchyard/workflow/testing';
import { SimulatedCrashError } from '../src/testing/index';
import { CallLog, Gate, harness, settle } from './fixtures';

const echo = (calls: CallLog) => calls.wrap((ctx, _c, input) => ({ output: { from: ctx.nodeId, input } }));

/** t → a, t → b, a → j, b → j, j → after */
const diamond = () =>
  graph()
    .node('t', 'trigger.manual')
    .node('a', 'slow')
    .node('b', 'slow')
    .node('j', 'join')
    .node('after', 'step')
    .edge('t', 'a')
    .edge('t', 'b')
    .edge('a', 'j')
    .edge('b', 'j')
    .edge('j', 'after')
    .build();

describe('parallel branches and join', () => {
  it('runs the branches concurrently and joins their outputs by source node id', async () => {
    const h = harness();
    const gate = new Gate((input) => ({ got: input }));
    const calls = new CallLog();
    const running = h.run(h.claimedRun(diamond(), { triggerPayload: 1 }), { slow: gate.executor, step: echo(calls) });
    await settle();
    expect(gate.open).toHaveLength(2);
    // b finishes first: its commit holds only its own step, and the join still waits for a.
    gate.open.splice(1, 1)[0]!.done.resolve();
    await settle();
    const afterB = h.store.latest('run-1')!;
    expect(afterB.steps.map((s) => s.nodeId)).toEqual(['b']);
    expect(afterB.status).toBe('running');
    expect(afterB.state.joins).toEqual({ j: { b: [{ got: 1 }] } });
    gate.release();
    expect(await running).toEqual({ kind: 'finished', status: 'succeeded' });

    expect(h.store.commitsOf('run-1').map((c) => c.steps.map((s) => s.nodeId))).toEqual([['t'], ['b'], ['a'], ['j'], ['after']]);
    const joinStep = h.store.steps('run-1').find((s) => s.nodeId === 'j');
    expect(joinStep).toMatchObject({ status: 'succeeded', port: 'out', output: { a: { got: 1 }, b: { got: 1 } } });
    expect(calls.of('after')[0]?.input).toEqual({ a: { got: 1 }, b: { got: 1 } });
    expect(h.store.stateOf('run-1')?.joins).toBeUndefined();
  });

  it('waits for a branch parked on a timer instead of firing early', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const g = graph()
      .node('t', 'trigger.manual')
      .node('d', 'delay', { durationMs: 1000 })
      .node('a', 'step')
      .node('j', 'join')
      .node('after', 'step')
      .edge('t', 'd')
      .edge('t', 'a')
      .edge('d', 'j')
      .edge('a', 'j')
      .edge('j', 'after')
      .build();
    expect(await h.run(h.claimedRun(g, { triggerPayload: 'p' }), { step: echo(calls) })).toEqual({ kind: 'parked', wakeAt: 1000 });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['a']);
    h.clock.set(1000);
    expect(await h.run(h.store.claim(h.claimedRun(g)), { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.of('after')[0]?.input).toEqual({ d: 'p', a: { from: 'a', input: 'p' } });
  });

  it('fires with the branches that arrived once the others can no longer arrive, upstream join first', async () => {
    const h = harness();
    const calls = new CallLog();
    // c routes to x only; y never runs. j1 joins x and y, j2 joins j1 and z.
    const g = graph()
      .node('t', 'trigger.manual')
      .node('c', 'condition')
      .node('x', 'step')
      .node('y', 'step')
      .node('z', 'step')
      .node('j1', 'join')
      .node('j2', 'join')
      .node('after', 'step')
      .edge('t', 'c')
      .edge('t', 'z')
      .edge('c', 'x', 'true')
      .edge('c', 'y', 'false')
      .edge('x', 'j1')
      .edge('y', 'j1')
      .edge('j1', 'j2')
      .edge('z', 'j2')
      .edge('j2', 'after')
      .build();
    const executors = { condition: calls.wrap((_c, _x, input) => ({ output: input, port: 'true' })), step: echo(calls) };
    expect(await h.run(h.claimedRun(g, { triggerPayload: 0 }), executors)).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => c.nodeId).sort()).toEqual(['after', 'c', 'x', 'z']);
    expect(calls.of('after')[0]?.input).toEqual({ j1: { x: { from: 'x', input: 0 } }, z: { from: 'z', input: 0 } });
  });

  it('resumes mid-join after a crash: the branch that finished is not run again', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = { slow: echo(calls), step: echo(calls) };
    const claimed = h.claimedRun(diamond(), { triggerPayload: 7 });
    // With one slot the branches run one after the other: #1 trigger, #2 a, crash.
    h.store.simulate({ crashAfterCommit: 2 });
    await expect(h.run(claimed, executors, { maxConcurrentSteps: 1 })).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(h.store.stateOf('run-1')?.joins).toEqual({ j: { a: [{ from: 'a', input: 7 }] } });
    h.store.simulate({});
    expect(await h.run(h.store.claim(claimed), executors)).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.countsByNode()).toEqual({ a: 1, b: 1, after: 1 });
    expect(calls.of('after')[0]?.input).toEqual({ a: { from: 'a', input: 7 }, b: { from: 'b', input: 7 } });
  });

  it('stops the other branch and writes nothing more when a commit reports the lease lost', async () => {
    const h = harness();
    const signals: AbortSignal[] = [];
    const gate = new Gate();
    const slow = (ctx: { signal: AbortSignal }, c: unknown, input: unknown) => {
      signals.push(ctx.signal);
      return gate.executor(ctx as never, c, input);
    };
    h.store.simulate({ leaseLostAtCommit: 2 });
    const running = h.run(h.claimedRun(diamond()), { slow });
    await settle();
    gate.release(1);
    expect(await running).toEqual({ kind: 'lease-lost' });
    // The attempt that finished keeps its signal; the one still running is told to stop.
    expect(signals.map((s) => s.aborted)).toEqual([false, true]);
    expect(h.store.commits).toHaveLength(1);
    gate.release();
    await settle();
    expect(h.store.attempts).toBe(2);
  });

  it('joins wave by wave when a branch source is activated twice', async () => {
    const h = harness();
    const calls = new CallLog();
    // s is activated twice (fan-in from p and q); j pairs each s output with one r output in order.
    const g = graph()
      .node('t', 'trigger.manual')
      .node('p', 'step')
      .node('q', 'step')
      .node('s', 'step')
      .node('r', 'step')
      .node('j', 'join')
      .edge('t', 'p')
      .edge('t', 'q')
      .edge('p', 's')
      .edge('q', 's')
      .edge('t', 'r')
      .edge('s', 'j')
      .edge('r', 'j')
      .build();
    expect(await h.run(h.claimedRun(g), { step: echo(calls) }, { maxConcurrentSteps: 1 })).toEqual({ kind: 'finished', status: 'succeeded' });
    const joins = h.store.steps('run-1').filter((s) => s.nodeId === 'j');
    expect(joins.map((s) => Object.keys(s.output as object).sort())).toEqual([['r', 's'], ['s']]);
  });
});
