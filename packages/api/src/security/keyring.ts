import { loadSecretKeyring, type SecretKeyring } from '@switchyard/db';
import type { ApiDatabase } from '../trpc';

// The estate's secret keyring (SWITCHYARD_SECRET_KEY, or the embedded default's key file), which
// encrypts webhook signing secrets at rest. Loaded once per configuration: the env value is part of
// the cache key so a process (or a test) that changes it gets the new keyring.
let cached: { env: string | undefined; kind: string; keyring: SecretKeyring } | null = null;

export function serverKeyring(db: Pick<ApiDatabase, 'kind'>): SecretKeyring {
  const env = process.env.SWITCHYARD_SECRET_KEY;
  const kind = db.kind === 'pglite' ? 'pglite' : 'postgres';
  if (cached && cached.env === env && cached.kind === kind) return cached.keyring;
  const keyring = loadSecretKeyring({ databaseKind: kind });
  cached = { env, kind, keyring };
  return keyring;
}
