import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgRunStore, claimRuns, type WaitKind } from '@switchyard/db';
import { handleEventWebhook, handleWebhook, signWebhook } from '../src/index';
import { callerFor } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

process.env.SWITCHYARD_SECRET_KEY = randomBytes(32).toString('base64');

function signed(secret: string, body: string, id = `msg_${randomUUID()}`) {
  const timestamp = Math.floor(Date.now() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook({ secret, id, timestamp, body }) };
}

describe.skipIf(postgresUnavailable !== null)(`event and approval webhooks on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let store: PgRunStore;
  const workflows: Record<string, string> = {};

  const send = (path: string, body: string, headers: Record<string, string> = {}, tenantSlug = 'acme') =>
    handleEventWebhook(t.db, { tenantSlug, path, headers: { 'content-type': 'application/json', ...headers }, rawBody: new TextEncoder().encode(body) });
  const inbox = async (runId: string) =>
    (await t.db.pool.query('SELECT kind, key, payload, decision FROM run_deliveries WHERE run_id = $1 ORDER BY received_at', [runId])).rows;

  /** A run of the workflow on `path`, parked on one wait, the way the engine leaves it. */
  async function parkedRun(path: string, kind: WaitKind, key: string, correlationId = `corr-${randomUUID()}`) {
    const started = await handleWebhook(t.db, { tenantSlug: 'acme', path, headers: { 'x-correlation-id': correlationId, authorization: `Bearer ${ingressKey}` }, rawBody: '{"n":1}' });
    const { runId } = started.body as { runId: string };
    // Runs woken by earlier tests are queued too: claim them all, park only this one.
    const claimed = (await claimRuns(t.db.pool, { workerId: 'test', limit: 50, leaseMs: 30_000 })).find((r) => r.id === runId);
    expect(claimed).toBeDefined();
    const state = { pending: [{ id: 'a1', nodeId: 'w', input: null, attempt: 1 }], outputs: {}, seq: 2 };
    expect(await store.commit(runId, claimed!.leaseToken, { steps: [], state, status: 'waiting', waits: [{ activationId: 'a1', nodeId: 'w', kind, key }] })).toBe('ok');
    return runId;
  }

  let eventsKey: string;
  let ingressKey: string;
  let ordersSecret: string;

  beforeAll(async () => {
    t = await createTestDatabase('api_event_hooks');
    store = new PgRunStore(t.db.pool);
    await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
    const a = callerFor(t.db, 'acme');
    for (const path of ['orders', 'other']) {
      const { id } = await a.workflows.create({ name: path });
      await a.workflows.saveDraft({ id, graph: webhookGraph(path), expectedRevision: 1 });
      await a.workflows.publish({ id });
      workflows[path] = id;
    }
    ordersSecret = (await a.webhooks.rotateSecret({ workflowId: workflows.orders! })).secret;
    eventsKey = (await a.apiKeys.create({ name: 'events', scopes: ['events'] })).key;
    ingressKey = (await a.apiKeys.create({ name: 'ingress', scopes: ['ingress'] })).key;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('tenant-wide: needs an events-scoped key, then wakes every run of the tenant waiting on the key', async () => {
    const first = await parkedRun('orders', 'event', 'SO-1');
    const second = await parkedRun('other', 'event', 'SO-1');
    const body = '{"key":"SO-1","payload":{"shipped":true}}';

    expect(await send('', body)).toMatchObject({ status: 401, body: { error: expect.stringContaining('events scope') } });
    expect(await send('', body, { authorization: `Bearer ${ingressKey}` })).toMatchObject({ status: 403, body: { error: expect.stringContaining('lacks the events scope') } });
    const globexKey = (await callerFor(t.db, 'globex').apiKeys.create({ name: 'g', scopes: ['events'] })).key;
    expect((await send('', body, { authorization: `Bearer ${globexKey}` })).status).toBe(401);

    const delivered = await send('', body, { authorization: `Bearer ${eventsKey}` });
    expect(delivered.status).toBe(202);
    expect((delivered.body as { delivered: { runId: string }[] }).delivered.map((d) => d.runId).sort()).toEqual([first, second].sort());
    expect(await inbox(first)).toEqual([{ kind: 'event', key: 'SO-1', payload: { shipped: true }, decision: null }]);
    expect((await t.db.pool.query('SELECT status FROM runs WHERE id = $1', [first])).rows[0].status).toBe('queued');

    // Nothing waits on it any more: 404, and it is not kept.
    expect(await send('', '{"key":"SO-404"}', { authorization: `Bearer ${eventsKey}` })).toMatchObject({
      status: 404,
      body: { error: 'no run of tenant "acme" is waiting for an event with key "SO-404" (not there yet, timed out, or already delivered)' },
    });
  });

  it('on a hook path: signed with that route’s secret, reaches only that workflow’s runs, and a 404 lets the same delivery retry', async () => {
    const other = await parkedRun('other', 'event', 'SO-2');
    const body = '{"key":"SO-2","payload":{"n":2}}';
    expect(await send('orders', body)).toMatchObject({ status: 401, body: { error: expect.stringContaining('webhook-id header is missing') } });

    const headers = signed(ordersSecret, body);
    expect((await send('orders', body, headers)).status).toBe(404);
    expect(await inbox(other)).toEqual([]);

    // The run reaches its wait later; the sender retries the very same delivery.
    const orders = await parkedRun('orders', 'event', 'SO-2');
    expect(await send('orders', body, headers)).toMatchObject({ status: 202, body: { delivered: [{ runId: orders, previousStatus: 'waiting' }] } });
    expect(await send('orders', body, headers)).toMatchObject({ status: 401, body: { error: expect.stringContaining('already accepted') } });
    expect(await send('nowhere', body, headers)).toMatchObject({ status: 404, body: { error: expect.stringContaining('listens on "nowhere"') } });
  });

  it('matches by correlation id (body or X-Correlation-Id header) when no key is given', async () => {
    const run = await parkedRun('other', 'event', 'SO-3', 'corr-abc');
    const bystander = await parkedRun('other', 'event', 'SO-3', 'corr-def');
    const res = await send('other', '{"payload":{"ok":1}}', { 'x-correlation-id': 'corr-abc', authorization: `Bearer ${eventsKey}` });
    expect(res).toMatchObject({ status: 202, body: { delivered: [{ runId: run }] } });
    expect(await inbox(run)).toEqual([{ kind: 'event', key: 'SO-3', payload: { ok: 1 }, decision: null }]);
    expect(await inbox(bystander)).toEqual([]);
    expect((await send('', '{"correlationId":"corr-def"}', { authorization: `Bearer ${eventsKey}` })).status).toBe(202);
  });

  it('decides approvals, with the decision required', async () => {
    const run = await parkedRun('other', 'approval', 'INV-1');
    const auth = { authorization: `Bearer ${eventsKey}` };
    expect(await send('', '{"kind":"approval","key":"INV-1"}', auth)).toMatchObject({
      status: 400,
      body: { error: 'the event is invalid', issues: [{ path: 'decision', message: 'is required for an approval: "approved" or "rejected"' }] },
    });
    expect((await send('', '{"key":"INV-1"}', auth)).status).toBe(404);
    const res = await send('', '{"kind":"approval","key":"INV-1","decision":"rejected","comment":"wrong amount"}', auth);
    expect(res.status).toBe(202);
    const [row] = await inbox(run);
    expect(row).toMatchObject({ kind: 'approval', key: 'INV-1', decision: 'rejected', payload: { decision: 'rejected', comment: 'wrong amount' } });
  });

  it('answers bad bodies with the field and what is wrong, and unknown tenants with 404', async () => {
    const auth = { authorization: `Bearer ${eventsKey}` };
    expect(await send('', '{"key":', auth)).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^the body is not JSON/) } });
    expect(await send('', '  ', auth)).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^the body is empty/) } });
    expect(await send('', '[1]', auth)).toMatchObject({ status: 400, body: { issues: [{ path: '(body)' }] } });
    expect(await send('', '{"key":"A","colour":"red"}', auth)).toMatchObject({ status: 400, body: { issues: [{ message: expect.stringContaining('colour') }] } });
    expect(await send('', '{"key":"A","decision":"approved"}', auth)).toMatchObject({ status: 400, body: { issues: [{ path: 'decision', message: 'is only for approvals (kind "approval")' }] } });
    expect(await send('', '{"payload":{}}', auth)).toMatchObject({ status: 400, body: { issues: [{ path: 'key', message: expect.stringContaining('or its correlationId') }] } });
    expect(await send('', '{"key":""}', auth)).toMatchObject({ status: 400, body: { issues: [{ path: 'key', message: 'must not be empty' }] } });
    expect(await send('', '{"key":"A"}', auth, 'nobody')).toMatchObject({ status: 404, body: { error: 'unknown tenant "nobody"' } });
  });
});
