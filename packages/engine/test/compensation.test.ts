import { describe, expect, it } from 'vitest';
import { graph } from '@switchyard/workflow/testing';
import type { Compensation } from '@switchyard/workflow';
import { SimulatedCrashError } from '../src/testing/index';
import { CallLog, Gate, driveToEnd, harness, permanent, retryable, settle } from './fixtures';

const undo = (what: string, extra: Partial<Compensation> = {}): { compensation: Compensation } => ({
  compensation: { kind: 'undo', config: { what }, ...extra },
});

/** t → create → reserve → note → charge; create and reserve can be undone, note cannot. */
function saga(opts: { chargeError?: boolean } = {}) {
  const b = graph()
    .node('t', 'trigger.manual')
    .node('create', 'step', {}, undo('cancel order'))
    .node('reserve', 'step', {}, undo('release stock', { policy: { retry: { maxAttempts: 3, initialDelayMs: 50, jitter: 0 } } }))
    .node('note', 'step')
    .node('charge', 'charge')
    .edge('t', 'create')
    .edge('create', 'reserve')
    .edge('reserve', 'note')
    .edge('note', 'charge');
  if (opts.chargeError) b.node('handle', 'step').edge('charge', 'handle', 'error');
  return b.build();
}

const steps = (calls: CallLog) => calls.wrap((ctx, _c, input) => ({ output: { made: ctx.nodeId, input } }));
const declined = (calls: CallLog) => calls.wrap(() => Promise.reject(permanent('card declined', 402)));

describe('compensation (saga)', () => {
  it('undoes completed steps in reverse order when the run fails, and ends compensated', async () => {
    const h = harness();
    const calls = new CallLog();
    const phases: (string | undefined)[] = [];
    const executors = {
      step: steps(calls),
      charge: declined(calls),
      undo: calls.wrap((ctx, config) => {
        phases.push(ctx.phase);
        return { output: { undone: (config as { what: string }).what } };
      }),
    };
    const outcome = await h.run(h.claimedRun(saga(), { triggerPayload: { order: 1 } }), executors);

    expect(outcome).toEqual({ kind: 'finished', status: 'compensated' });
    expect(calls.calls.map((c) => `${c.nodeId}${c.config && (c.config as { what?: string }).what ? `/${(c.config as { what: string }).what}` : ''}`)).toEqual([
      'create',
      'reserve',
      'note',
      'charge',
      'reserve/release stock',
      'create/cancel order',
    ]);
    expect(phases).toEqual(['compensation', 'compensation']);
    // The compensation gets what the step received and produced; its key differs from the step's own.
    const cancel = calls.calls.at(-1)!;
    expect(cancel.input).toEqual({ input: { order: 1 }, output: { made: 'create', input: { order: 1 } } });
    expect(cancel.idempotencyKey).toBe('run-1:create%23compensate:a1');
    expect(calls.of('create')[0]?.idempotencyKey).toBe('run-1:create:a1');

    const last = h.store.latest('run-1')!;
    expect(last).toMatchObject({ status: 'compensated', error: { code: 'http_status', message: 'card declined', nodeId: 'charge' } });
    const recorded = h.store.steps('run-1').filter((s) => s.phase === 'compensation');
    expect(recorded.map((s) => [s.nodeId, s.activationId, s.status])).toEqual([
      ['reserve', 'a2.c', 'succeeded'],
      ['create', 'a1.c', 'succeeded'],
    ]);
    expect(h.store.steps('run-1').filter((s) => s.phase === undefined).map((s) => s.nodeId)).toEqual(['t', 'create', 'reserve', 'note', 'charge']);
  });

  it('retries a compensation durably with its own policy', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    let failures = 1;
    const executors = {
      step: steps(calls),
      charge: declined(calls),
      undo: calls.wrap(() => (failures-- > 0 ? Promise.reject(retryable('warehouse busy')) : { output: 'ok' })),
    };
    const { outcome, wakes } = await driveToEnd(h, h.claimedRun(saga()), executors);
    expect(outcome).toEqual({ kind: 'finished', status: 'compensated' });
    expect(wakes).toEqual([50]);
    const release = h.store.steps('run-1').filter((s) => s.activationId === 'a2.c');
    expect(release.map((s) => [s.attempt, s.status, s.retryAt])).toEqual([
      [1, 'failed', 50],
      [2, 'succeeded', undefined],
    ]);
    expect(h.store.commitsOf('run-1').find((c) => c.status === 'queued')?.wakeAt).toBe(50);
  });

  it('goes on with the other compensations when one fails for good, and ends compensation_failed', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = {
      step: steps(calls),
      charge: declined(calls),
      undo: calls.wrap((ctx) => (ctx.nodeId === 'reserve' ? Promise.reject(permanent('no such reservation', 404)) : { output: 'ok' })),
    };
    expect(await h.run(h.claimedRun(saga()), executors)).toEqual({ kind: 'finished', status: 'compensation_failed' });
    const recorded = h.store.steps('run-1').filter((s) => s.phase === 'compensation');
    expect(recorded.map((s) => [s.nodeId, s.status, s.error?.status])).toEqual([
      ['reserve', 'failed', 404],
      ['create', 'succeeded', undefined],
    ]);
    // The run's error stays the failure that started the saga.
    expect(h.store.latest('run-1')?.error?.nodeId).toBe('charge');
  });

  it('does not compensate when an error port took the failure, or when nothing can be undone', async () => {
    const routed = harness();
    const calls = new CallLog();
    const executors = { step: steps(calls), charge: declined(calls), undo: calls.wrap(() => ({ output: 1 })) };
    expect(await routed.run(routed.claimedRun(saga({ chargeError: true })), executors)).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.of('create')).toHaveLength(1);
    expect(calls.calls.some((c) => (c.config as { what?: string } | undefined)?.what)).toBe(false);

    const plain = harness();
    const g = saga();
    for (const n of g.nodes) delete n.compensation;
    expect(await plain.run(plain.claimedRun(g), executors)).toEqual({ kind: 'finished', status: 'failed' });
  });

  it('records an unknown compensation kind as a failed compensation', async () => {
    const h = harness();
    const calls = new CallLog();
    const outcome = await h.run(h.claimedRun(saga()), { step: steps(calls), charge: declined(calls) });
    expect(outcome).toEqual({ kind: 'finished', status: 'compensation_failed' });
    expect(h.store.steps('run-1').filter((s) => s.phase === 'compensation').map((s) => s.error?.code)).toEqual(['unknown_kind', 'unknown_kind']);
  });

  it('resumes mid-compensation after a crash without undoing anything twice', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = { step: steps(calls), charge: declined(calls), undo: calls.wrap(() => ({ output: 'ok' })) };
    const claimed = h.claimedRun(saga());
    // #1 trigger, #2–#4 create/reserve/note, #5 charge fails (compensation starts), #6 release stock; crash.
    h.store.simulate({ crashAfterCommit: 6 });
    await expect(h.run(claimed, executors)).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(h.store.stateOf('run-1')?.failure).toMatchObject({ compensating: true, compensated: 1, queue: [{ nodeId: 'create' }] });
    expect(h.store.stateOf('run-1')?.pending.map((a) => a.id)).toEqual(['a1.c']);
    h.store.simulate({});
    expect(await h.run(h.store.claim(claimed), executors)).toEqual({ kind: 'finished', status: 'compensated' });
    expect(calls.calls.filter((c) => c.config && (c.config as { what?: string }).what).map((c) => c.nodeId)).toEqual(['reserve', 'create']);
  });

  it('compensates each completed map item, and a branch that was still in flight when the run failed', async () => {
    const h = harness();
    const calls = new CallLog();
    const gate = new Gate(() => 'slow done');
    const g = graph()
      .node('t', 'trigger.manual')
      .node('each', 'map', { items: 'lines', concurrency: 1 })
      .node('line', 'step', {}, undo('delete line'))
      .node('slow', 'slow', {}, undo('undo slow'))
      .node('charge', 'charge')
      .node('never', 'step')
      .edge('t', 'each')
      .edge('each', 'line', 'item')
      .edge('each', 'charge')
      .edge('t', 'slow')
      .edge('slow', 'never')
      .build();
    const executors = { step: steps(calls), charge: declined(calls), slow: gate.executor, undo: calls.wrap((_ctx, _c, input) => ({ output: input })) };
    const running = h.run(h.claimedRun(g, { triggerPayload: { lines: ['l1', 'l2'] } }), executors);
    await settle(100);
    // The map finished and charge failed while `slow` was still running: the run is failing, not finished.
    expect(h.store.latest('run-1')?.status).toBe('running');
    expect(h.store.stateOf('run-1')?.failure?.compensating).toBe(false);
    gate.release();
    expect(await running).toEqual({ kind: 'finished', status: 'compensated' });

    expect(calls.of('never')).toHaveLength(0);
    const undone = h.store.steps('run-1').filter((s) => s.phase === 'compensation');
    // Reverse completion order: slow finished last, then item 1, then item 0.
    expect(undone.map((s) => s.activationId)).toEqual([`${h.store.steps('run-1').find((s) => s.nodeId === 'slow')?.activationId}.c`, 'a1.1.c', 'a1.0.c']);
    expect(undone.map((s) => (s.output as { input: unknown }).input)).toEqual([{ lines: ['l1', 'l2'] }, 'l2', 'l1']);
  });
});
