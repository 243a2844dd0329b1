import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/index';
import { LOCK_FILE, LOCK_FILE_CONTENT, MIGRATION_FILE, readMigrations } from '../src/migrations/files';
import { openSchemaEngine } from '../src/migrations/schema-engine';
import { defaultMigrationsDir, defaultSchemaPath } from '../src/paths';
import { backends, type TestDatabase } from './support';

/**
 * Compatibility with `prisma migrate deploy`, checked with Prisma's own schema engine (the WASM
 * build of the engine the CLI runs): it must find our bookkeeping complete and unedited, and our
 * runner must accept what Prisma's engine recorded.
 */
async function migrationsList() {
  const dir = defaultMigrationsDir();
  const migrations = await readMigrations(dir);
  return {
    baseDir: dir,
    lockfile: { path: LOCK_FILE, content: LOCK_FILE_CONTENT },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((m) => ({ path: m.name, migrationFile: { path: MIGRATION_FILE, content: { tag: 'ok' as const, value: m.sql } } })),
  };
}

async function withPrismaEngine<T>(url: string, fn: (engine: Awaited<ReturnType<typeof openSchemaEngine>>['engine']) => Promise<T>): Promise<T> {
  const schema = await readFile(defaultSchemaPath(), 'utf8');
  const session = await openSchemaEngine({ path: path.basename(defaultSchemaPath()), content: schema }, { url });
  try {
    return await fn(session.engine);
  } finally {
    await session.close();
  }
}

const filters = { externalTables: [], externalEnums: [] };

describe.each(backends.filter((b) => b.name === 'postgres'))('Prisma engine agrees with our runner on $name', (backend) => {
  if (backend.skipReason) {
    it.skip(`skipped: ${backend.skipReason}`, () => undefined);
    return;
  }
  const made: TestDatabase[] = [];
  beforeAll(async () => {
    made.push(await backend.create(), await backend.create());
  }, 30_000);
  afterAll(async () => {
    await Promise.all(made.map((d) => d.teardown()));
  });

  it('sees nothing to apply and no edited migration after our migrate', async () => {
    const url = made[0]!.url;
    await migrate(url);
    const list = await migrationsList();
    await withPrismaEngine(url, async (engine) => {
      const diagnosis = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters });
      expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
      expect(await engine.applyMigrations({ migrationsList: list, filters })).toEqual({ appliedMigrationNames: [] });
    });
    // The check is real: a wrong checksum is reported as an edited migration.
    const first = list.migrationDirectories[0]!.path;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = $1", [first]);
    await client.end();
    await withPrismaEngine(url, async (engine) => {
      const diagnosis = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters });
      expect(diagnosis.editedMigrationNames).toEqual([first]);
    });
  }, 30_000);

  it('accepts what Prisma applied', async () => {
    const url = made[1]!.url;
    const list = await migrationsList();
    const applied = await withPrismaEngine(url, (engine) => engine.applyMigrations({ migrationsList: list, filters }));
    expect(applied.appliedMigrationNames).toEqual(list.migrationDirectories.map((d) => d.path));
    expect(await migrate(url)).toEqual({ applied: [] });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT applied_steps_count, finished_at IS NOT NULL AS finished FROM _prisma_migrations');
    await client.end();
    expect(rows).toEqual(list.migrationDirectories.map(() => ({ applied_steps_count: 1, finished: true })));
  }, 30_000);
});
