import { describe, expect, it } from 'vitest';
import { graph } from '@switchyard/workflow/testing';
import { childRunKey, deliverEvent, type ChildRunOutcome, type ClaimedRun } from '../src/index';
import { CallLog, harness } from './fixtures';

const echo = (calls: CallLog) => calls.wrap((ctx, _c, input) => ({ output: { at: ctx.nodeId, input } }));

function callGraph(config: Record<string, unknown>, ports: string[] = ['out']) {
  const b = graph().node('t', 'trigger.manual').node('call', 'workflow.call', config);
  b.edge('t', 'call');
  for (const port of ports) b.node(`on-${port}`, 'step').edge('call', `on-${port}`, port);
  return b.build();
}

/** What the store does when the child ends: the outcome lands in the parent's inbox, a worker claims the parent. */
function childEnds(h: ReturnType<typeof harness>, claimed: ClaimedRun, outcome: ChildRunOutcome): ClaimedRun {
  const next = h.store.claim(claimed);
  const key = h.store.latest(claimed.id)!.waits[0]!.key;
  return { ...next, deliveries: [{ id: 'd1', kind: 'child', key, payload: outcome, receivedAt: h.clock.now() }] };
}

describe('workflow.call', () => {
  it('asks the store for the child in the commit that parks the parent, keyed from the step key', async () => {
    const h = harness({ start: 1_000 });
    const claimed = h.claimedRun(callGraph({ workflow: 'Invoice sync', version: 3, input: '{ "invoice": number }', timeoutMs: 60_000 }), {
      triggerPayload: { number: 'INV-7' },
      idempotencyKey: 'ingress-key',
    });
    expect(await h.run(claimed, {})).toEqual({ kind: 'waiting', wakeAt: 61_000 });

    const parked = h.store.latest('run-1')!;
    const stepKey = 'ingress-key:call:a1';
    const key = childRunKey('run-1', stepKey);
    expect(parked).toMatchObject({ status: 'waiting', waits: [{ activationId: 'a1', nodeId: 'call', kind: 'child', key, timeoutAt: 61_000 }] });
    expect(parked.childRuns).toEqual([
      { activationId: 'a1', nodeId: 'call', workflow: 'Invoice sync', version: 3, input: { invoice: 'INV-7' }, idempotencyKey: key, effectKey: stepKey },
    ]);
    // Only the commit that registered the wait carries the request.
    expect(h.store.commitsOf('run-1').filter((c) => c.childRuns)).toHaveLength(1);
  });

  it('re-executing the first visit after a crash asks for the same child again (the store dedupes by key)', async () => {
    const h = harness();
    const g = callGraph({ workflow: 'child' });
    h.store.simulate({ crashBeforeCommit: 1 });
    await expect(h.run(h.claimedRun(g, { triggerPayload: {} }), {})).rejects.toThrow(/simulated crash/);
    h.store.simulate({});
    await h.run(h.store.claim(h.claimedRun(g)), {});
    const requests = h.store.commitsOf('run-1').flatMap((c) => c.childRuns ?? []);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.idempotencyKey).toBe(childRunKey('run-1', 'run-1:call:a1'));
    expect(requests[0]!.input).toEqual({});
  });

  it('leaves by out with the child result once the child succeeded', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const claimed = h.claimedRun(callGraph({ workflow: 'child' }), { triggerPayload: { a: 1 } });
    await h.run(claimed, { step: echo(calls) });
    h.clock.set(250);
    const resumed = childEnds(h, claimed, { runId: 'child-1', status: 'succeeded', result: { ledgerId: 'L-1' } });
    expect(await h.run(resumed, { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.of('on-out')[0]?.input).toEqual({ ledgerId: 'L-1' });
    expect(h.store.steps('run-1').find((s) => s.nodeId === 'call')).toMatchObject({ status: 'succeeded', port: 'out', output: { ledgerId: 'L-1' }, durationMs: 250 });
  });

  it("routes a failed child to the error port with the child's error", async () => {
    const h = harness();
    const calls = new CallLog();
    const claimed = h.claimedRun(callGraph({ workflow: 'child' }, ['out', 'error']), { triggerPayload: { a: 1 } });
    await h.run(claimed, { step: echo(calls) });
    const error = { code: 'http_status', message: 'POST /ledger returned 503', retryable: true, status: 503, nodeId: 'post' };
    const resumed = childEnds(h, claimed, { runId: 'child-1', status: 'failed', error });
    expect(await h.run(resumed, { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.of('on-error')[0]?.input).toEqual({
      error: { code: 'child_run_failed', message: 'child run child-1 of workflow "child" ended failed: POST /ledger returned 503', status: 503 },
      input: { a: 1 },
    });
  });

  it('fails the parent when the child could not start and no error edge takes it', async () => {
    const h = harness();
    const claimed = h.claimedRun(callGraph({ workflow: 'nope' }), { triggerPayload: {} });
    await h.run(claimed, {});
    const error = { code: 'call_workflow_not_found', message: 'no published workflow "nope"', retryable: false };
    const resumed = childEnds(h, claimed, { runId: null, status: 'not_started', error });
    expect(await h.run(resumed, {})).toEqual({ kind: 'finished', status: 'failed' });
    expect(h.store.latest('run-1')?.error).toEqual({ ...error, nodeId: 'call' });
  });

  it('leaves by the timeout port when the child has not ended in time; a late end is ignored', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const g = callGraph({ workflow: 'child', timeoutMs: 100 }, ['out', 'timeout']);
    await h.run(h.claimedRun(g, { triggerPayload: { id: 5 } }), {});
    h.clock.set(100);
    const state = h.store.stateOf('run-1')!;
    const late = deliverEvent(state, { kind: 'child', key: state.pending[0]!.wait!.key, payload: { runId: 'c', status: 'succeeded' } }, { now: 100 });
    expect(late.matched).toBe(false);
    expect(await h.run(h.store.claim(h.claimedRun(g)), { step: echo(calls) })).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => c.nodeId)).toEqual(['on-timeout']);
  });

  it('fails cleanly on a bad config or an input expression that does not evaluate', async () => {
    const h = harness();
    await h.run(h.claimedRun(callGraph({ version: 0 }), { triggerPayload: {} }), {});
    expect(h.store.latest('run-1')?.error).toMatchObject({ code: 'invalid_config', nodeId: 'call' });
    expect(h.store.latest('run-1')?.error?.message).toMatch(/^workflow.call config is invalid: workflow: .*version: /);
  });
});
