import { describe, expect, it } from 'vitest';
import { graph } from '@switchyard/workflow/testing';
import type { NodePolicy } from '@switchyard/workflow';
import { SimulatedCrashError } from '../src/testing/index';
import type { RunOutcome } from '../src/index';
import { CallLog, Gate, driveToEnd, harness, permanent, retryable, settle } from './fixtures';

function mapGraph(config: Record<string, unknown>, opts: { errorEdge?: boolean; bodyPolicy?: NodePolicy } = {}) {
  const b = graph()
    .node('t', 'trigger.manual')
    .node('each', 'map', { concurrency: 2, ...config })
    .node('line', 'step', {}, opts.bodyPolicy ? { policy: opts.bodyPolicy } : {})
    .node('after', 'step')
    .edge('t', 'each')
    .edge('each', 'line', 'item')
    .edge('each', 'after');
  if (opts.errorEdge) b.node('handle', 'step').edge('each', 'handle', 'error');
  return b.build();
}

/** Releases the gate's open calls until the run slice ends. */
async function pump(gate: Gate, running: Promise<RunOutcome>): Promise<RunOutcome> {
  let outcome: RunOutcome | undefined;
  void running.then((o) => (outcome = o));
  for (let i = 0; i < 200 && outcome === undefined; i++) {
    await settle();
    gate.release(1);
  }
  await settle();
  if (!outcome) throw new Error('run did not end');
  return outcome;
}

describe('map', () => {
  it('runs the body once per item, at most `concurrency` at a time, and outputs results in item order', async () => {
    const h = harness();
    const gate = new Gate((input) => (input as number) * 10);
    const calls = new CallLog();
    const claimed = h.claimedRun(mapGraph({ items: 'lines' }), { triggerPayload: { lines: [1, 2, 3, 4, 5] } });
    const running = h.run(claimed, { step: calls.wrap((ctx, c, input) => gate.executor(ctx, c, input)) });

    await settle();
    expect(gate.open.map((c) => c.input)).toEqual([1, 2]);
    // The second item finishes first; the third starts in its slot, the result order stays the item order.
    const [first, second] = gate.open.splice(0, 2);
    second!.done.resolve();
    await settle();
    expect(gate.open.map((c) => c.input)).toEqual([3]);
    first!.done.resolve();
    const outcome = await pump(gate, running);

    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(gate.maxOpen).toBe(2);
    const steps = h.store.steps('run-1');
    const mapStep = steps.find((s) => s.nodeId === 'each');
    expect(mapStep).toMatchObject({ status: 'succeeded', port: 'out', output: [10, 20, 30, 40, 50], activationId: 'a1' });
    expect(calls.of('after')[0]?.input).toEqual([10, 20, 30, 40, 50]);
    const items = steps.filter((s) => s.nodeId === 'line');
    expect(items.map((s) => [s.itemIndex, s.activationId, s.input])).toEqual([
      [1, 'a1.1', 2],
      [0, 'a1.0', 1],
      [2, 'a1.2', 3],
      [3, 'a1.3', 4],
      [4, 'a1.4', 5],
    ]);
    // One idempotency key per item, stable (run + body node + item activation).
    expect(new Set(calls.of('line').map((c) => c.idempotencyKey)).size).toBe(5);
    expect(calls.of('line')[0]?.idempotencyKey).toBe('run-1:line:a1.0');
  });

  it('honours a per-run step limit below the map concurrency', async () => {
    const h = harness();
    const gate = new Gate();
    const running = h.run(h.claimedRun(mapGraph({ items: 'lines', concurrency: 10 }), { triggerPayload: { lines: [1, 2, 3, 4, 5, 6] } }), { step: gate.executor }, { maxConcurrentSteps: 3 });
    await settle();
    expect(gate.open).toHaveLength(3);
    expect(await pump(gate, running)).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(gate.maxOpen).toBe(3);
  });

  it('completes at once with [] for an empty array and can read $trigger', async () => {
    const h = harness();
    const calls = new CallLog();
    const outcome = await h.run(h.claimedRun(mapGraph({ items: '$trigger.none' }), { triggerPayload: { none: [] } }), { step: calls.wrap((_c, _x, i) => ({ output: i })) });
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => [c.nodeId, c.input])).toEqual([['after', []]]);
  });

  it('fails with a clear error when items is not an array, or routes it to the error port', async () => {
    const h = harness();
    await h.run(h.claimedRun(mapGraph({ items: 'order' }), { triggerPayload: { order: { id: 1 } } }), { step: () => Promise.resolve({ output: 1 }) });
    expect(h.store.latest('run-1')).toMatchObject({
      status: 'failed',
      error: {
        code: 'map_items_not_array',
        nodeId: 'each',
        message: 'map "each": the items expression must yield an array, got an object; wrap it in [ ] to iterate over a single value',
      },
    });

    const routed = harness();
    const calls = new CallLog();
    const outcome = await routed.run(routed.claimedRun(mapGraph({ items: 'missing' }, { errorEdge: true }), { triggerPayload: {} }), { step: calls.wrap((_c, _x, i) => ({ output: i })) });
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.of('handle')[0]?.input).toMatchObject({ error: { code: 'map_items_not_array', message: expect.stringContaining('got nothing') } });

    const syntax = harness();
    await syntax.run(syntax.claimedRun(mapGraph({ items: 'lines[' })), {});
    expect(syntax.store.latest('run-1')?.error).toMatchObject({ code: 'expression_error', message: expect.stringMatching(/^map "each" items: /) });
  });

  it('stops at the first failed item and routes the map failure, cancelling the items not started', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = {
      step: calls.wrap((ctx, _c, input) => {
        if (ctx.nodeId === 'line' && input === 2) return Promise.reject(permanent('line 2 rejected'));
        return { output: input };
      }),
    };
    const outcome = await h.run(h.claimedRun(mapGraph({ items: 'lines', concurrency: 1 }, { errorEdge: true }), { triggerPayload: { lines: [1, 2, 3, 4] } }), executors);
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    expect(calls.calls.map((c) => `${c.nodeId}:${JSON.stringify(c.input).slice(0, 30)}`)).toEqual(['line:1', 'line:2', expect.stringMatching(/^handle:/)]);
    expect(calls.of('handle')[0]?.input).toEqual({
      error: { code: 'http_status', message: 'item 1 of 4 failed: line 2 rejected', status: 422 },
      input: { lines: [1, 2, 3, 4] },
    });
    const mapSteps = h.store.steps('run-1').filter((s) => s.nodeId === 'each');
    expect(mapSteps).toEqual([expect.objectContaining({ status: 'failed', port: 'error', error: expect.objectContaining({ code: 'http_status' }) })]);
    expect(h.store.stateOf('run-1')?.maps).toBeUndefined();
  });

  it('keeps failed items in their slots with onItemError continue, after the body policy retries', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const executors = {
      step: calls.wrap((ctx, _c, input) => {
        if (ctx.nodeId === 'line' && input === 'b') return Promise.reject(retryable('flaky'));
        return { output: typeof input === 'string' ? input.toUpperCase() : input };
      }),
    };
    const bodyPolicy = { retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 } };
    const { outcome } = await driveToEnd(h, h.claimedRun(mapGraph({ items: 'xs', onItemError: 'continue' }, { bodyPolicy }), { triggerPayload: { xs: ['a', 'b', 'c'] } }), executors);
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });
    const b = calls.calls.filter((c) => c.input === 'b');
    expect(b.map((c) => c.attempt)).toEqual([1, 2]);
    expect(b[0]?.idempotencyKey).toBe(b[1]?.idempotencyKey);
    expect(calls.of('after')[0]?.input).toEqual(['A', { error: { code: 'http_status', message: 'flaky', status: 503 }, input: 'b' }, 'C']);
  });

  it('resumes mid-map after a crash without re-running finished items', async () => {
    const h = harness();
    const calls = new CallLog();
    const executors = { step: calls.wrap((_ctx, _c, input) => ({ output: input })) };
    const claimed = h.claimedRun(mapGraph({ items: 'lines', concurrency: 1 }), { triggerPayload: { lines: ['x', 'y', 'z'] } });

    // #1 trigger, #2 map started, #3 item 0, then the worker dies.
    h.store.simulate({ crashAfterCommit: 3 });
    await expect(h.run(claimed, executors)).rejects.toBeInstanceOf(SimulatedCrashError);
    const frame = h.store.stateOf('run-1')?.maps?.a1;
    expect(frame).toMatchObject({ done: 1, next: 2, results: ['x', null, null] });

    // Item 1 ran but its commit never landed: it runs again with the same key.
    h.store.simulate({ crashBeforeCommit: 1 });
    await expect(h.run(h.store.claim(claimed), executors)).rejects.toBeInstanceOf(SimulatedCrashError);
    h.store.simulate({});
    expect(await h.run(h.store.claim(claimed), executors)).toEqual({ kind: 'finished', status: 'succeeded' });

    expect(calls.of('line').map((c) => [c.input, c.idempotencyKey])).toEqual([
      ['x', 'run-1:line:a1.0'],
      ['y', 'run-1:line:a1.1'],
      ['y', 'run-1:line:a1.1'],
      ['z', 'run-1:line:a1.2'],
    ]);
    expect(calls.of('after')[0]?.input).toEqual(['x', 'y', 'z']);
    expect(h.store.steps('run-1').filter((s) => s.nodeId === 'line').map((s) => s.itemIndex)).toEqual([0, 1, 2]);
  });
});
