import http from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openDatabase, toJsonValue } from '@switchyard/db';
import type { Graph } from '@switchyard/workflow';

/** Admin URL of the real PostgreSQL used by integration tests (CI starts it). */
export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    if (process.env.SWITCHYARD_REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required but unreachable at ${adminUrl}`);
    console.warn(`skipping PostgreSQL tests: nothing answers at ${adminUrl} (set TEST_DATABASE_URL)`);
    return false;
  }
}

/** A migrated throwaway database; drop() removes it. */
export async function createTestDatabase(prefix: string) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const db = await openDatabase({ url: url.toString(), kind: 'postgres' });
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Inserts a tenant and a published workflow version (the active one); returns their ids. */
export async function publishWorkflow(db: Awaited<ReturnType<typeof openDatabase>>, slug: string, graph: Graph) {
  const tenant = await db.prisma.tenant.create({ data: { slug, name: slug }, select: { id: true } });
  const workflow = await db.prisma.workflow.create({ data: { tenantId: tenant.id, name: 'wf', draftGraph: toJsonValue(graph) }, select: { id: true } });
  const version = await db.prisma.workflowVersion.create({
    data: { tenantId: tenant.id, workflowId: workflow.id, version: 1, graph: toJsonValue(graph) },
    select: { id: true },
  });
  await db.prisma.workflow.update({ where: { id: workflow.id }, data: { activeVersionId: version.id } });
  return { tenantId: tenant.id, workflowId: workflow.id, versionId: version.id };
}

export interface RecordedRequest {
  path: string;
  idempotencyKey: string | undefined;
  correlationId: string | undefined;
}

/** A real HTTP receiver that records every request; `delays` holds per-path latency in ms. */
export async function startRecorder(delays: Record<string, number> = {}) {
  const requests: RecordedRequest[] = [];
  const listeners: Array<(r: RecordedRequest) => void> = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const rec: RecordedRequest = {
        path: req.url ?? '',
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        correlationId: req.headers['x-correlation-id'] as string | undefined,
      };
      requests.push(rec);
      for (const l of listeners) l(rec);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, path: rec.path }));
      }, delays[rec.path] ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    onRequest: (l: (r: RecordedRequest) => void) => listeners.push(l),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
