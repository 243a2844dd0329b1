import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Graph } from '@switchyard/workflow';
import { startEmbeddedPostgres, toJsonValue, type Database } from '../src/index';

/**
 * The two backends every integration test runs on: the embedded PGlite (one instance per test
 * file, ~3 s to start) and the real PostgreSQL (a uniquely named database per test file).
 */

export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  /** Only for PGlite: the data folder (the embedded server can be restarted on it). */
  dataDir?: string;
  teardown(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Set when the backend cannot run here; the tests are skipped with this reason in their title. */
  skipReason?: string;
  create(): Promise<TestDatabase>;
}

async function postgresSkipReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (err) {
    const reason = `PostgreSQL unreachable at ${adminUrl} (${err instanceof Error ? err.message : String(err)}); set TEST_DATABASE_URL`;
    if (process.env.SWITCHYARD_REQUIRE_POSTGRES === '1') throw new Error(`SWITCHYARD_REQUIRE_POSTGRES=1 but ${reason}`);
    console.warn(`skipping PostgreSQL tests: ${reason}`);
    return reason;
  }
}

const pgliteBackend: Backend = {
  name: 'pglite',
  async create() {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-db-test-'));
    const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pglite') });
    return {
      url: server.url,
      dataDir: path.join(dataDir, 'pglite'),
      async teardown() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

function postgresBackend(skipReason: string | undefined): Backend {
  return {
    name: 'postgres',
    skipReason,
    async create() {
      const name = `switchyard_db_test_${randomBytes(5).toString('hex')}`;
      await adminQuery(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        teardown: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      };
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const backends: Backend[] = [pgliteBackend, postgresBackend(await postgresSkipReason())];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const testGraph: Graph = {
  schemaVersion: 1,
  settings: {},
  nodes: [
    { id: 'start', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
    { id: 'hook', kind: 'trigger.webhook', position: { x: 0, y: 100 }, config: { path: 'in' } },
    { id: 'map', kind: 'transform', position: { x: 200, y: 0 }, config: { expression: '$' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'out', target: 'map' },
    { id: 'e2', source: 'hook', sourcePort: 'out', target: 'map' },
  ],
};

/** A tenant with a published workflow version, written through Prisma (so Prisma is exercised too). */
export async function publishWorkflow(db: Database, slug = `t-${randomBytes(4).toString('hex')}`, graph: Graph = testGraph, timeZone = 'UTC') {
  const tenant = await db.prisma.tenant.create({ data: { slug, name: slug, timeZone }, select: { id: true } });
  const workflow = await db.prisma.workflow.create({
    data: { tenantId: tenant.id, name: 'wf', draftGraph: toJsonValue(graph) },
    select: { id: true },
  });
  const version = await db.prisma.workflowVersion.create({
    data: { tenantId: tenant.id, workflowId: workflow.id, version: 1, graph: toJsonValue(graph) },
    select: { id: true },
  });
  await db.prisma.workflow.update({ where: { id: workflow.id }, data: { activeVersionId: version.id } });
  return { tenantId: tenant.id, workflowId: workflow.id, versionId: version.id };
}

/** Queues `count` runs of a published workflow in one statement (backlogs for the fairness tests). */
export async function queueMany(db: Database, ids: { tenantId: string; workflowId: string; versionId: string }, count: number, priority = 0) {
  await db.pool.query(
    `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, trigger_payload, priority, wake_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, $2, $3, 'queued', 'manual', 'bulk-' || g, '{}'::jsonb, $5, now() - interval '1 minute' + g * interval '1 millisecond', now(), now()
       FROM generate_series(1, $4) AS g`,
    [ids.tenantId, ids.workflowId, ids.versionId, count, priority],
  );
}

/** A run stuck in `running` with an expired lease, as a crashed worker leaves it. */
export async function expireLease(db: Database, runId: string) {
  await db.pool.query(`UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [runId]);
}
