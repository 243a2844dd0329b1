import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGRESS_RATE_ENV, handleWebhook } from '../src/index';
import { callerFor } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

/**
 * Concurrent deliveries share statements (ingress-enqueue.ts, IngressBatcher): bursts far above the
 * batcher's concurrency must still give every delivery exactly the answer it would get alone.
 */
describe.skipIf(postgresUnavailable !== null)(`ingress batching on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let tenantId: string;
  const post = (body: unknown, headers: Record<string, string> = {}, path = 'invoices') =>
    handleWebhook(t.db, { tenantSlug: 'acme', path, headers: { 'content-type': 'application/json', ...headers }, rawBody: JSON.stringify(body) });

  const previousLimit = process.env[INGRESS_RATE_ENV];
  beforeAll(async () => {
    // Bursts well above the default per-tenant ingress limit: the limit is not what is tested here.
    process.env[INGRESS_RATE_ENV] = '100000/100000';
    t = await createTestDatabase('api_ingress_batching');
    tenantId = (await createTenant(t.db, 'acme', 'Acme')).id;
    const a = callerFor(t.db, 'acme');
    for (const [name, graph] of [
      ['Invoices', webhookGraph('invoices', { idempotencyKeyPath: 'invoice.number' })],
      ['Orders', webhookGraph('orders')],
    ] as const) {
      const { id } = await a.workflows.create({ name });
      await a.workflows.saveDraft({ id, graph, expectedRevision: 1 });
      await a.workflows.publish({ id });
    }
  });
  afterAll(async () => {
    if (previousLimit === undefined) delete process.env[INGRESS_RATE_ENV];
    else process.env[INGRESS_RATE_ENV] = previousLimit;
    await t?.drop();
  });

  it('a burst of distinct deliveries makes one run each, with its own payload', { timeout: 60_000 }, async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => post({ invoice: { number: `B-${i}` }, i })));
    expect(answers.map((a) => a.status).filter((s) => s !== 202)).toEqual([]);
    const ids = answers.map((a) => (a.body as { runId: string }).runId);
    expect(new Set(ids).size).toBe(300);
    const runs = await t.db.prisma.run.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, triggerPayload: true, idempotencyKey: true } });
    const byId = new Map(runs.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      expect(byId.get(id)?.triggerPayload).toEqual({ invoice: { number: `B-${i}` }, i });
      expect(byId.get(id)?.idempotencyKey).toBe(`B-${i}`);
    });
  });

  it('duplicates inside one burst: one run per key, the others answered from it, a changed payload refused', { timeout: 60_000 }, async () => {
    const same = Array.from({ length: 40 }, () => post({ invoice: { number: 'DUP-1' } }));
    const changed = post({ invoice: { number: 'DUP-1' }, changed: true });
    const others = Array.from({ length: 40 }, (_, i) => post({ n: i }, { 'idempotency-key': `order-${i % 10}` }, 'orders'));
    const [sameAnswers, changedAnswer, otherAnswers] = await Promise.all([Promise.all(same), changed, Promise.all(others)]);

    const dupRuns = new Set(sameAnswers.map((a) => (a.body as { runId: string }).runId));
    expect(dupRuns.size).toBe(1);
    expect(sameAnswers.filter((a) => a.status === 202).length + (changedAnswer.status === 202 ? 1 : 0)).toBe(1);
    expect(await t.db.prisma.run.count({ where: { tenantId, idempotencyKey: 'DUP-1' } })).toBe(1);
    // Whichever came first holds the key; the other payload gets 409 (or, if it won, all 40 get 409).
    if (changedAnswer.status === 202) expect(sameAnswers.every((a) => a.status === 409)).toBe(true);
    else expect(changedAnswer.status).toBe(409);

    // Ten keys, four deliveries each, payloads differing: one 202 per key, the rest 409.
    expect(otherAnswers.filter((a) => a.status === 202)).toHaveLength(10);
    expect(otherAnswers.filter((a) => a.status === 409)).toHaveLength(30);
  });
});
