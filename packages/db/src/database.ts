import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { DatabaseConfigError, assertPostgresUrl, redactUrl } from './database-url';
import { PrismaClient } from './generated/prisma/client';
import { repoRoot } from './paths';
import { APP_ROLE, ScopedPool, type PlatformReason } from './tenant-scope';

export type DatabaseKind = 'pglite' | 'postgres';

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/**
 * Where the data lives, from the environment: DATABASE_URL selects a PostgreSQL server; without it
 * the embedded PGlite keeps its files in `$SWITCHYARD_DATA_DIR/pglite` (default `<repo>/.data/pglite`,
 * the same folder apps/worker uses).
 */
export function resolveDatabaseConfig(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    try {
      assertPostgresUrl(url, 'DATABASE_URL');
    } catch (err) {
      throw new DatabaseConfigError(`${(err as Error).message} Unset DATABASE_URL to use the embedded database instead.`);
    }
    return { kind: 'postgres', url };
  }
  const dataRoot = env.SWITCHYARD_DATA_DIR?.trim();
  // turbopackIgnore: the Next.js server never starts the embedded database; without the hint
  // Turbopack traces this dynamic path and copies the whole repository into the server output.
  return { kind: 'pglite', dataDir: path.join(path.resolve(/*turbopackIgnore: true*/ dataRoot || path.join(repoRoot(), '.data')), 'pglite') };
}

export interface OpenDatabaseOptions {
  url: string;
  /** Reported by health checks; also picks pool defaults. Defaults to 'postgres'. */
  kind?: DatabaseKind;
  /** Pool size. PGlite serialises transactions and allows 20 sockets in all, so its default is small. */
  poolMax?: number;
  applicationName?: string;
  /**
   * 'app' (what the web app and workers use): every statement runs as the unprivileged
   * `switchyard_app` role under row-level security, in the scope opened by `withTenant` or
   * `asPlatform` (tenant-scope.ts); outside a scope it sees no tenant rows. Needs the migrations
   * applied. 'owner' (the default; migrations, seeding, tests of other things): the connecting
   * user's own rights.
   */
  role?: 'owner' | 'app';
  /**
   * With role 'app': the platform scope of statements issued outside withTenant/asPlatform, which
   * otherwise see nothing. Never set for the web app. The worker process sets 'dispatch' (claims,
   * leases, timers, seeding are system work; tenant work inside it may still narrow with
   * withTenant); test databases set 'seed' so fixtures can be written directly.
   */
  unscopedStatements?: PlatformReason;
}

export interface Database {
  kind: DatabaseKind;
  url: string;
  /** For the hot paths (claims, commits) that run hand-written SQL. */
  pool: pg.Pool;
  /** For everything else; shares the pool's connections. */
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** Opens one pool and a Prisma client on it, and checks the database answers before returning. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  assertPostgresUrl(opts.url, 'The database URL');
  const kind = opts.kind ?? 'postgres';
  const role = opts.role ?? 'owner';
  const poolConfig: pg.PoolConfig = {
    connectionString: opts.url,
    max: opts.poolMax ?? (kind === 'pglite' ? 4 : 10),
    application_name: opts.applicationName ?? 'switchyard',
    connectionTimeoutMillis: 10_000,
  };
  const pool = role === 'app' ? new ScopedPool(poolConfig, opts.unscopedStatements) : new pg.Pool(poolConfig);
  // An idle connection dropped by the server (restart, embedded server stopping) must not crash the
  // process; the pool replaces it on next use.
  pool.on('error', () => undefined);
  // A connection checked out of the pool has no error listener (pg-pool removes its own on
  // checkout), so a backend terminated mid-transaction (pg_terminate_backend, failover) would emit
  // an unhandled 'error' and kill the process. The query in flight rejects with the same error and
  // its caller handles it; the pool discards the broken connection when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    if (role === 'app' && /role "switchyard_app" does not exist/.test(reason)) {
      throw new DatabaseConfigError(
        `The database at ${redactUrl(opts.url)} has no ${APP_ROLE} role yet: apply the migrations first (pnpm db:migrate).`,
      );
    }
    throw new DatabaseConfigError(
      `Cannot connect to PostgreSQL at ${redactUrl(opts.url)}: ${reason}. Check DATABASE_URL (or unset it to use the embedded database).`,
    );
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    kind,
    url: opts.url,
    pool,
    prisma,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect().catch(() => undefined);
      await pool.end();
    },
  };
}
