import {
  loadSecretKeyring,
  migrate,
  openDatabase,
  resolveDatabaseConfig,
  startEmbeddedPostgres,
  type Database,
  type SecretKeyring,
} from '@switchyard/db';

// The estate the CLI works on: DATABASE_URL, or the embedded database's default folder (the one
// `pnpm start` uses; it cannot be open in two processes, so stop the product first or point
// DATABASE_URL at it). The secret key is the product's: SWITCHYARD_SECRET_KEY, or on the embedded
// default its key file.

/**
 * The estate spans tenants, so the CLI works in the platform scope of row-level security (as the
 * unprivileged app role, like the product, not with the owner's rights): managing tenants and their
 * configuration is platform administration.
 */
export const CLI_ROLE = { role: 'app', unscopedStatements: 'platform-admin', poolMax: 2, applicationName: 'switchyard-cli' } as const;

export interface EstateDatabase {
  db: Database;
  keyring: SecretKeyring;
  describe: string;
  close(): Promise<void>;
}

export async function openEstateDatabase(env: Record<string, string | undefined>, options: { migrate: boolean }): Promise<EstateDatabase> {
  const config = resolveDatabaseConfig(env);
  const keyring = loadSecretKeyring({ env, databaseKind: config.kind });
  if (config.kind === 'postgres') {
    if (options.migrate) await migrate(config.url);
    const db = await openDatabase({ url: config.url, kind: 'postgres', ...CLI_ROLE });
    await assertMigrated(db);
    return { db, keyring, describe: 'DATABASE_URL', close: () => db.close() };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
  try {
    await migrate(embedded.url);
    const db = await openDatabase({ url: embedded.url, kind: 'pglite', ...CLI_ROLE });
    return {
      db,
      keyring,
      describe: `embedded database in ${config.dataDir}`,
      async close() {
        await db.close();
        await embedded.stop();
      },
    };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}

async function assertMigrated(db: Database): Promise<void> {
  const { rows } = await db.pool.query<{ ok: boolean }>(`SELECT to_regclass('public.workflows') IS NOT NULL AS ok`);
  if (!rows[0]?.ok) {
    await db.close();
    throw new Error('The database has no Switchyard schema yet: run `pnpm db:migrate` (or `switchyard apply`, which migrates first).');
  }
}
