import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { assertPostgresUrl } from '../database-url';
import { defaultMigrationsDir } from '../paths';
import { checksumMatches, readMigrations, type MigrationFolder } from './files';

/**
 * Applies the committed migrations in prisma/migrations without Prisma's schema-engine binary
 * (it cannot be downloaded here, stack-notes.md). Bookkeeping is Prisma's own `_prisma_migrations`
 * table with Prisma's columns and meanings, so `prisma migrate deploy` and this runner agree about
 * what has been applied and either can take over from the other.
 */

export interface MigrateOptions {
  /** Defaults to <repo>/prisma/migrations. */
  migrationsDir?: string;
  /** How long to wait for another migrator to finish before giving up (default 60 s). */
  lockTimeoutMs?: number;
  /** Progress messages (one per applied migration). */
  log?: (message: string) => void;
}

export interface MigrateResult {
  /** Names of the migrations this call applied, in order (empty when up to date). */
  applied: string[];
}

/** The key Prisma's schema engine locks for `migrate deploy`: both tools serialise on the same lock. */
const MIGRATE_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

export async function migrate(connectionString: string, opts: MigrateOptions = {}): Promise<MigrateResult> {
  assertPostgresUrl(connectionString, 'migrate(connectionString)');
  const migrations = await readMigrations(opts.migrationsDir ?? defaultMigrationsDir());
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await acquireSessionLock(client, opts.lockTimeoutMs ?? 60_000);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = await readApplied(client);
      verifyHistory(rows, migrations);
      const done = new Set(rows.filter(isFinished).map((r) => r.migration_name));
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        if (await applyOne(client, migration)) {
          applied.push(migration.name);
          opts.log?.(`applied migration ${migration.name}`);
        }
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Waits for the migrate lock with a deadline (pg_advisory_lock alone would wait forever behind a
 * hung migrator). On PGlite all connections share one backend, so this lock cannot exclude anyone
 * there; applyOne's in-transaction re-check is what keeps concurrent migrators correct on it.
 */
async function acquireSessionLock(client: pg.Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let wait = 50;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATE_LOCK_KEY]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `Another process has been migrating this database for more than ${Math.round(timeoutMs / 1000)} s ` +
          `(advisory lock ${MIGRATE_LOCK_KEY} is held). Wait for it to finish, or end the stuck session, then retry.`,
      );
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 1000);
  }
}

async function readApplied(client: pg.Client | pg.PoolClient): Promise<AppliedRow[]> {
  const { rows } = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at',
  );
  return rows;
}

function isFinished(row: AppliedRow): boolean {
  return row.finished_at !== null && row.rolled_back_at === null;
}

/** Refuses to go on from a history Prisma would also refuse: failed or edited migrations. */
function verifyHistory(rows: AppliedRow[], migrations: MigrationFolder[]): void {
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier on this database and was never resolved` +
        (failed.logs ? ` (${failed.logs.split('\n')[0]})` : '') +
        `. Repair the database, then mark it with \`prisma migrate resolve --rolled-back ${failed.migration_name}\` ` +
        `(or set rolled_back_at on its _prisma_migrations row) and migrate again.`,
    );
  }
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of rows.filter(isFinished)) {
    const file = byName.get(row.migration_name);
    if (file && !checksumMatches(row.checksum, file.sql)) {
      throw new Error(
        `Migration ${row.migration_name} was modified after it was applied to this database ` +
          `(recorded checksum ${row.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…). ` +
          `Applied migrations must not change: restore prisma/migrations/${row.migration_name}/migration.sql ` +
          `from version control and put the change in a new migration (pnpm db:diff <name>).`,
      );
    }
  }
}

/**
 * One migration, one transaction: the script and its `_prisma_migrations` row commit together or
 * not at all, so a failure leaves nothing half-applied (Prisma itself runs scripts outside a
 * transaction and records failures; we roll back and report instead). Returns false when another
 * migrator applied it meanwhile.
 */
async function applyOne(client: pg.Client, migration: MigrationFolder): Promise<boolean> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK_KEY]);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations"
        WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [migration.name],
    );
    if (rows.length > 0) {
      await client.query('COMMIT');
      return false;
    }
    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    // Simple-query protocol (no parameters): the file may hold many statements.
    await client.query(migration.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Migration ${migration.name} failed and was rolled back (nothing of it was applied): ${reason}`, {
      cause: err,
    });
  }
}
