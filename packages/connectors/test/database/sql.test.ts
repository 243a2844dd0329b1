import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ResolvedConnection } from '@switchyard/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlExecutors } from '../../src/database/executors';
import { createSqlPools } from '../../src/database/sql-client';
import { testConnection } from '../../src/erp/test-connection';
import { budget, ctxWith, nodeError } from '../erp/support';

const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MARIA = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

async function listening(what: string, host: string, port: number): Promise<boolean> {
  const ok = await new Promise<boolean>((resolve) => {
    const s = tcpConnect({ host, port, timeout: 1500 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
  if (!ok) console.warn(`skipping ${what} database-adapter tests: nothing answers at ${host}:${port}`);
  return ok;
}
const hasPg = await listening('PostgreSQL', '127.0.0.1', Number(new URL(PG_ADMIN).port || 5432));
const hasMaria = await listening('MariaDB', MARIA.host, MARIA.port);

const table = `sy_orders_${randomBytes(4).toString('hex')}`;
const pgDb = `sy_sqladapter_${randomBytes(4).toString('hex')}`;

interface Backend {
  system: 'postgres' | 'mysql';
  available: boolean;
  url: () => string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  param: (n: number) => string;
}

const backends: Backend[] = [
  {
    system: 'postgres',
    available: hasPg,
    url: () => {
      const u = new URL(PG_ADMIN);
      return `postgres://${u.hostname}:${u.port || 5432}/${pgDb}`;
    },
    param: (n) => `$${n}`,
    async setup() {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${pgDb}`);
      await admin.end();
      const u = new URL(PG_ADMIN);
      u.pathname = `/${pgDb}`;
      const c = new pg.Client({ connectionString: u.toString() });
      await c.connect();
      await c.query(`CREATE TABLE ${table} (id text PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, note text)`);
      await c.end();
    },
    async teardown() {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`);
      await admin.end();
    },
  },
  {
    system: 'mysql',
    available: hasMaria,
    url: () => `mysql://${MARIA.host}:${MARIA.port}/${MARIA.database}`,
    param: () => '?',
    async setup() {
      const c = await mysql.createConnection(MARIA);
      await c.query(`CREATE TABLE ${table} (id varchar(40) PRIMARY KEY, customer varchar(100) NOT NULL, amount decimal(12,2) NOT NULL, note text)`);
      await c.end();
    },
    async teardown() {
      const c = await mysql.createConnection(MARIA);
      await c.query(`DROP TABLE IF EXISTS ${table}`);
      await c.end();
    },
  },
];

describe.each(backends)('sql.* on $system', (b) => {
  const pools = createSqlPools({ allowlist: '127.0.0.1' });
  const sql = createSqlExecutors(pools, budget);
  const user = b.system === 'postgres' ? new URL(PG_ADMIN).username || 'postgres' : 'root';
  const connection = (): ResolvedConnection => ({ id: `db-${b.system}`, name: 'ledger-db', kind: b.system, baseUrl: b.url(), config: { maxConnections: 2 }, credentials: { username: user } });
  const ctx = () => ctxWith({ 'ledger-db': connection() });

  beforeAll(async () => {
    if (b.available) await b.setup();
  });
  afterAll(async () => {
    await pools.closeAll();
    if (b.available) await b.teardown();
  });

  it.skipIf(!b.available)('upserts by key, so a retried step leaves one row with the latest values', async () => {
    const config = { connectionId: 'ledger-db', table, keyColumns: ['id'], row: '{"id": number, "customer": customer, "amount": amount, "note": note}' };
    await sql['sql.upsert'](ctx(), config, { number: 'SO-1', customer: 'Acme', amount: '10.50', note: null });
    await sql['sql.upsert'](ctx(), config, { number: 'SO-1', customer: 'Acme', amount: '12.00', note: "it's fine" });
    await sql['sql.upsert'](ctx(), { ...config, row: '[{"id": "SO-2", "customer": "Globex", "amount": "1", "note": null}, {"id": "SO-3", "customer": "Initech", "amount": "2", "note": null}]' }, {});
    const { output } = await sql['sql.query'](ctx(), { connectionId: 'ledger-db', sql: `SELECT id, customer, amount, note FROM ${table} ORDER BY id`, params: '[]' }, {});
    const rows = (output as { rows: Array<Record<string, unknown>> }).rows;
    expect(rows.map((r) => [r.id, String(r.amount), r.note])).toEqual([
      ['SO-1', '12.00', "it's fine"],
      ['SO-2', '1.00', null],
      ['SO-3', '2.00', null],
    ]);
  });

  it.skipIf(!b.available)('passes values only as parameters: an injection attempt is just a value', async () => {
    const evil = "x' OR '1'='1";
    const { output } = await sql['sql.query'](ctx(), { connectionId: 'ledger-db', sql: `SELECT id FROM ${table} WHERE customer = ${b.param(1)}`, params: '[customer]' }, { customer: evil });
    expect((output as { rows: unknown[] }).rows).toEqual([]);
    const one = await sql['sql.query'](ctx(), { connectionId: 'ledger-db', sql: `SELECT id FROM ${table} WHERE customer = ${b.param(1)}`, params: '[customer]' }, { customer: 'Globex' });
    expect((one.output as { rows: Array<{ id: string }> }).rows).toEqual([{ id: 'SO-2' }]);
  });

  it.skipIf(!b.available)('reports SQL errors as permanent with the database message, and refuses a second statement', async () => {
    const err = await nodeError(sql['sql.query'](ctx(), { connectionId: 'ledger-db', sql: `SELECT nope FROM ${table}`, params: '[]' }, {}));
    expect(err).toMatchObject({ code: 'sql_error', retryable: false });
    expect(err.message).toMatch(/^ledger-db: .*nope/);
    const two = await nodeError(sql['sql.query'](ctx(), { connectionId: 'ledger-db', sql: `SELECT 1; DROP TABLE ${table}`, params: '[]' }, {}));
    expect(two).toMatchObject({ code: 'invalid_config' });
    expect(two.message).toContain('must be a single statement');
  });

  it.skipIf(!b.available)('refuses loopback without the allowlist, and treats an unreachable server as retryable', async () => {
    const strict = createSqlExecutors(createSqlPools({ allowlist: '' }), budget);
    const blocked = await nodeError(strict['sql.query'](ctx(), { connectionId: 'ledger-db', sql: 'SELECT 1', params: '[]' }, {}));
    expect(blocked).toMatchObject({ code: 'outbound_blocked', retryable: false });
    const down = ctxWith({ 'ledger-db': { ...connection(), id: 'down', baseUrl: b.url().replace(/:\d+\//, ':1/') } });
    const refused = await nodeError(sql['sql.query'](down, { connectionId: 'ledger-db', sql: 'SELECT 1', params: '[]' }, {}));
    expect(refused).toMatchObject({ code: 'database_unavailable', retryable: true });
  });

  it.skipIf(!b.available)('tests the connection: accepted, and a wrong user refused', async () => {
    const c = connection();
    const ok = await testConnection({ ...c, kind: b.system }, { fetch, outboundAllowlist: '127.0.0.1' });
    expect(ok).toMatchObject({ ok: true, outcome: 'ok' });
    const wrong = await testConnection({ ...c, kind: b.system, credentials: { username: 'no_such_user_sy', password: 'x' } }, { fetch, outboundAllowlist: '127.0.0.1' });
    expect(wrong.ok).toBe(false);
    expect(['auth_failed', 'rejected']).toContain(wrong.outcome);
  });
});
