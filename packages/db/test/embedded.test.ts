import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseConfigError, migrate, openDatabase, resolveDatabaseConfig, startEmbeddedPostgres } from '../src/index';
import { repoRoot } from '../src/paths';

describe('embedded PostgreSQL (PGlite)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'switchyard-embedded-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps its data across a stop and a start on the same folder, and refuses a second instance on it', async () => {
    const dataDir = path.join(root, 'pglite');
    const first = await startEmbeddedPostgres({ dataDir });
    expect(first.url).toBe(`postgres://postgres@127.0.0.1:${first.port}/postgres`);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already running in this process/);
    expect((await migrate(first.url)).applied.length).toBeGreaterThan(0);
    let db = await openDatabase({ url: first.url, kind: 'pglite' });
    await db.prisma.tenant.create({ data: { slug: 'kept', name: 'Kept across restarts' } });
    await db.close();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await migrate(second.url)).toEqual({ applied: [] });
      db = await openDatabase({ url: second.url, kind: 'pglite' });
      expect(await db.prisma.tenant.findUnique({ where: { slug: 'kept' }, select: { name: true } })).toEqual({ name: 'Kept across restarts' });
      // Twenty concurrent connections are allowed (pools of the worker and the web app, LISTEN, migrate).
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => db.pool.query<{ n: number }>('SELECT $1::int AS n', [i])));
      expect(results.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      await db.close();
    } finally {
      await second.stop();
    }
  }, 30_000);

  it('refuses a folder locked by another live process', async () => {
    const dataDir = path.join(root, 'locked');
    // PID 1 is always alive and never this test.
    await writeFile(`${dataDir}.lock`, '1');
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already in use by process 1/);
  });
});

describe('database configuration', () => {
  it('uses PostgreSQL when DATABASE_URL is set, else PGlite in the data folder', () => {
    expect(resolveDatabaseConfig({ DATABASE_URL: ' postgres://u:p@db:5432/app ' })).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/app' });
    expect(resolveDatabaseConfig({})).toEqual({ kind: 'pglite', dataDir: path.join(repoRoot(), '.data', 'pglite') });
    expect(resolveDatabaseConfig({ DATABASE_URL: '', SWITCHYARD_DATA_DIR: '/srv/sy' })).toEqual({ kind: 'pglite', dataDir: '/srv/sy/pglite' });
  });

  it('explains a DATABASE_URL that is not PostgreSQL, without echoing its password', () => {
    const attempt = () => resolveDatabaseConfig({ DATABASE_URL: 'mysql://root:secret@db/app' });
    expect(attempt).toThrow(DatabaseConfigError);
    expect(attempt).toThrow(/DATABASE_URL must be a PostgreSQL URL such as postgres:\/\/.*Unset DATABASE_URL to use the embedded database/);
    expect(attempt).not.toThrow(/secret/);
    expect(() => resolveDatabaseConfig({ DATABASE_URL: 'postgres://' })).toThrow(/names no host|not a valid URL/);
  });

  it('reports an unreachable server with the URL to check', async () => {
    await expect(openDatabase({ url: 'postgres://nobody:pw@127.0.0.1:1/none' })).rejects.toThrow(
      /Cannot connect to PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .*Check DATABASE_URL/,
    );
  });
});
