import type { ApiDatabase } from '../trpc';
import { serverKeyring } from '../security/keyring';
import { createAuth, sessionSecretFrom, type SwitchyardAuth } from './better-auth';
import type { SessionUser } from './roles';

// One better-auth instance per pool (a process has one; tests open several databases).
const instances = new WeakMap<object, SwitchyardAuth>();

export function authFor(db: Pick<ApiDatabase, 'pool' | 'kind'>): SwitchyardAuth {
  let auth = instances.get(db.pool);
  if (!auth) {
    auth = createAuth({ pool: db.pool, secret: sessionSecretFrom(serverKeyring(db).current.key), baseURL: publicBaseUrl() });
    instances.set(db.pool, auth);
  }
  return auth;
}

/**
 * Where browsers reach the web app: SWITCHYARD_PUBLIC_URL when set (a deployment behind a proxy or on
 * a domain); otherwise any loopback host, which is what the embedded default serves. Sign-in requests
 * from any other origin are refused by better-auth's origin check.
 */
function publicBaseUrl(): string | { allowedHosts: string[]; fallback: string } {
  const url = process.env.SWITCHYARD_PUBLIC_URL?.trim();
  // The fallback names the server itself for calls made outside a request (creating users).
  return url ? url : { allowedHosts: ['localhost:*', '127.0.0.1:*', '[::1]:*', 'localhost', '127.0.0.1'], fallback: `http://localhost:${process.env.SWITCHYARD_PUBLIC_PORT ?? process.env.PORT ?? '3000'}` };
}

/** The signed-in user of a request (from its session cookie), or null. */
export async function sessionUserOf(db: Pick<ApiDatabase, 'pool' | 'kind'>, headers: Headers): Promise<SessionUser | null> {
  const session = await authFor(db).api.getSession({ headers });
  if (!session) return null;
  const { id, email, name, platformAdmin } = session.user;
  return { id, email, name, platformAdmin: platformAdmin === true };
}
