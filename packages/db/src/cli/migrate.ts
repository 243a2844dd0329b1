/**
 * `pnpm db:migrate`: applies pending migrations to DATABASE_URL (the same runner `pnpm start` uses).
 */
import { assertPostgresUrl } from '../database-url';
import { migrate } from '../migrations/migrate';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    process.stderr.write(
      'db:migrate needs DATABASE_URL (postgres://user:password@host:5432/dbname). The embedded database migrates itself on `pnpm start`.\n',
    );
    process.exit(2);
  }
  assertPostgresUrl(url, 'DATABASE_URL');
  const { applied } = await migrate(url, { log: (m) => process.stdout.write(`${m}\n`) });
  process.stdout.write(applied.length === 0 ? 'Database is up to date: no pending migrations.\n' : `Applied ${applied.length} migration(s).\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`db:migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
