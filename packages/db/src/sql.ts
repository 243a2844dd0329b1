import type pg from 'pg';

/**
 * A value for a `$n::jsonb` parameter. node-postgres would turn a JS array into a Postgres array
 * literal, so JSON is always serialised here; `undefined` becomes SQL NULL.
 */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects a malformed id with the field named, instead of a Postgres "invalid input syntax" error. */
export function assertUuid(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new TypeError(`${field} must be a UUID (got ${JSON.stringify(value)})`);
  }
}

/** Runs `work` in a transaction on one pooled connection: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * What a repository function needs to run SQL: the pool, or one connection inside `inTransaction`, so
 * a change and its audit entry can commit together.
 */
export type SqlClient = Pick<pg.Pool, 'query'>;
