/**
 * `pnpm db:rotate-secrets`: re-encrypts every secret at rest with a new key. Run it with
 * `SWITCHYARD_SECRET_KEY=<new>,<old>` (the form every process accepts while a rotation is in
 * progress: the first key writes, both read), then give the processes the new key alone.
 */
import { assertPostgresUrl } from '../database-url';
import { openDatabase } from '../database';
import { loadSecretKeyring, SECRET_KEY_ENV } from '../secrets/key';
import { rotateSecrets } from '../secrets/rotate';
import { asPlatform } from '../tenant-scope';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    process.stderr.write('db:rotate-secrets needs DATABASE_URL (postgres://user:password@host:5432/dbname).\n');
    process.exit(2);
  }
  assertPostgresUrl(url, 'DATABASE_URL');
  const keyring = loadSecretKeyring({ databaseKind: 'postgres' });
  const previous = [...keyring.byId.values()].filter((k) => k.id !== keyring.current.id);
  if (previous.length !== 1) {
    process.stderr.write(`db:rotate-secrets needs ${SECRET_KEY_ENV}=<new key>,<old key> (two base64 keys, the new one first).\n`);
    process.exit(2);
  }
  // The app role under row-level security (forced RLS hides every row from an owner that is not
  // superuser), across tenants in the narrow 'secret-rotation' scope.
  const db = await openDatabase({ url, kind: 'postgres', poolMax: 2, role: 'app' });
  try {
    const result = await asPlatform('secret-rotation', () => rotateSecrets(db.pool, previous[0]!, keyring.current));
    for (const [column, count] of Object.entries(result.byColumn)) process.stdout.write(`${column}: ${count} row(s)\n`);
    process.stdout.write(`Re-encrypted ${result.rotated} secret(s) with key ${result.newKeyId}. Now set ${SECRET_KEY_ENV} to the new key alone.\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`db:rotate-secrets failed (nothing was changed): ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
