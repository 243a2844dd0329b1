import { describe, expect, it } from 'vitest';
import { graph } from '@switchyard/workflow/testing';
import { CallLog, chain, harness, permanent } from './fixtures';

const stepExecutor = (calls: CallLog) =>
  calls.wrap((ctx, _config, input) => ({ output: { ...(input as object), [ctx.nodeId]: true } }));

describe('executeRun: flow', () => {
  it('runs a linear graph in order, one commit per step, and finishes with the last output', async () => {
    const h = harness();
    const calls = new CallLog();
    const claimed = h.claimedRun(chain(['a', 'b', 'c']), { triggerPayload: { order: 42 } });

    const outcome = await h.run(claimed, { step: stepExecutor(calls) });

    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['a', 'b', 'c']);
    expect(calls.of('b')[0]?.input).toEqual({ order: 42, a: true });
    const commits = h.store.commitsOf('run-1');
    expect(commits.map((c) => c.status)).toEqual(['running', 'running', 'running', 'succeeded']);
    expect(commits.map((c) => c.steps.map((s) => s.nodeId))).toEqual([['trigger'], ['a'], ['b'], ['c']]);
    expect(commits[0]?.steps[0]).toMatchObject({ status: 'succeeded', input: { order: 42 }, output: { order: 42 }, port: 'out' });
    expect(h.store.latest('run-1')?.result).toEqual({ order: 42, a: true, b: true, c: true });
    expect(h.store.stateOf('run-1')?.outputs).toMatchObject({ trigger: { order: 42 }, c: { order: 42, a: true, b: true, c: true } });
  });

  it('passes the node config from the graph to the executor', async () => {
    const h = harness();
    const calls = new CallLog();
    const g = graph()
      .node('t', 'trigger.manual')
      .node('x', 'step', { url: 'http://127.0.0.1/x' })
      .edge('t', 'x')
      .build();
    await h.run(h.claimedRun(g), { step: stepExecutor(calls) });
    expect(calls.of('x')[0]?.config).toEqual({ url: 'http://127.0.0.1/x' });
  });

  it('follows only the edges of the port the executor chose', async () => {
    for (const [amount, expected] of [
      [500, 'big'],
      [5, 'small'],
    ] as const) {
      const h = harness();
      const calls = new CallLog();
      const g = graph()
        .node('t', 'trigger.manual')
        .node('check', 'condition')
        .node('big', 'step')
        .node('small', 'step')
        .edge('t', 'check')
        .edge('check', 'big', 'true')
        .edge('check', 'small', 'false')
        .build();
      const executors = {
        condition: calls.wrap((_ctx, _c, input) => ({ output: input, port: (input as { amount: number }).amount > 100 ? 'true' : 'false' })),
        step: stepExecutor(calls),
      };
      const outcome = await h.run(h.claimedRun(g, { triggerPayload: { amount } }), executors);
      expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
      expect(calls.calls.map((c) => c.nodeId)).toEqual(['check', expected]);
      expect(h.store.steps('run-1').find((s) => s.nodeId === 'check')?.port).toBe(amount > 100 ? 'true' : 'false');
    }
  });

  it('a trigger with no successors finishes at once with the payload as result', async () => {
    const h = harness();
    const outcome = await h.run(h.claimedRun(graph().node('t', 'trigger.webhook').build(), { triggerPayload: { hi: 1 } }), {});
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(h.store.latest('run-1')).toMatchObject({ status: 'succeeded', result: { hi: 1 } });
  });

  it('uses the respond node body as the run result and keeps the response in the state', async () => {
    const h = harness();
    const g = graph()
      .node('t', 'trigger.webhook')
      .node('reply', 'respond')
      .node('after', 'step')
      .edge('t', 'reply')
      .edge('reply', 'after')
      .build();
    const executors = {
      respond: () => Promise.resolve({ output: { ok: true }, response: { status: 201, headers: { 'x-a': '1' }, body: { id: 7 } } }),
      step: () => Promise.resolve({ output: 'later output' }),
    };
    await h.run(h.claimedRun(g), executors);
    const last = h.store.latest('run-1');
    expect(last?.result).toEqual({ id: 7 });
    expect(last?.state.response).toEqual({ status: 201, headers: { 'x-a': '1' }, body: { id: 7 } });
  });

  it('routes a failure to the error port with the error and the input, and the run goes on', async () => {
    const h = harness();
    const calls = new CallLog();
    const g = graph()
      .node('t', 'trigger.manual')
      .node('call', 'http')
      .node('ok', 'step')
      .node('handle', 'step')
      .edge('t', 'call')
      .edge('call', 'ok')
      .edge('call', 'handle', 'error')
      .build();
    const executors = { http: calls.wrap(() => Promise.reject(permanent('invoice rejected', 422))), step: stepExecutor(calls) };

    const outcome = await h.run(h.claimedRun(g, { triggerPayload: { n: 1 } }), executors);

    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['call', 'handle']);
    const routed = { error: { code: 'http_status', message: 'invoice rejected', status: 422 }, input: { n: 1 } };
    expect(calls.of('handle')[0]?.input).toEqual(routed);
    const failed = h.store.steps('run-1').find((s) => s.nodeId === 'call');
    expect(failed).toMatchObject({ status: 'failed', port: 'error', output: routed, error: { code: 'http_status', retryable: false, status: 422 } });
  });

  it('routes to the error port only after retries are exhausted', async () => {
    const h = harness();
    const calls = new CallLog();
    const g = graph()
      .node('t', 'trigger.manual')
      .node('call', 'http', {}, { policy: { retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 } } })
      .node('handle', 'step')
      .edge('t', 'call')
      .edge('call', 'handle', 'error')
      .build();
    const executors = { http: calls.wrap(() => Promise.reject(new Error('socket hang up'))), step: stepExecutor(calls) };
    const first = await h.run(h.claimedRun(g), executors);
    expect(first).toEqual({ kind: 'parked', wakeAt: h.clock.now() + 10 });
    h.clock.advance(10);
    const second = await h.run(h.store.claim(h.claimedRun(g)), executors);
    expect(second).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => `${c.nodeId}#${c.attempt}`)).toEqual(['call#1', 'call#2', 'handle#1']);
    expect(calls.of('handle')[0]?.input).toMatchObject({ error: { code: 'internal', message: 'socket hang up' } });
  });

  it('fails the run with a specific error when the graph has no trigger or the kind has no executor', async () => {
    const noTrigger = harness();
    await noTrigger.run(noTrigger.claimedRun(graph().node('a', 'step').build()), {});
    expect(noTrigger.store.latest('run-1')).toMatchObject({ status: 'failed', error: { code: 'invalid_graph', message: 'graph has no trigger node' } });

    const unknownKind = harness();
    const outcome = await unknownKind.run(unknownKind.claimedRun(chain(['a'], 'erp.magic')), {});
    expect(outcome).toEqual({ kind: 'finished', status: 'failed' });
    expect(unknownKind.store.latest('run-1')?.error).toEqual({
      code: 'unknown_kind',
      message: 'no executor is registered for node kind "erp.magic"',
      retryable: false,
      nodeId: 'a',
    });

    const missingTrigger = harness();
    await missingTrigger.run(missingTrigger.claimedRun(chain(['a']), { triggerNodeId: 'nope' }), {});
    expect(missingTrigger.store.latest('run-1')?.error?.message).toBe('trigger node "nope" named by the run does not exist in the graph');
  });

  it('fails a run that exceeds the activation bound instead of running on', async () => {
    const h = harness();
    const calls = new CallLog();
    // Seeding mints a0 (trigger) and a1; a1..a4 are n1..n4, so a bound of 3 stops before n3 runs.
    const outcome = await h.run(h.claimedRun(chain(['n1', 'n2', 'n3', 'n4'])), { step: stepExecutor(calls) }, { maxActivations: 3 });
    expect(outcome).toEqual({ kind: 'finished', status: 'failed' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['n1', 'n2']);
    expect(h.store.latest('run-1')?.error).toMatchObject({ code: 'activation_limit', retryable: false });
  });

  it('starts from the trigger the run names when the graph has several', async () => {
    const h = harness();
    const calls = new CallLog();
    const g = graph()
      .node('manual', 'trigger.manual')
      .node('hook', 'trigger.webhook')
      .node('a', 'step')
      .node('b', 'step')
      .edge('manual', 'a')
      .edge('hook', 'b')
      .build();
    await h.run(h.claimedRun(g, { triggerNodeId: 'hook' }), { step: stepExecutor(calls) });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['b']);

    const ambiguous = harness();
    await ambiguous.run(ambiguous.claimedRun(g), {});
    expect(ambiguous.store.latest('run-1')?.error?.code).toBe('invalid_graph');
  });
});

describe('executeRun: delay', () => {
  const g = graph()
    .node('t', 'trigger.manual')
    .node('wait', 'delay', { durationMs: 60_000 })
    .node('after', 'step')
    .edge('t', 'wait')
    .edge('wait', 'after')
    .build();

  it('parks on a durable timer and completes with its input once due', async () => {
    const h = harness({ start: 5_000 });
    const calls = new CallLog();
    const executors = { step: calls.wrap((_ctx, _c, input) => ({ output: input })) };

    const first = await h.run(h.claimedRun(g, { triggerPayload: { x: 1 } }), executors);
    expect(first).toEqual({ kind: 'parked', wakeAt: 65_000 });
    expect(calls.calls).toEqual([]);
    expect(h.store.latest('run-1')).toMatchObject({ status: 'queued', wakeAt: 65_000, steps: [] });
    expect(h.store.stateOf('run-1')?.pending).toEqual([{ id: 'a1', nodeId: 'wait', input: { x: 1 }, attempt: 1, notBefore: 65_000, timerArmed: true }]);

    // Claimed again too early (clock skew): parks again without doing anything.
    h.clock.advance(30_000);
    expect(await h.run(h.store.claim(h.claimedRun(g)), executors)).toEqual({ kind: 'parked', wakeAt: 65_000 });

    h.clock.set(65_000);
    const second = await h.run(h.store.claim(h.claimedRun(g)), executors);
    expect(second).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => c.input)).toEqual([{ x: 1 }]);
    const waitStep = h.store.steps('run-1').find((s) => s.nodeId === 'wait');
    expect(waitStep).toMatchObject({ status: 'succeeded', output: { x: 1 }, startedAt: 5_000, finishedAt: 65_000, durationMs: 60_000 });
  });

  it('fails with a field-specific error when the delay config is invalid', async () => {
    const h = harness();
    const bad = graph()
      .node('t', 'trigger.manual')
      .node('wait', 'delay', { durationMs: -5 })
      .edge('t', 'wait')
      .build();
    await h.run(h.claimedRun(bad), {});
    const error = h.store.latest('run-1')?.error;
    expect(error).toMatchObject({ code: 'invalid_config', nodeId: 'wait', retryable: false });
    expect(error?.message).toMatch(/^delay config is invalid: durationMs: /);
  });

  it('lets a parallel branch run while another waits on a timer', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const g2 = graph()
      .node('t', 'trigger.manual')
      .node('wait', 'delay', { durationMs: 1000 })
      .node('now', 'step')
      .node('later', 'step')
      .edge('t', 'wait')
      .edge('t', 'now')
      .edge('wait', 'later')
      .build();
    const executors = { step: calls.wrap((_ctx, _c, input) => ({ output: input })) };
    expect(await h.run(h.claimedRun(g2), executors)).toEqual({ kind: 'parked', wakeAt: 1000 });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['now']);
    h.clock.advance(1000);
    expect(await h.run(h.store.claim(h.claimedRun(g2)), executors)).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['now', 'later']);
  });
});
