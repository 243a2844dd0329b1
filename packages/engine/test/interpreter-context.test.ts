import { describe, expect, it } from 'vitest';
import type { ExecutorContext } from '../src/index';
import { graph } from '@switchyard/workflow/testing';
import { CallLog, driveToEnd, harness, retryable } from './fixtures';

describe('executeRun: executor context', () => {
  // trigger fans out to a and b, both lead to join: join has two activations.
  const diamond = graph()
    .node('t', 'trigger.webhook')
    .node('a', 'step')
    .node('b', 'step')
    .node('join', 'step')
    .edge('t', 'a')
    .edge('t', 'b')
    .edge('a', 'join')
    .edge('b', 'join')
    .build();

  it('gives every call the run ids, and a key stable across retries but distinct per activation', async () => {
    const h = harness({ start: 0 });
    const calls = new CallLog();
    const seen: ExecutorContext[] = [];
    const executors = {
      step: calls.wrap((ctx) => {
        seen.push(ctx);
        if (ctx.nodeId === 'a' && ctx.attempt === 1) throw retryable();
        return { output: ctx.nodeId };
      }),
    };
    const claimed = h.claimedRun(diamond, { id: 'run-9', tenantId: 'acme', correlationId: 'corr-abc', idempotencyKey: 'inv-1001', triggerPayload: { p: 1 } });
    const { outcome } = await driveToEnd(h, claimed, executors);
    expect(outcome).toEqual({ kind: 'finished', status: 'succeeded' });

    for (const ctx of seen) {
      expect(ctx).toMatchObject({ runId: 'run-9', tenantId: 'acme', correlationId: 'corr-abc', trigger: { p: 1 } });
    }
    const aCalls = calls.of('a');
    expect(aCalls.map((c) => c.attempt)).toEqual([1, 2]);
    expect(aCalls[0]?.idempotencyKey).toBe(aCalls[1]?.idempotencyKey);
    const joinKeys = calls.of('join').map((c) => c.idempotencyKey);
    expect(joinKeys).toHaveLength(2);
    expect(new Set(joinKeys).size).toBe(2);
    // Derived from the run's ingress key, so a duplicate run of the same event reuses the same keys.
    expect(calls.of('b')[0]?.idempotencyKey).toBe('inv-1001:b:a2');
    const allKeys = new Set(calls.calls.map((c) => `${c.nodeId}#${c.attempt}:${c.idempotencyKey}`));
    expect(allKeys.size).toBe(calls.calls.length);
    // The recorded steps carry the same keys the executors saw.
    const stepKeys = h.store.steps('run-9').filter((s) => s.nodeId === 'a').map((s) => s.idempotencyKey);
    expect(stepKeys).toEqual([aCalls[0]?.idempotencyKey, aCalls[0]?.idempotencyKey]);
  });

  it('falls back to the run id when the run has no idempotency key', async () => {
    const h = harness();
    const calls = new CallLog();
    await h.run(h.claimedRun(diamond, { id: 'run-7' }), { step: calls.wrap(() => ({ output: 1 })) });
    expect(calls.of('a')[0]?.idempotencyKey).toBe('run-7:a:a1');
  });

  it('writes the correlation id on every log line, engine and executor alike', async () => {
    const h = harness({ start: 0 });
    const executors = {
      step: (ctx: ExecutorContext) => {
        ctx.logger.info({ target: 'erp' }, 'calling the ERP');
        if (ctx.nodeId === 'b') return Promise.reject(retryable());
        return Promise.resolve({ output: 1 });
      },
    };
    await h.run(h.claimedRun(diamond, { correlationId: 'corr-log', tenantId: 'acme', id: 'run-3' }), executors);

    expect(h.logger.lines.length).toBeGreaterThan(4);
    for (const line of h.logger.lines) {
      expect(line.fields).toMatchObject({ correlationId: 'corr-log', tenantId: 'acme', runId: 'run-3' });
    }
    const executorLine = h.logger.find('calling the ERP')[0];
    expect(executorLine?.fields).toMatchObject({ nodeId: 'a', attempt: 1, target: 'erp' });
    expect(h.logger.find('step failed; retry scheduled')[0]?.fields).toMatchObject({ nodeId: 'b', attempt: 1, code: 'http_status' });
  });
});
