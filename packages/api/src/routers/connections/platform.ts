import { TRPCError } from '@trpc/server';
import { createOutboundFetch, type OutboundFetch } from '@switchyard/connectors';
import { loadSecretKeyring, SecretKeyError, type SecretKeyring } from '@switchyard/db';
import type { ApiDatabase } from '../../trpc';

/**
 * Process-wide services of the connection procedures: the secret keyring (from SWITCHYARD_SECRET_KEY,
 * or the embedded key file) and the outbound HTTP client the connection test calls ERPs with
 * (SWITCHYARD_OUTBOUND_ALLOWLIST). Both are read from the environment once per value, so a process
 * and its tests see a changed variable.
 */
const keyrings = new Map<string, SecretKeyring>();
let outbound: { allowlist: string; fetch: OutboundFetch } | undefined;

export function keyringFor(db: ApiDatabase): SecretKeyring {
  const cacheKey = `${db.kind}|${process.env.SWITCHYARD_SECRET_KEY ?? ''}|${process.env.SWITCHYARD_DATA_DIR ?? ''}`;
  let keyring = keyrings.get(cacheKey);
  if (!keyring) {
    try {
      keyring = loadSecretKeyring({ databaseKind: db.kind });
    } catch (err) {
      if (err instanceof SecretKeyError) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: err.message });
      throw err;
    }
    keyrings.set(cacheKey, keyring);
  }
  return keyring;
}

export function outboundFetch(): OutboundFetch {
  const allowlist = process.env.SWITCHYARD_OUTBOUND_ALLOWLIST ?? '';
  if (!outbound || outbound.allowlist !== allowlist) {
    void outbound?.fetch.close();
    outbound = { allowlist, fetch: createOutboundFetch({ allowlist }) };
  }
  return outbound.fetch;
}
