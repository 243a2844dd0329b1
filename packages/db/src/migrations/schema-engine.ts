import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm';

/**
 * Prisma's schema engine compiled to WASM (`@prisma/schema-engine-wasm`), driven through a
 * driver adapter on a throwaway in-memory PGlite. The native engine binary that `prisma migrate`
 * uses cannot be downloaded here (stack-notes.md); this package is on the npm registry.
 *
 * Version: 8.1.0-2.59be4fda… is the registry build of the engine that prisma 7.10.1 bundles
 * (its own build/schema_engine_bg.wasm differs from it only in the embedded git hash and
 * wasm-bindgen symbol names); the exact 8.1.0-1.d1b3f377… that prisma 7.10.1 records was never
 * published.
 */

type SchemaEngineModule = typeof SchemaEngineWasm;
export type SchemaEngine = Awaited<ReturnType<SchemaEngineModule['SchemaEngine']['new']>>;

let modulePromise: Promise<SchemaEngineModule> | undefined;

/** The slice of the WebAssembly global used here (this package's TS lib has no DOM/WASM types). */
type WasmExports = Record<string, unknown>;
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * The package's entry imports its .wasm as an ES module, which Node 20 cannot do; load the JS glue
 * and instantiate the WASM by hand instead (what the entry would have done).
 */
function loadModule(): Promise<SchemaEngineModule> {
  modulePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const glue = (await import(pathToFileURL(path.join(dir, 'schema_engine_bg.js')).href)) as SchemaEngineModule & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return modulePromise;
}

/** The engine reports Rust panics through this global (normally installed by the Prisma CLI). */
function installPanicRegistry(): void {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  const registry: { message: string; set_message(message: string): void; get(): string } = {
    message: '',
    set_message(message: string) {
      this.message = `RuntimeError: ${message}`;
    },
    get() {
      return this.message;
    },
  };
  g.PRISMA_WASM_PANIC_REGISTRY ??= registry;
}

export interface EngineSession {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/**
 * An in-memory PGlite that serves as main and shadow database at once: the engine only replays
 * migrations into it and introspects it. Starting one costs seconds, so callers that diff several
 * times (tests) keep one and it is wiped between uses.
 */
export interface ScratchDatabase {
  url: string;
  /** Drops everything the last diff created. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openScratchDatabase(): Promise<ScratchDatabase> {
  const [{ PGlite }, { servePGlite }] = await Promise.all([import('@electric-sql/pglite'), import('../pglite-wire-server')]);
  const db = await PGlite.create();
  const server = await servePGlite(db, { host: '127.0.0.1', port: 0, maxConnections: 10 });
  return {
    url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    reset: async () => {
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    },
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}

/**
 * A schema engine connected to `target`: a scratch database (wiped first), any database by URL
 * (tests use this to check that Prisma's own engine agrees with our migrate runner), or by default
 * a scratch database of its own, closed with the session.
 */
export async function openSchemaEngine(
  datamodel: { path: string; content: string },
  target?: ScratchDatabase | { url: string },
): Promise<EngineSession> {
  installPanicRegistry();
  const wasm = await loadModule();
  const owned = target ? undefined : await openScratchDatabase();
  const database = target ?? owned!;
  if (isScratch(database)) await database.reset();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => markCharColumns(client));
  const base = new PrismaPg(pool);
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => restoreCharColumns(await base.connect()),
    connectToShadowDb: async () => restoreCharColumns(await base.connect()),
  };
  const close = async () => {
    await pool.end().catch(() => undefined);
    await owned?.close();
  };
  try {
    const engine = await wasm.SchemaEngine.new(
      { datamodels: [[datamodel.path, datamodel.content]] },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    return {
      engine,
      async close() {
        engine.free();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function isScratch(target: ScratchDatabase | { url: string }): target is ScratchDatabase {
  return typeof (target as Partial<ScratchDatabase>).reset === 'function';
}

/*
 * The engine introspects pg_catalog columns of type "char" (OID 18: constraint kinds, relkinds) and
 * expects them as ColumnType Character, but adapter-pg rejects OID 18 as unsupported. We let pg
 * parse those columns as text and tag their names; the adapter wrapper below restores the names
 * and reports Character. Only this throwaway engine connection is patched.
 */
const CHAR_OID = 18;
const TEXT_OID = 25;
const CHAR_TAG = '\u0000char';

type QueryResultLike = { fields?: Array<{ name: string; dataTypeID: number }> };

function retagFields(result: unknown): void {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as QueryResultLike | undefined)?.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        field.name += CHAR_TAG;
      }
    }
  }
}

function markCharColumns(client: pg.PoolClient): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, result: unknown) => {
        if (!err) retagFields(result);
        (last as (err: unknown, result: unknown) => void)(err, result);
      };
      return original(...args);
    }
    const out = original(...args);
    return out instanceof Promise ? out.then((result: unknown) => (retagFields(result), result)) : out;
  };
}

function restoreResult(result: SqlResultSet): SqlResultSet {
  result.columnNames.forEach((name, i) => {
    if (name.endsWith(CHAR_TAG)) {
      result.columnNames[i] = name.slice(0, -CHAR_TAG.length);
      result.columnTypes[i] = ColumnTypeEnum.Character;
    }
  });
  return result;
}

function restoreCharColumns<T extends object>(queryable: T): T {
  return new Proxy(queryable, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'queryRaw') {
        return async (...args: unknown[]) => restoreResult(await (value as (...a: unknown[]) => Promise<SqlResultSet>).apply(target, args));
      }
      if (prop === 'executeScript') {
        // adapter-pg splits scripts at every `;`, which cuts dollar-quoted or string function bodies
        // (and `;` in comments) apart; one simple-protocol query runs the file as Postgres reads it.
        const raw = target as unknown as { client: { query(sql: string): Promise<unknown> }; onError(error: unknown): never };
        return async (script: string) => {
          try {
            await raw.client.query(script);
          } catch (error) {
            raw.onError(error);
          }
        };
      }
      if (prop === 'startTransaction') {
        return async (...args: unknown[]) => restoreCharColumns(await (value as (...a: unknown[]) => Promise<object>).apply(target, args));
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
