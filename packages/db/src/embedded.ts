import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * The embedded default: PGlite (PostgreSQL compiled to WASM, in this process) with its files in
 * `dataDir`, served on a loopback Postgres socket so that `pg`, Prisma's adapter-pg, psql and the
 * web app's child process all connect to it exactly as to a PostgreSQL server.
 */

export interface EmbeddedPostgresOptions {
  /** Folder for the database files; created when missing, reused (with its data) when present. */
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only by default: the socket has no authentication. */
  host?: string;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Pools of the worker and the web app share the one session, taking turns (pglite-wire-server.ts). */
const MAX_CONNECTIONS = 20;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const host = opts.host ?? '127.0.0.1';
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  // Loaded lazily so that importing @switchyard/db (e.g. from the Next.js server) does not pull in
  // the WASM engine unless the embedded database is actually started.
  const [{ PGlite }, { servePGlite }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-wire-server')]);
  let db: InstanceType<typeof PGlite> | undefined;
  try {
    db = await PGlite.create({ dataDir });
    const server = await servePGlite(db, { host, port: opts.port ?? 0, maxConnections: MAX_CONNECTIONS });
    const port = server.port;
    const pglite = db;
    let stopped: Promise<void> | undefined;
    return {
      url: `postgres://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres`,
      port,
      stop() {
        stopped ??= (async () => {
          await server.close();
          await pglite.close();
          await releaseLock();
        })();
        return stopped;
      },
    };
  } catch (err) {
    await db?.close().catch(() => undefined);
    await releaseLock();
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not start the embedded database in ${dataDir}: ${reason}`, { cause: err });
  }
}

/**
 * Two PGlite instances on one folder would corrupt it, and PGlite does not guard against that, so
 * a pid file next to the data folder does. A lock left by a process that no longer runs is taken over.
 */
const lockedHere = new Set<string>();

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  if (lockedHere.has(dataDir)) {
    throw new Error(`The embedded database in ${dataDir} is already running in this process; stop it before starting it again.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      lockedHere.add(dataDir);
      return async () => {
        lockedHere.delete(dataDir);
        await rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is already in use by process ${owner}. Stop that process, ` +
            `or set SWITCHYARD_DATA_DIR to another folder.`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir} (${lockPath} keeps reappearing).`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
