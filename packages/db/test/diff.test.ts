import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffMigrations, migrationTimestamp, normaliseMigrationName } from '../src/migrations/diff';
import { openScratchDatabase, type ScratchDatabase } from '../src/migrations/schema-engine';
import { defaultMigrationsDir, defaultSchemaPath } from '../src/paths';

describe('migration diff (WASM schema engine)', () => {
  let dir: string;
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-diff-'));
    scratch = await openScratchDatabase();
  }, 30_000);
  afterAll(async () => {
    await scratch?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the committed migrations in step with prisma/schema.prisma', async () => {
    expect(await diffMigrations({ name: 'nothing', dryRun: true, scratch })).toEqual({ sql: '', folder: null });
  }, 30_000);

  it('writes the next migration in Prisma layout for a schema change', async () => {
    const migrationsDir = path.join(dir, 'migrations');
    await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const schemaPath = path.join(dir, 'schema.prisma');
    const schema = await readFile(defaultSchemaPath(), 'utf8');
    await writeFile(schemaPath, schema.replace('  timeZone  String     @default("UTC") @map("time_zone")', '  timeZone  String     @default("UTC") @map("time_zone")\n  plan      String?'));

    const { sql, folder } = await diffMigrations({ name: 'Add tenant-plan', schemaPath, migrationsDir, now: new Date('2999-01-02T03:04:05Z'), scratch });
    expect(sql).toContain('ALTER TABLE "tenants" ADD COLUMN     "plan" TEXT;');
    expect(folder).toBe(path.join(migrationsDir, '29990102030405_add_tenant_plan'));
    expect(await readFile(path.join(folder!, 'migration.sql'), 'utf8')).toBe(sql);
    expect((await readdir(migrationsDir)).sort()).toContain('migration_lock.toml');
    // Diffing again from the extended history finds nothing left to do.
    expect((await diffMigrations({ name: 'again', schemaPath, migrationsDir, dryRun: true, scratch })).sql).toBe('');
  }, 30_000);

  it('validates names and formats timestamps as Prisma does', () => {
    expect(normaliseMigrationName(' Add runs-index ')).toBe('add_runs_index');
    expect(() => normaliseMigrationName('../evil')).toThrow(/Migration name "..\/evil" is not valid/);
    expect(migrationTimestamp(new Date('2026-11-28T00:39:34.999Z'))).toBe('20261128003934');
  });
});
