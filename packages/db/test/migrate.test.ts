import { cp, mkdir, mkdtemp, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type MigrateResult } from '../src/index';
import { checksumOf } from '../src/migrations/files';
import { defaultMigrationsDir } from '../src/paths';
import { backends, type TestDatabase } from './support';

const committed = (await readdir(defaultMigrationsDir(), { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** A copy of the committed migrations in a temp folder, to edit or extend without touching the repo. */
async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-migrations-'));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(path.join(dir, name));
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.each(backends)('migrate on $name', (backend) => {
  if (backend.skipReason) {
    it.skip(`skipped: ${backend.skipReason}`, () => undefined);
    return;
  }
  let db: TestDatabase;
  let first: MigrateResult;
  const tempDirs: string[] = [];

  beforeAll(async () => {
    db = await backend.create();
    first = await migrate(db.url);
  }, 30_000);

  afterAll(async () => {
    await db?.teardown();
    await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('applies every committed migration once, recording them as Prisma does, then is idempotent', async () => {
    expect(first.applied).toEqual(committed);
    expect(await migrate(db.url)).toEqual({ applied: [] });

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null; id: string }>(
      db.url,
      'SELECT id, migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
    const { readFile } = await import('node:fs/promises');
    const initSql = await readFile(path.join(defaultMigrationsDir(), committed[0]!, 'migration.sql'), 'utf8');
    expect(rows[0]!.checksum).toBe(checksumOf(initSql));
    // The schema is really there.
    const tables = await query<{ tablename: string }>(db.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['runs', 'steps', 'tenants', 'workflow_versions', 'workflows', 'webhook_routes']));
  });

  it('refuses to run when an applied migration was edited, naming it', async () => {
    const dir = await copyMigrations();
    tempDirs.push(dir);
    await appendFile(path.join(dir, committed[0]!, 'migration.sql'), '\n-- edited after the fact\n');
    await addMigration(dir, '29990101000000_never_applied', 'CREATE TABLE never_applied (id int);');
    await expect(migrate(db.url, { migrationsDir: dir })).rejects.toThrow(new RegExp(`Migration ${committed[0]} was modified after it was applied`));
    // Nothing after the refusal was applied.
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'never_applied'")).toHaveLength(0);
  });

  it('accepts a CRLF checkout of an applied migration as unchanged', async () => {
    const dir = await copyMigrations();
    tempDirs.push(dir);
    const file = path.join(dir, committed[0]!, 'migration.sql');
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));
    expect(await migrate(db.url, { migrationsDir: dir })).toEqual({ applied: [] });
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const dir = await copyMigrations();
    tempDirs.push(dir);
    await addMigration(dir, '29990101000001_broken', 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;');
    await expect(migrate(db.url, { migrationsDir: dir })).rejects.toThrow(/Migration 29990101000001_broken failed and was rolled back.*no_such_table/);
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(0);
    expect(await query(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000001_broken'")).toHaveLength(0);
  });

  it('lets only one of two concurrent migrators apply a migration', async () => {
    const dir = await copyMigrations();
    tempDirs.push(dir);
    // CREATE TABLE fails if the script runs twice; the sleep makes the two attempts overlap.
    await addMigration(dir, '29990101000002_probe', 'SELECT pg_sleep(0.3);\nCREATE TABLE concurrency_probe (id int);');
    const results = await Promise.all([migrate(db.url, { migrationsDir: dir }), migrate(db.url, { migrationsDir: dir })]);
    expect(results.flatMap((r) => r.applied)).toEqual(['29990101000002_probe']);
    expect(await query(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000002_probe'")).toHaveLength(1);
  });

  it('refuses to go past a migration Prisma recorded as failed', async () => {
    await query(
      db.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000001', 'x', '29990101000003_failed_elsewhere', 'boom', now(), 0)`,
    );
    await expect(migrate(db.url)).rejects.toThrow(/29990101000003_failed_elsewhere failed earlier.*migrate resolve --rolled-back/);
    await query(db.url, "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '29990101000003_failed_elsewhere'");
    expect(await migrate(db.url)).toEqual({ applied: [] });
  });
});

describe('migrate input checks', () => {
  it('rejects a URL that is not PostgreSQL with what to set', async () => {
    await expect(migrate('mysql://root@localhost/db')).rejects.toThrow(/must be a PostgreSQL URL such as postgres:\/\//);
  });
});
