/**
 * `pnpm db:diff <name> [--dry-run]`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
 * the SQL that takes a database from the committed migrations to prisma/schema.prisma.
 */
import path from 'node:path';
import { diffMigrations } from '../migrations/diff';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const names = args.filter((a) => !a.startsWith('--'));
  if (names.length !== 1) {
    process.stderr.write('usage: pnpm db:diff <migration_name> [--dry-run]\n  e.g. pnpm db:diff add_run_tags\n');
    process.exit(2);
  }
  const { sql, folder } = await diffMigrations({ name: names[0]!, dryRun });
  if (!sql) {
    process.stdout.write('prisma/schema.prisma matches the migrations: nothing to write.\n');
  } else if (folder) {
    process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(folder, 'migration.sql'))}\n\n${sql}\n`);
  } else {
    process.stdout.write(sql + '\n');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`db:diff failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
