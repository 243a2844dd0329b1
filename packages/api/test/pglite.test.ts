import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, startEmbeddedPostgres, type Database, type EmbeddedPostgres } from '@switchyard/db';
import { handleWebhook, healthCheck } from '../src/index';
import { callerFor } from './support/callers';
import { webhookGraph } from './support/graphs';

/** The embedded default runs the same code: one pass through the API on PGlite behind its socket. */
describe('API on the embedded PGlite', () => {
  let dir: string;
  let server: EmbeddedPostgres;
  let db: Database;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchyard-api-pglite-'));
    server = await startEmbeddedPostgres({ dataDir: dir });
    await migrate(server.url);
    db = await openDatabase({ url: server.url, kind: 'pglite' });
    await db.prisma.tenant.create({ data: { slug: 'acme', name: 'Acme' } });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates, publishes, ingests idempotently and lists runs', async () => {
    expect(await healthCheck(db)).toEqual({ status: 'ok', database: 'pglite' });
    const a = callerFor(db, 'acme');
    const { id } = await a.workflows.create({ name: 'Embedded' });
    await a.workflows.saveDraft({ id, graph: webhookGraph('embedded'), expectedRevision: 1 });
    expect(await a.workflows.publish({ id })).toMatchObject({ version: 1 });

    // Concurrent identical deliveries over the embedded socket: one run, the rest see it.
    const deliver = () => handleWebhook(db, { tenantSlug: 'acme', path: 'embedded', headers: { 'idempotency-key': 'k1' }, rawBody: '{"n":1}' });
    const results = await Promise.all(Array.from({ length: 8 }, deliver));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const notJson = await handleWebhook(db, { tenantSlug: 'acme', path: 'embedded', headers: {}, rawBody: 'nope' });
    expect(notJson.status).toBe(400);

    const page = await a.runs.list({ workflowId: id });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ status: 'queued', trigger: 'webhook', idempotencyKey: 'k1', version: 1 });
    expect((await a.runs.get({ id: page.items[0]!.id })).steps).toEqual([]);
  }, 30_000);
});
