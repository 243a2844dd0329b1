import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultMigrationsDir, defaultSchemaPath } from '../paths';
import { LOCK_FILE, LOCK_FILE_CONTENT, MIGRATION_FILE, readLockFile, readMigrations } from './files';
import { openSchemaEngine, type ScratchDatabase } from './schema-engine';

/**
 * `prisma migrate dev --create-only` without the native engine: replays the committed migrations
 * into a throwaway database, diffs that against prisma/schema.prisma with Prisma's own schema
 * engine (WASM), and writes the difference as the next migration in Prisma's layout.
 */

export interface DiffOptions {
  /** Migration name, e.g. `add_run_tags`; becomes `<timestamp>_<name>`. */
  name: string;
  schemaPath?: string;
  migrationsDir?: string;
  /** Write nothing, only compute (for checks in CI and tests). */
  dryRun?: boolean;
  /** Clock for the folder timestamp (tests). */
  now?: Date;
  /** Reuse a scratch database across several diffs (openScratchDatabase); one is made otherwise. */
  scratch?: ScratchDatabase;
}

export interface DiffResult {
  /** The migration SQL; empty string when the schema already matches the migrations. */
  sql: string;
  /** Folder written (absolute path), or null when nothing changed or on a dry run. */
  folder: string | null;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9_]{0,199}$/;
const EMPTY_MARKER = '-- This is an empty migration.';

export function normaliseMigrationName(raw: string): string {
  const name = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!NAME_PATTERN.test(name)) {
    throw new Error(
      `Migration name ${JSON.stringify(raw)} is not valid: use 1-200 letters, digits and underscores, starting with a letter or digit (e.g. add_run_tags).`,
    );
  }
  return name;
}

/** Prisma's folder timestamp: UTC `YYYYMMDDHHMMSS`. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export async function diffMigrations(opts: DiffOptions): Promise<DiffResult> {
  const name = normaliseMigrationName(opts.name);
  const schemaPath = path.resolve(opts.schemaPath ?? defaultSchemaPath());
  const migrationsDir = path.resolve(opts.migrationsDir ?? defaultMigrationsDir());
  const schema = await readFile(schemaPath, 'utf8');
  const migrations = await readMigrations(migrationsDir);
  const lock = await readLockFile(migrationsDir);
  if (lock !== null && !/^\s*provider\s*=\s*"postgresql"\s*$/m.test(lock)) {
    throw new Error(`${path.join(migrationsDir, LOCK_FILE)} does not say provider = "postgresql"; this project's migrations are for PostgreSQL.`);
  }

  const session = await openSchemaEngine({ path: path.basename(schemaPath), content: schema }, opts.scratch);
  let script: string;
  try {
    const result = await session.engine.diff({
      from: {
        tag: 'migrations',
        baseDir: migrationsDir,
        lockfile: { path: LOCK_FILE, content: lock ?? LOCK_FILE_CONTENT },
        shadowDbInitScript: '',
        migrationDirectories: migrations.map((m) => ({
          path: m.name,
          migrationFile: { path: MIGRATION_FILE, content: { tag: 'ok' as const, value: m.sql } },
        })),
      },
      to: { tag: 'schemaDatamodel', files: [{ path: path.basename(schemaPath), content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    script = result.stdout ?? '';
  } finally {
    await session.close();
  }

  const sql = script.trim() === EMPTY_MARKER || script.trim() === '' ? '' : script;
  if (!sql || opts.dryRun) return { sql, folder: null };

  const timestamp = migrationTimestamp(opts.now ?? new Date());
  const last = migrations.at(-1)?.name;
  const folderName = `${timestamp}_${name}`;
  if (last && folderName <= last) {
    throw new Error(`The new migration ${folderName} would sort before the latest one (${last}); check the system clock.`);
  }
  const folder = path.join(migrationsDir, folderName);
  await mkdir(folder, { recursive: false }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return mkdir(folder, { recursive: true });
    if (err.code === 'EEXIST') throw new Error(`${folder} already exists; pick another name.`);
    throw err;
  });
  await writeFile(path.join(folder, MIGRATION_FILE), sql);
  if (lock === null) await writeFile(path.join(migrationsDir, LOCK_FILE), LOCK_FILE_CONTENT);
  return { sql, folder };
}
