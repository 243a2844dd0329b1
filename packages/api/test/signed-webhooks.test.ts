import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWebhookSecret, handleWebhook, signWebhook, verifyWebhookSignature } from '../src/index';
import { callerFor } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

process.env.SWITCHYARD_SECRET_KEY = randomBytes(32).toString('base64');

const nowSeconds = () => Math.floor(Date.now() / 1000);

function signed(secret: string, body: string, opts: { id?: string; timestamp?: number } = {}) {
  const id = opts.id ?? `msg_${randomUUID()}`;
  const timestamp = opts.timestamp ?? nowSeconds();
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook({ secret, id, timestamp, body }) };
}

describe('verifyWebhookSignature (pure)', () => {
  const secret = generateWebhookSecret();
  const body = '{"a":1}';

  it('accepts the Standard Webhooks reference vector', () => {
    // From the Standard Webhooks spec test vectors.
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const result = verifyWebhookSignature({
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      headers,
      rawBody: '{"test": 2432232314}',
      now: 1614265330_000,
    });
    expect(result).toEqual({ ok: true, messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek' });
  });

  it('names each missing header', () => {
    const all = signed(secret, body);
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const headers: Record<string, string> = { ...all };
      delete headers[name];
      const result = verifyWebhookSignature({ secrets: [secret], headers, rawBody: body });
      expect(result).toMatchObject({ ok: false, failure: 'missing_header' });
      expect(!result.ok && result.reason).toContain(name);
    }
  });

  it('refuses stale and future timestamps beyond 5 minutes, accepts inside the window', () => {
    const stale = verifyWebhookSignature({ secrets: [secret], headers: signed(secret, body, { timestamp: nowSeconds() - 301 }), rawBody: body });
    expect(stale).toMatchObject({ ok: false, failure: 'stale_timestamp' });
    const future = verifyWebhookSignature({ secrets: [secret], headers: signed(secret, body, { timestamp: nowSeconds() + 301 }), rawBody: body });
    expect(future).toMatchObject({ ok: false, failure: 'future_timestamp' });
    expect(verifyWebhookSignature({ secrets: [secret], headers: signed(secret, body, { timestamp: nowSeconds() - 290 }), rawBody: body }).ok).toBe(true);
    expect(verifyWebhookSignature({ secrets: [secret], headers: { ...signed(secret, body), 'webhook-timestamp': '12abc' }, rawBody: body })).toMatchObject({
      failure: 'bad_timestamp',
    });
  });

  it('refuses a wrong secret, a tampered body and garbage signatures; accepts one good entry among several', () => {
    const headers = signed(secret, body);
    expect(verifyWebhookSignature({ secrets: [generateWebhookSecret()], headers, rawBody: body })).toMatchObject({ failure: 'bad_signature' });
    expect(verifyWebhookSignature({ secrets: [secret], headers, rawBody: '{"a":2}' })).toMatchObject({ failure: 'bad_signature' });
    expect(verifyWebhookSignature({ secrets: [secret], headers: { ...headers, 'webhook-signature': 'v1,AAAA v2,zzz' }, rawBody: body })).toMatchObject({
      failure: 'bad_signature',
    });
    const several = { ...headers, 'webhook-signature': `v1,bm90IGl0 ${headers['webhook-signature']}` };
    expect(verifyWebhookSignature({ secrets: [secret], headers: several, rawBody: body }).ok).toBe(true);
    // Raw bytes: the same text as a Uint8Array verifies the same.
    expect(verifyWebhookSignature({ secrets: [secret], headers, rawBody: new TextEncoder().encode(body) }).ok).toBe(true);
  });

  it('checks every secret and entry (constant-time path: no early exit on the first match)', () => {
    const old = generateWebhookSecret();
    const headers = signed(old, body);
    // Two secrets, old one second: still found; and the newest-first order does not short-circuit.
    expect(verifyWebhookSignature({ secrets: [secret, old], headers, rawBody: body }).ok).toBe(true);
    expect(verifyWebhookSignature({ secrets: [old, secret], headers, rawBody: body }).ok).toBe(true);
  });
});

describe.skipIf(postgresUnavailable !== null)(`signed webhook ingress on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let tenantId: string;
  let workflowId: string;

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    handleWebhook(t.db, { tenantSlug: 'acme', path, headers: { 'content-type': 'application/json', ...headers }, rawBody: new TextEncoder().encode(body) });
  const runCount = () => t.db.prisma.run.count({ where: { tenantId } });

  beforeAll(async () => {
    t = await createTestDatabase('api_signed_hooks');
    tenantId = (await createTenant(t.db, 'acme', 'Acme')).id;
    const a = callerFor(t.db, 'acme');
    for (const [name, path] of [['Signed', 'signed'], ['Open', 'open']] as const) {
      const { id } = await a.workflows.create({ name });
      await a.workflows.saveDraft({ id, graph: webhookGraph(path), expectedRevision: 1 });
      await a.workflows.publish({ id });
      if (path === 'signed') workflowId = id;
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('keeps routes without a secret open, and requires signatures once a secret exists', async () => {
    expect((await post('open', '{"n":1}')).status).toBe(202);
    expect((await post('signed', '{"n":1}')).status).toBe(202);
    const a = callerFor(t.db, 'acme');
    const { secret } = await a.webhooks.rotateSecret({ workflowId });
    expect(secret).toMatch(/^whsec_/);
    expect(await a.webhooks.secrets({ workflowId })).toMatchObject({ signingRequired: true, secrets: [{ id: expect.any(String) }] });
    // The secret is encrypted at rest: the plain value is nowhere in the row.
    const row = await t.db.pool.query<{ encrypted_secret: Buffer }>('select encrypted_secret from webhook_secrets where workflow_id = $1', [workflowId]);
    expect(row.rows[0]!.encrypted_secret.toString('latin1')).not.toContain(secret.slice(6, 20));

    const before = await runCount();
    const unsigned = await post('signed', '{"n":2}');
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ error: expect.stringContaining('webhook-id header is missing') });
    const body = '{"n":3}';
    const wrong = await post('signed', body, signed(generateWebhookSecret(), body));
    expect(wrong).toMatchObject({ status: 401, body: { error: expect.stringContaining('no webhook-signature entry matches') } });
    const stale = await post('signed', body, signed(secret, body, { timestamp: nowSeconds() - 600 }));
    expect(stale).toMatchObject({ status: 401, body: { error: expect.stringContaining('in the past') } });
    const future = await post('signed', body, signed(secret, body, { timestamp: nowSeconds() + 600 }));
    expect(future).toMatchObject({ status: 401, body: { error: expect.stringContaining('in the future') } });
    const tampered = await post('signed', '{"n":4}', signed(secret, body));
    expect(tampered.status).toBe(401);
    expect(await runCount()).toBe(before);

    const headers = signed(secret, body);
    expect((await post('signed', body, headers)).status).toBe(202);
    const replay = await post('signed', body, headers);
    expect(replay).toMatchObject({ status: 401, body: { error: expect.stringContaining('already accepted') } });
    expect(await runCount()).toBe(before + 1);
  });

  it('accepts both secrets during a rotation and only the new one after revokeOldSecret', async () => {
    const a = callerFor(t.db, 'acme');
    const { secret: first } = await a.webhooks.rotateSecret({ workflowId });
    const { secret: second, liveSecrets } = await a.webhooks.rotateSecret({ workflowId });
    expect(liveSecrets).toBe(2);
    expect((await post('signed', '{"r":1}', signed(first, '{"r":1}'))).status).toBe(202);
    expect((await post('signed', '{"r":2}', signed(second, '{"r":2}'))).status).toBe(202);
    expect(await a.webhooks.revokeOldSecret({ workflowId })).toEqual({ revoked: 1 });
    expect((await post('signed', '{"r":3}', signed(first, '{"r":3}'))).status).toBe(401);
    expect((await post('signed', '{"r":4}', signed(second, '{"r":4}'))).status).toBe(202);
    // Secrets never reach the audit log.
    const audit = await a.audit.list({ entityType: 'workflow', action: 'webhook_secret.rotate' });
    expect(audit.items.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit)).not.toContain(second.slice(6));
  });

  it('accepts an ingress API key instead of a signature and refuses a key without the scope', async () => {
    const a = callerFor(t.db, 'acme');
    const ingress = await a.apiKeys.create({ name: 'partner', scopes: ['ingress'] });
    const reader = await a.apiKeys.create({ name: 'reader', scopes: ['runs:read'] });
    expect((await post('signed', '{"k":1}', { authorization: `Bearer ${ingress.key}` })).status).toBe(202);
    expect(await post('signed', '{"k":2}', { authorization: `Bearer ${reader.key}` })).toMatchObject({
      status: 403,
      body: { error: expect.stringContaining('lacks the ingress scope') },
    });
    expect((await post('signed', '{"k":3}', { authorization: 'Bearer sy_nope' })).status).toBe(401);
  });

  it('drops prototype-pollution keys from stored payloads', async () => {
    const body = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"ok":{"__proto__":{"polluted":1},"x":1}}';
    const res = await post('open', body);
    expect(res.status).toBe(202);
    const { runId } = res.body as { runId: string };
    const run = await t.db.prisma.run.findFirst({ where: { tenantId, id: runId }, select: { triggerPayload: true } });
    expect(run!.triggerPayload).toEqual({ ok: { x: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers 429 with Retry-After when the tenant exceeds its ingress rate', async () => {
    process.env.SWITCHYARD_INGRESS_RATE_LIMIT = '2/0.1';
    try {
      const results = [];
      for (let i = 0; i < 4; i += 1) results.push(await post('open', `{"rl":${i}}`));
      const limited = results.find((r) => r.status === 429);
      expect(limited).toBeDefined();
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.SWITCHYARD_INGRESS_RATE_LIMIT;
    }
  });
});
