import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '@switchyard/db';
import { handleWebhook, MAX_WEBHOOK_BODY_BYTES } from '../src/index';
import { callerFor } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.skipIf(postgresUnavailable !== null)(`webhook ingress on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let tenantId: string;

  const post = (path: string, body: Uint8Array | string, headers: Record<string, string> = {}, tenantSlug = 'acme') =>
    handleWebhook(t.db, { tenantSlug, path, headers: { 'content-type': 'application/json', ...headers }, rawBody: body });
  const runCount = () => t.db.prisma.run.count({ where: { tenantId } });

  beforeAll(async () => {
    t = await createTestDatabase('api_webhook');
    tenantId = (await createTenant(t.db, 'acme', 'Acme')).id;
    await createTenant(t.db, 'globex', 'Globex');
    const a = callerFor(t.db, 'acme');
    const publish = async (name: string, graph: unknown) => {
      const { id } = await a.workflows.create({ name });
      await a.workflows.saveDraft({ id, graph, expectedRevision: 1 });
      await a.workflows.publish({ id });
    };
    await publish('Invoices', webhookGraph('invoices', { idempotencyKeyPath: 'invoice.number' }));
    await publish('Orders', webhookGraph('orders'));
    await publish('Sync', webhookGraph('sync', { synchronous: true, responseTimeoutMs: 5000 }));
    await publish('Sync slow', webhookGraph('sync-slow', { synchronous: true, responseTimeoutMs: 200 }));
    const draftOnly = await a.workflows.create({ name: 'Draft only' });
    await a.workflows.saveDraft({ id: draftOnly.id, graph: webhookGraph('draft-only'), expectedRevision: 1 });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('answers 404 for an unknown tenant, an unknown path and an unpublished path', async () => {
    for (const [tenant, path] of [
      ['initech', 'orders'],
      ['acme', 'nope'],
      ['acme', 'draft-only'],
      ['globex', 'orders'],
    ] as const) {
      const res = await post(path, '{}', {}, tenant);
      expect(res.status, `${tenant}/${path}`).toBe(404);
      expect(res.body).toEqual({ error: expect.stringContaining(tenant === 'initech' ? '"initech"' : `"${path}"`) });
    }
  });

  it('refuses bodies that are not JSON, or too large, without creating a run', async () => {
    const before = await runCount();
    const notJson = await post('orders', '{"invoice": ');
    expect(notJson.status).toBe(400);
    expect((notJson.body as { error: string }).error).toMatch(/^the body is not JSON: /);
    expect((await post('orders', new Uint8Array([0x7b, 0xff, 0x7d]))).body).toEqual({ error: 'the body is not valid UTF-8' });
    expect((await post('orders', '  ')).status).toBe(400);
    const big = await post('orders', JSON.stringify({ pad: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) }));
    expect(big.status).toBe(413);
    expect(await runCount()).toBe(before);
  });

  it('starts runs on a version published after the route was cached, at once (the cache is only a hint)', async () => {
    const a = callerFor(t.db, 'acme');
    const { id } = await a.workflows.create({ name: 'Republished' });
    await a.workflows.saveDraft({ id, graph: webhookGraph('republished'), expectedRevision: 1 });
    await a.workflows.publish({ id });
    const versionOf = async (res: Awaited<ReturnType<typeof post>>) =>
      (await t.db.prisma.run.findFirstOrThrow({ where: { tenantId, id: (res.body as { runId: string }).runId }, select: { versionId: true } })).versionId;
    const first = await post('republished', '{"v":1}');
    expect(first.status).toBe(202);
    const v1 = await versionOf(first);
    await a.workflows.saveDraft({ id, graph: webhookGraph('republished', { idempotencyKeyPath: 'v' }), expectedRevision: 2 });
    await a.workflows.publish({ id });
    const second = await post('republished', '{"v":2}');
    expect(second.status).toBe(202);
    expect(await versionOf(second)).not.toBe(v1);
    // The new version's trigger config applies too: its idempotency key path dedupes.
    expect((await post('republished', '{"v":2}')).status).toBe(200);
  });

  it('accepts a delivery with 202, the run id and the correlation id', async () => {
    const res = await post('orders', '{"order": 1}', { 'X-Correlation-Id': 'partner-abc' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ runId: expect.any(String), correlationId: 'partner-abc' });
    expect(res.headers['x-correlation-id']).toBe('partner-abc');
    const run = await t.db.prisma.run.findFirstOrThrow({ where: { tenantId, id: (res.body as { runId: string }).runId } });
    expect(run).toMatchObject({ trigger: 'webhook', status: 'queued', triggerPayload: { order: 1 }, payloadHash: sha256('{"order":1}'), idempotencyKey: null });

    const generated = await post('orders', '{"order": 2}');
    expect((generated.body as { correlationId: string }).correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns the existing run for the same key and payload, and 409 with both hashes for another payload', async () => {
    const first = await post('orders', '{"a": 1, "b": [1, 2]}', { 'Idempotency-Key': 'delivery-1' });
    expect(first.status).toBe(202);
    // Same JSON, other key order and spacing: the canonical hash is the same.
    const again = await post('orders', '{ "b": [1,2], "a": 1 }', { 'Idempotency-Key': 'delivery-1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const other = await post('orders', '{"a": 2}', { 'Idempotency-Key': 'delivery-1' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({
      runId: (first.body as { runId: string }).runId,
      existingPayloadHash: sha256('{"a":1,"b":[1,2]}'),
      payloadHash: sha256('{"a":2}'),
    });
    // Keys are per workflow: the same key on another workflow's hook is another request.
    expect((await post('invoices', '{"invoice": {"number": "x"}}', { 'Idempotency-Key': 'delivery-1' })).status).toBe(202);
  });

  it("takes the key from the trigger's idempotencyKeyPath", async () => {
    const first = await post('invoices', '{"invoice": {"number": "INV-9", "total": 10}}');
    const second = await post('invoices', '{"invoice": {"total": 10, "number": "INV-9"}}');
    expect(second.body).toEqual(first.body);
    const changed = await post('invoices', '{"invoice": {"number": "INV-9", "total": 11}}');
    expect(changed.status).toBe(409);
    const missing = await post('invoices', '{"invoice": {}}');
    expect(missing.status).toBe(400);
    expect((missing.body as { error: string }).error).toContain('"invoice.number"');
    const run = await t.db.prisma.run.findFirstOrThrow({ where: { tenantId, id: (first.body as { runId: string }).runId } });
    expect(run.idempotencyKey).toBe('INV-9');
  });

  it('turns 20 concurrent identical deliveries into one run', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post('orders', '{"burst": true}', { 'Idempotency-Key': 'burst-1' })),
    );
    const runIds = new Set(results.map((r) => (r.body as { runId: string }).runId));
    expect(runIds.size).toBe(1);
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(await t.db.prisma.run.count({ where: { tenantId, idempotencyKey: 'burst-1' } })).toBe(1);
  });

  /** Plays the worker: waits for the run carrying `correlationId`, then writes what a worker would. */
  async function actAsWorker(correlationId: string, data: Prisma.RunUpdateInput) {
    for (let i = 0; i < 200; i++) {
      const run = await t.db.prisma.run.findFirst({ where: { tenantId, correlationId }, select: { id: true } });
      if (run) {
        await t.db.prisma.run.update({ where: { id: run.id }, data });
        return run.id;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no run with correlation id ${correlationId} appeared`);
  }

  it("answers a synchronous trigger with the respond node's response", async () => {
    const pending = post('sync', '{"q": 1}', { 'X-Correlation-Id': 'sync-1' });
    const runId = await actAsWorker('sync-1', {
      status: 'running',
      response: { status: 201, headers: { 'x-invoice': 'INV-1' }, body: { created: 'INV-1' } },
    });
    const res = await pending;
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ created: 'INV-1' });
    expect(res.headers).toMatchObject({ 'x-invoice': 'INV-1', 'x-correlation-id': 'sync-1' });
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 502 when a synchronous run fails before responding, and 202 when it is too slow', async () => {
    const pending = post('sync', '{"q": 2}', { 'X-Correlation-Id': 'sync-2' });
    const runId = await actAsWorker('sync-2', { status: 'failed', error: { message: 'ERP down', code: 'http_503' } });
    const failed = await pending;
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ runId, error: { message: 'ERP down', code: 'http_503' } });

    const started = Date.now();
    const slow = await post('sync-slow', '{"q": 3}', { 'X-Correlation-Id': 'sync-3' });
    expect(slow.status).toBe(202);
    expect(slow.body).toEqual({ runId: expect.any(String), correlationId: 'sync-3' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
