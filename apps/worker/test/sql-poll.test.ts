import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorExecutors, createSqlPools, withConnections } from '@switchyard/connectors';
import type { ConnectionResolver, Graph, ResolvedConnection } from '@switchyard/workflow';
import { SqlPollHost } from '../src/database/sql-poll';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { adminUrl, createTestDatabase, postgresAvailable, publishWorkflow } from './support';

/**
 * Watermark polling of a tenant's own PostgreSQL database: each new or changed row starts one run
 * (a repeated poll finds the runs already there), and the run writes the row into another table of
 * that database with sql.upsert.
 */
const hasPostgres = await postgresAvailable();
const node = (id: string, kind: string, config: Record<string, unknown> = {}) => ({ id, kind, position: { x: 0, y: 0 }, config });

describe.skipIf(!hasPostgres)('trigger.sql-poll → sql.upsert (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let source: pg.Client;
  let worker: Worker;
  let host: SqlPollHost;
  const sqlPools = createSqlPools({ allowlist: '127.0.0.1' });
  const tenantDb = `sy_tenantdb_${randomBytes(4).toString('hex')}`;
  let ids: { tenantId: string };

  beforeAll(async () => {
    env = await createTestDatabase('sy_sqlpoll');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${tenantDb}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${tenantDb}`;
    source = new pg.Client({ connectionString: u.toString() });
    await source.connect();
    await source.query('CREATE TABLE orders (id text PRIMARY KEY, total numeric(12,2) NOT NULL, updated_at timestamptz NOT NULL)');
    await source.query('CREATE TABLE order_copies (id text PRIMARY KEY, total text NOT NULL, seen_at text NOT NULL)');
    const connection: ResolvedConnection = {
      id: 'c-1',
      name: 'erp-db',
      kind: 'postgres',
      baseUrl: `postgres://${u.hostname}:${u.port || 5432}/${tenantDb}`,
      config: {},
      credentials: { username: u.username || 'postgres' },
    };
    const resolver: ConnectionResolver = { get: (key) => Promise.resolve(key === 'erp-db' || key === 'c-1' ? connection : null) };
    const graph: Graph = {
      schemaVersion: 1,
      settings: {},
      nodes: [
        node('poll', 'trigger.sql-poll', { connectionId: 'erp-db', sql: 'SELECT id, total, updated_at FROM orders WHERE updated_at >= $1 ORDER BY updated_at, id LIMIT 50', watermarkColumn: 'updated_at', keyColumn: 'id', intervalSeconds: 1 }),
        node('copy', 'sql.upsert', { connectionId: 'erp-db', table: 'order_copies', keyColumns: ['id'], row: '{"id": id, "total": total, "seen_at": updated_at}' }),
      ],
      edges: [{ id: 'e1', source: 'poll', sourcePort: 'out', target: 'copy' }],
    };
    ids = await publishWorkflow(env.db, 'sqlpoll', graph);
    const logger = createLogger(process.env.TEST_LOG ?? 'silent');
    worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: withConnections(createConnectorExecutors({ sqlPools }), () => resolver),
      logger,
      workerId: 'sqlpoll',
      concurrency: 2,
      leaseMs: 5000,
      pollMs: 20,
    });
    await worker.start();
    host = new SqlPollHost({ pool: env.db.pool, sqlPools, connectionsFor: () => resolver, logger });
  });
  afterAll(async () => {
    await worker?.stop();
    await sqlPools.closeAll();
    await source?.end();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${tenantDb} WITH (FORCE)`);
    await admin.end();
    await env?.drop();
  });

  const settled = async () => {
    for (let i = 0; i < 400; i++) {
      const { rows } = await env.db.pool.query<{ status: string }>('SELECT status FROM runs WHERE tenant_id = $1', [ids.tenantId]);
      if (rows.every((r) => r.status === 'succeeded')) return rows.length;
      if (rows.some((r) => r.status === 'failed')) throw new Error('a run failed');
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('runs did not finish');
  };

  it('starts one run per new or changed row and copies it, never twice', async () => {
    await source.query("INSERT INTO orders VALUES ('SO-1', 10, '2026-11-01T10:00:00Z'), ('SO-2', 20, '2026-11-01T10:00:00Z'), ('SO-3', 30, '2026-11-01T11:00:00Z')");
    expect(await host.tick(true)).toBe(3);
    // Nothing new: the rows at the watermark come back and are recognised.
    expect(await host.tick(true)).toBe(0);
    expect(await settled()).toBe(3);
    await source.query("UPDATE orders SET total = 35, updated_at = '2026-11-02T09:00:00Z' WHERE id = 'SO-3'");
    // A row written with a timestamp behind the watermark is not seen: that is what a watermark means.
    await source.query("INSERT INTO orders VALUES ('SO-0', 5, '2026-10-01T00:00:00Z')");
    expect(await host.tick(true)).toBe(1);
    expect(await settled()).toBe(4);
    const copies = await source.query<{ id: string; total: string }>('SELECT id, total FROM order_copies ORDER BY id');
    expect(copies.rows).toEqual([
      { id: 'SO-1', total: '10.00' },
      { id: 'SO-2', total: '20.00' },
      { id: 'SO-3', total: '35.00' },
    ]);
  });
});
