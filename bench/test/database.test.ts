import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVER_URL,
  RefusedDatabaseError,
  assertDisposable,
  createBenchDatabase,
  refuseForeignDatabaseUrl,
  type BenchDatabase,
} from '../src/lib/database';

const serverUrl = process.env.BENCH_PG_URL ?? DEFAULT_SERVER_URL;

describe('refuseForeignDatabaseUrl', () => {
  it('refuses to start while DATABASE_URL is set, naming the database', () => {
    expect(() => refuseForeignDatabaseUrl({ DATABASE_URL: 'postgres://app:secret@db:5432/switchyard' })).toThrow(RefusedDatabaseError);
    expect(() => refuseForeignDatabaseUrl({ DATABASE_URL: 'postgres://app:secret@db:5432/switchyard' })).toThrow(/database "switchyard"/);
    expect(() => refuseForeignDatabaseUrl({ DATABASE_URL: 'postgres://app:secret@db:5432/switchyard' })).not.toThrow(/secret/);
    expect(() => refuseForeignDatabaseUrl({})).not.toThrow();
  });
});

describe('disposable databases (PostgreSQL on loopback)', () => {
  let db: BenchDatabase;
  beforeAll(async () => {
    db = await createBenchDatabase(serverUrl);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('accepts the database it created', async () => {
    await expect(assertDisposable(db.url, db.marker)).resolves.toBeUndefined();
  });

  it('refuses a database without the bench prefix', async () => {
    const other = new URL(db.url);
    other.pathname = '/postgres';
    await expect(assertDisposable(other.toString(), db.marker)).rejects.toThrow(/Refusing to run against database "postgres"/);
  });

  it('refuses a bench-named database that another run created', async () => {
    await expect(assertDisposable(db.url, 'switchyard-bench run someone-else')).rejects.toThrow(/not created by this benchmark run/);
  });

  it('drops what it created', async () => {
    const extra = await createBenchDatabase(serverUrl);
    await extra.drop();
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [extra.name]);
    await client.end();
    expect(rows).toHaveLength(0);
  });
});
