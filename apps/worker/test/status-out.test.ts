import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, createContextInner, generateApiKey, handlePortalStatusRequest, verifyWebhookSignature } from '@switchyard/api';
import { generateSecretKey, loadSecretKeyring, toJsonValue } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';
import { createLogger } from '../src/logger';
import { startStatusSender, statusRetryDelayMs, type StatusSender } from '../src/status-out/sender';
import { createTestDatabase, postgresAvailable, publishWorkflow } from './support';

/**
 * Status out end to end on real PostgreSQL: run status changes reach the outbox through the trigger,
 * the sender POSTs them to a real HTTP receiver on loopback, signed (checked with the ingress
 * verifier), retried after 500s, redelivered on request, and only to the run's own tenant.
 */
const hasPostgres = await postgresAvailable();
const graph: Graph = { schemaVersion: 1, nodes: [{ id: 't', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} }], edges: [], settings: {} } as unknown as Graph;

interface Received { headers: Record<string, string>; body: string }

async function startReceiver(failFirst: number) {
  const received: Received[] = [];
  let failuresLeft = failFirst;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500).end('boom');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks/status`, host: `127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.skipIf(!hasPostgres)('status out webhooks', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Awaited<ReturnType<typeof publishWorkflow>>;
  let b: Awaited<ReturnType<typeof publishWorkflow>>;
  let receiverA: Awaited<ReturnType<typeof startReceiver>>;
  let receiverB: Awaited<ReturnType<typeof startReceiver>>;
  let sender: StatusSender;
  let secretA = '';
  const savedKey = process.env.SWITCHYARD_SECRET_KEY;

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    env = await createTestDatabase('sy_status_out');
    a = await publishWorkflow(env.db, 'acme-status', graph);
    b = await publishWorkflow(env.db, 'globex-status', graph);
    receiverA = await startReceiver(2);
    receiverB = await startReceiver(0);
    sender = startStatusSender({
      pool: env.db.pool,
      keyring: loadSecretKeyring({ databaseKind: 'postgres' }),
      logger: createLogger('silent'),
      allowlist: `${receiverA.host},${receiverB.host}`,
      intervalMs: 3_600_000,
      baseDelayMs: 1,
      maxDelayMs: 5,
      maxAttempts: 4,
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await receiverA?.close();
    await receiverB?.close();
    await env?.drop();
    if (savedKey === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    else process.env.SWITCHYARD_SECRET_KEY = savedKey;
  });

  const caller = (slug: string) => createCaller(createContextInner({ db: env.db, tenantSlug: slug, user: { id: '00000000-0000-4000-8000-00000000a11a', email: 'admin@test.local', name: 'Admin', platformAdmin: true } }));

  async function drain(until: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !until(); i++) {
      await sender.runOnce();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('creates subscriptions with a secret shown once and never listed', async () => {
    const created = await caller('acme-status').statusOut.create({ name: 'portal', url: receiverA.url, statuses: ['running', 'succeeded', 'failed'] });
    secretA = created.secret;
    expect(secretA).toMatch(/^whsec_/);
    await caller('globex-status').statusOut.create({ name: 'portal', url: receiverB.url });
    const listed = await caller('acme-status').statusOut.subscriptions();
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secretA.slice(6));
    expect(Object.keys(listed[0]!)).not.toContain('encryptedSecret');
    const row = await env.db.prisma.statusSubscription.findFirstOrThrow({ where: { tenantId: a.tenantId } });
    expect(Buffer.from(row.encryptedSecret).toString('utf8')).not.toContain(secretA.slice(6));
    await expect(caller('acme-status').statusOut.create({ name: 'x', url: 'ftp://example.com' })).rejects.toThrow(/http or https/);
    await expect(caller('acme-status').statusOut.create({ name: 'x', url: receiverA.url, workflowIds: [b.workflowId] })).rejects.toThrow(/workflowIds/);
  });

  it('delivers signed status changes, retries after 500s, and keeps tenants apart', async () => {
    const run = await env.db.prisma.run.create({
      data: { tenantId: a.tenantId, workflowId: a.workflowId, versionId: a.versionId, correlationId: 'corr-1', triggerPayload: toJsonValue({ secret: 'payload-value' }), businessKeys: ['INV-42'] },
      select: { id: true },
    });
    await env.db.pool.query(`UPDATE runs SET status = 'running' WHERE id = $1`, [run.id]);
    // A step commit that leaves the run running is not a status change: no event.
    await env.db.pool.query(`UPDATE runs SET status = 'running', attempts = attempts + 1 WHERE id = $1`, [run.id]);
    await env.db.pool.query(`UPDATE runs SET status = 'succeeded', finished_at = now() WHERE id = $1`, [run.id]);
    const events = await env.db.prisma.runStatusEvent.findMany({ where: { tenantId: a.tenantId }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.status)).toEqual(['queued', 'running', 'succeeded']);

    await drain(() => receiverA.received.filter((r) => r.headers['webhook-id']).length >= 4);
    // queued is filtered out by the subscription; 2 × 500 first, so running is retried twice.
    const ok = await caller('acme-status').statusOut.deliveries({});
    expect(ok.map((d) => d.state).sort()).toEqual(['succeeded', 'succeeded']);
    // Both deliveries go out together, so the two 500s fall on either; each ends with a 204.
    const codes = ok.flatMap((d) => d.log.map((l) => l.statusCode));
    expect(codes.filter((c) => c === 500)).toHaveLength(2);
    expect(codes.filter((c) => c === 204)).toHaveLength(2);
    expect(ok.reduce((n, d) => n + d.attempts, 0)).toBe(4);
    expect(ok.flatMap((d) => d.log).find((l) => l.statusCode === 500)!.error).toContain('HTTP 500');
    for (const d of ok) expect(d.log.at(-1)!.statusCode).toBe(204);

    for (const request of receiverA.received) {
      const verdict = verifyWebhookSignature({ secrets: [secretA], headers: request.headers, rawBody: request.body });
      expect(verdict.ok).toBe(true);
      expect(request.body).not.toContain('payload-value');
      const body = JSON.parse(request.body) as { type: string; data: { runId: string; businessKeys: string[] } };
      expect(body.type).toBe('run.status_changed');
      expect(body.data).toMatchObject({ runId: run.id, businessKeys: ['INV-42'] });
    }
    expect(receiverB.received).toHaveLength(0);
    expect(await caller('globex-status').statusOut.deliveries({})).toHaveLength(0);
  });

  it('redelivers on request, only within the tenant', async () => {
    const [delivery] = await caller('acme-status').statusOut.deliveries({});
    await expect(caller('globex-status').statusOut.redeliver({ id: delivery!.id })).rejects.toThrow(/not found/);
    const before = receiverA.received.length;
    await caller('acme-status').statusOut.redeliver({ id: delivery!.id });
    await drain(() => receiverA.received.length > before);
    expect(receiverA.received[before]!.headers['webhook-id']).toBe(delivery!.id);
    const after = (await caller('acme-status').statusOut.deliveries({})).find((d) => d.id === delivery!.id)!;
    expect(after.state).toBe('succeeded');
    expect(after.log.length).toBe(delivery!.log.length + 1);
  });

  it('refuses endpoints outside the outbound address policy and gives up after maxAttempts', async () => {
    const strict = startStatusSender({ pool: env.db.pool, keyring: loadSecretKeyring({ databaseKind: 'postgres' }), logger: createLogger('silent'), allowlist: '', intervalMs: 3_600_000, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 });
    await sender.stop();
    try {
      await caller('globex-status').statusOut.create({ name: 'blocked', url: 'http://127.0.0.1:59999/nowhere' });
      await env.db.prisma.statusSubscription.updateMany({ where: { tenantId: b.tenantId, name: 'portal' }, data: { active: false } });
      await env.db.prisma.run.create({ data: { tenantId: b.tenantId, workflowId: b.workflowId, versionId: b.versionId, correlationId: 'corr-2', triggerPayload: {} } });
      for (let i = 0; i < 50; i++) {
        await strict.runOnce();
        const [d] = await caller('globex-status').statusOut.deliveries({});
        if (d?.state === 'failed') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const [d] = await caller('globex-status').statusOut.deliveries({});
      expect(d!.state).toBe('failed');
      expect(d!.attempts).toBe(2);
      expect(d!.lastError).toMatch(/blocked|not allowed|private|loopback/i);
    } finally {
      await strict.stop();
    }
  });

  it('serves run status by business key to a key with the status scope only', async () => {
    const { key, prefix, keyHash } = generateApiKey();
    await env.db.prisma.apiKey.create({ data: { tenantId: a.tenantId, name: 'portal', prefix, keyHash, scopes: ['status'] } });
    const other = generateApiKey();
    await env.db.prisma.apiKey.create({ data: { tenantId: b.tenantId, name: 'portal', prefix: other.prefix, keyHash: other.keyHash, scopes: ['status'] } });
    const res = await handlePortalStatusRequest(env.db, { headers: { authorization: `Bearer ${key}` }, businessKey: 'INV-42' });
    expect(res.status).toBe(200);
    const body = res.body as { runs: { status: string }[] };
    expect(body.runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(JSON.stringify(body)).not.toContain('payload-value');
    const foreign = await handlePortalStatusRequest(env.db, { headers: { authorization: `Bearer ${other.key}` }, businessKey: 'INV-42' });
    expect((foreign.body as { runs: unknown[] }).runs).toEqual([]);
    expect((await handlePortalStatusRequest(env.db, { headers: {}, businessKey: 'INV-42' })).status).toBe(401);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(statusRetryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(statusRetryDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(statusRetryDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
