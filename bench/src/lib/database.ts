import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '@switchyard/db';

/**
 * The benchmark writes only into a database it created itself for this run and drops afterwards.
 * Two checks make that hold: the name carries the bench prefix, and the database's comment carries
 * this run's random token (set right after CREATE DATABASE). A database of the same name that some
 * other run or person made fails the token check, so demo or user data is never touched.
 */

export const BENCH_DB_PREFIX = 'switchyard_bench_';
export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export class RefusedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedDatabaseError';
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** The comment that marks the database as this run's. */
  marker: string;
  drop(): Promise<void>;
}

/**
 * `DATABASE_URL` is what the product uses, so it may point at demo or user data: the benchmark never
 * runs against it. It asks for a server (BENCH_PG_URL), on which it makes its own database.
 */
export function refuseForeignDatabaseUrl(env: NodeJS.ProcessEnv): void {
  const url = env.DATABASE_URL?.trim();
  if (!url) return;
  let name = '(unparsable URL)';
  try {
    name = decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || '(none)';
  } catch {
    // keep the placeholder
  }
  throw new RefusedDatabaseError(
    `Refusing to run: DATABASE_URL is set (${redactUrl(url)}, database ${JSON.stringify(name)}), and the benchmark never runs ` +
      `against a database it did not create, so that demo and user data cannot be touched. It creates and drops its own ` +
      `${BENCH_DB_PREFIX}* database on the server named by BENCH_PG_URL (default ${DEFAULT_SERVER_URL}). Unset DATABASE_URL ` +
      `(or set BENCH_PG_URL to the server you mean) and run again.`,
  );
}

export function databaseNameOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RefusedDatabaseError(`${JSON.stringify(redactUrl(url))} is not a PostgreSQL URL (postgres://user@host:port/dbname).`);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new RefusedDatabaseError(`${JSON.stringify(redactUrl(url))} is not a PostgreSQL URL (postgres://user@host:port/dbname).`);
  }
  return decodeURIComponent(parsed.pathname.replace(/^\//, ''));
}

/**
 * Throws unless `url` names a database that this run created: bench prefix in the name and this
 * run's marker as the database comment. Called before migrating and before every scenario.
 */
export async function assertDisposable(url: string, marker: string): Promise<void> {
  const name = databaseNameOf(url);
  if (!name.startsWith(BENCH_DB_PREFIX)) {
    throw new RefusedDatabaseError(
      `Refusing to run against database ${JSON.stringify(name)} at ${redactUrl(url)}: the benchmark only writes to a ` +
        `disposable ${BENCH_DB_PREFIX}* database that it created itself.`,
    );
  }
  const client = new pg.Client({ connectionString: url, application_name: 'switchyard-bench-guard' });
  await client.connect();
  try {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()`,
    );
    if (rows[0]?.comment !== marker) {
      throw new RefusedDatabaseError(
        `Refusing to run against database ${JSON.stringify(name)}: it was not created by this benchmark run ` +
          `(its comment is ${JSON.stringify(rows[0]?.comment ?? null)}, expected this run's marker). Only databases the ` +
          `harness creates and drops itself are used.`,
      );
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates `switchyard_bench_<time>_<random>` on the server and marks it as this run's. */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  databaseNameOf(serverUrl);
  const token = randomBytes(8).toString('hex');
  const name = `${BENCH_DB_PREFIX}${Date.now().toString(36)}_${token.slice(0, 6)}`;
  const marker = `switchyard-bench run ${token} (pid ${process.pid}); dropped when the run ends`;
  const admin = new pg.Client({ connectionString: serverUrl, application_name: 'switchyard-bench-admin' });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `Cannot reach PostgreSQL at ${redactUrl(serverUrl)} (${(err as Error).message}). Start it ` +
        `(pg_ctlcluster --skip-systemctl-redirect 15 main start) or set BENCH_PG_URL to a server where this user may CREATE DATABASE.`,
    );
  }
  try {
    // Identifiers cannot be parameters; the name is built above from [a-z0-9_] only.
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`COMMENT ON DATABASE ${name} IS ${pg.escapeLiteral(marker)}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  let dropped = false;
  return {
    name,
    url: withDatabase(serverUrl, name),
    marker,
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: serverUrl, application_name: 'switchyard-bench-admin' });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
