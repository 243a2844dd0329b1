import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/embedded';

/**
 * PGlite is one backend session shared by every socket connection (the worker's pool and the web
 * app's). These tests hold pglite-wire-server.ts to its promise: connections take turns in whole
 * protocol units, and a transaction keeps the session to itself until it ends.
 */
let dataDir: string;
let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let pool: pg.Pool;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pglite-concurrency-'));
  server = await startEmbeddedPostgres({ dataDir });
  pool = new pg.Pool({ connectionString: server.url, max: 8 });
  await pool.query('CREATE TABLE items (id int primary key)');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('interleaves transactions and extended-protocol queries of many connections correctly', async () => {
  const tx = async (i: number) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const r = await c.query<{ v: number }>('select $1::int + 1000 as v', [i]);
      await c.query('COMMIT');
      return r.rows[0]?.v === i + 1000 ? null : `tx ${i} got ${r.rows[0]?.v}`;
    } finally {
      c.release();
    }
  };
  const read = async (i: number) => {
    const r = await pool.query<{ v: string }>('select $1::text as v', [`r${i}`]);
    return r.rows[0]?.v === `r${i}` ? null : `read ${i} got ${r.rows[0]?.v}`;
  };
  const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => (i % 2 ? tx(i) : read(i))));
  const problems = results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.value)).filter(Boolean);
  expect(problems).toEqual([]);
}, 30_000);

it('never lets another connection see inside an open transaction', async () => {
  const writer = await pool.connect();
  await writer.query('BEGIN');
  await writer.query('INSERT INTO items VALUES (1)');
  // Issued while the writer's transaction is open: it must wait for the rollback, not see row 1.
  const count = pool.query<{ n: string }>('select count(*)::text as n from items');
  await new Promise((r) => setTimeout(r, 100));
  await writer.query('ROLLBACK');
  writer.release();
  expect((await count).rows[0]?.n).toBe('0');
});

it('rolls back the transaction of a connection that disconnects inside it', async () => {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('INSERT INTO items VALUES (2)');
  const after = pool.query<{ n: string }>('select count(*)::text as n from items');
  await client.end();
  expect((await after).rows[0]?.n).toBe('0');
  // The session is free again: a new transaction commits normally.
  await pool.query('INSERT INTO items VALUES (3)');
  expect((await pool.query<{ n: string }>('select count(*)::text as n from items')).rows[0]?.n).toBe('1');
});
