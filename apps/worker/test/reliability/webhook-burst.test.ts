import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { handleWebhook } from '@switchyard/api';
import { openDatabase, toJsonValue } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { postgresAvailable, publishWorkflow } from '../support';
import { chainGraph, createFixture, duplicateSucceededSteps, effectsMismatch, waitAllTerminal, type Fixture } from './fixture';
import { startReceiver, type Receiver } from './receiver';

/**
 * Scenario 4: a partner retries one delivery 20 times at once (or two ingress servers receive it
 * concurrently). Through the real ingress (handleWebhook) on two separate connection pools, as two
 * web servers would: exactly one run, and the receiver sees its effect once.
 */
const hasPostgres = await postgresAvailable();
const DELIVERIES = 20;

describe.skipIf(!hasPostgres)('reliability: 20 identical webhook deliveries in parallel', () => {
  let fx: Fixture;
  let receiver: Receiver;
  let servers: Array<Awaited<ReturnType<typeof openDatabase>>> = [];

  beforeAll(async () => {
    fx = await createFixture('burst');
    receiver = await startReceiver({ delayMs: () => 20 });
    fx.receivers.push(receiver);
    servers = [await openDatabase({ url: fx.env.url }), await openDatabase({ url: fx.env.url })];
  }, 600_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await fx?.cleanup();
  });

  async function publishHook(slug: string, hookPath: string, idempotencyKeyPath?: string) {
    const trigger = { id: 't', kind: 'trigger.webhook', position: { x: 0, y: 0 }, config: { path: hookPath, synchronous: false, responseTimeoutMs: 10_000, ...(idempotencyKeyPath ? { idempotencyKeyPath } : {}) } };
    const graph: Graph = chainGraph(receiver.url, ['/book'], trigger);
    const ids = await publishWorkflow(fx.env.db, slug, graph);
    await fx.env.db.prisma.webhookRoute.create({ data: { tenantId: ids.tenantId, workflowId: ids.workflowId, path: hookPath } });
    await fx.env.db.prisma.workflow.update({ where: { id: ids.workflowId }, data: { draftGraph: toJsonValue(graph) } });
    return ids;
  }

  const burst = (slug: string, hookPath: string, body: unknown, headers: Record<string, string>) =>
    Promise.all(
      Array.from({ length: DELIVERIES }, (_, i) =>
        handleWebhook(servers[i % servers.length]!, { tenantSlug: slug, path: hookPath, headers: { 'content-type': 'application/json', ...headers }, rawBody: JSON.stringify(body) }),
      ),
    );

  it('makes exactly one run per key (header or payload key), executed once', async () => {
    onTestFailed(() => console.warn(fx.workers.report()));
    const byHeader = await publishHook('burst-header', 'orders');
    const byPayload = await publishHook('burst-payload', 'invoices', 'invoice.number');
    fx.workers.start();
    fx.workers.start();

    const [headerReplies, payloadReplies] = await Promise.all([
      burst('burst-header', 'orders', { order: 42, lines: [1, 2, 3] }, { 'Idempotency-Key': 'order-42' }),
      burst('burst-payload', 'invoices', { invoice: { number: 'INV-7' }, total: '12.50' }, {}),
    ]);
    for (const replies of [headerReplies, payloadReplies]) {
      expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
      expect(replies.filter((r) => r.status === 200)).toHaveLength(DELIVERIES - 1);
      expect(new Set(replies.map((r) => (r.body as { runId: string }).runId)).size).toBe(1);
    }

    await waitAllTerminal(fx.env.db.pool, 30_000);
    const runs = await fx.env.db.pool.query<{ tenant_id: string; status: string; idempotency_key: string }>(
      'SELECT tenant_id, status::text, idempotency_key FROM runs ORDER BY idempotency_key',
    );
    expect(runs.rows).toEqual([
      { tenant_id: byPayload.tenantId, status: 'succeeded', idempotency_key: 'INV-7' },
      { tenant_id: byHeader.tenantId, status: 'succeeded', idempotency_key: 'order-42' },
    ]);
    expect(receiver.effects.size).toBe(2);
    expect(receiver.deliveries).toHaveLength(2);
    expect(await duplicateSucceededSteps(fx.env.db.pool)).toEqual([]);
    expect(await effectsMismatch(fx.env.db.pool, receiver)).toEqual({ missing: [], unexpected: [], doubleSteps: [] });

    // A late 21st delivery after the run finished is still the same run, not a new one.
    const late = await burst('burst-header', 'orders', { order: 42, lines: [1, 2, 3] }, { 'Idempotency-Key': 'order-42' });
    expect(late.every((r) => r.status === 200 && (r.body as { runId: string }).runId === (headerReplies[0]!.body as { runId: string }).runId)).toBe(true);
    expect((await fx.env.db.pool.query('SELECT count(*)::int AS n FROM runs')).rows[0].n).toBe(2);
  }, 90_000);
});
