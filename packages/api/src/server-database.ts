import { openDatabase, type Database } from '@switchyard/db';

/**
 * One database handle per server process, opened on first use. Kept on globalThis because Next.js
 * dev mode re-evaluates modules on every change and would otherwise leak a pool per reload.
 */
const holder = globalThis as typeof globalThis & { __switchyardDatabase?: Promise<Database> };

/**
 * Reads DATABASE_URL (set by the embedded host to its PGlite socket, or by the operator to a
 * PostgreSQL server); SWITCHYARD_DATABASE_KIND=pglite says the URL is the embedded socket.
 */
export function getServerDatabase(env: Record<string, string | undefined> = process.env): Promise<Database> {
  if (!holder.__switchyardDatabase) {
    const url = env.DATABASE_URL?.trim();
    if (!url) {
      return Promise.reject(
        new Error(
          'DATABASE_URL is not set: start the web app through `pnpm start` (which runs the embedded database and sets it) or set DATABASE_URL=postgres://…',
        ),
      );
    }
    const kindVar = env.SWITCHYARD_DATABASE_KIND?.trim();
    if (kindVar && kindVar !== 'pglite' && kindVar !== 'postgres') {
      return Promise.reject(new Error(`SWITCHYARD_DATABASE_KIND must be "pglite" or "postgres", got ${JSON.stringify(kindVar)}`));
    }
    const kind = kindVar === 'pglite' ? 'pglite' : 'postgres';
    // The web app runs every statement as the unprivileged app role under row-level security, in
    // the scope its tRPC builders and route handlers open (packages/db/src/tenant-scope.ts).
    const opening = openDatabase({ url, kind, applicationName: 'switchyard-web', role: 'app' });
    holder.__switchyardDatabase = opening;
    // A failed open (database still starting) must not be cached: the next request tries again.
    opening.catch(() => {
      if (holder.__switchyardDatabase === opening) holder.__switchyardDatabase = undefined;
    });
  }
  return holder.__switchyardDatabase;
}
