import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openDatabase, type Database } from '@switchyard/db';

/** Tests run against the real PostgreSQL the brief provides; each file gets its own throwaway database. */
const ADMIN_URL = process.env.SWITCHYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why the database tests are skipped, or null when PostgreSQL answers. */
export const postgresUnavailable = await probe();
if (postgresUnavailable) {
  console.warn(`PostgreSQL at ${ADMIN_URL} is unreachable (${postgresUnavailable}): database tests are skipped`);
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  db: Database;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  // The API runs as the app role under row-level security, as in production; fixtures the tests
  // write directly (outside any tenant scope) go in through the test-only 'seed' scope.
  const db = await openDatabase({ url: url.toString(), kind: 'postgres', poolMax: 8, role: 'app', unscopedStatements: 'seed' });
  return {
    db,
    async drop() {
      await db.close();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

export async function createTenant(db: Database, slug: string, name: string) {
  return db.prisma.tenant.create({ data: { slug, name }, select: { id: true, slug: true, name: true } });
}
