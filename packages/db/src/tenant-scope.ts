import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import { assertUuid } from './sql';

/**
 * Tenant isolation in depth (migration `20261128103000_tenant_row_level_security`).
 *
 * Every tenant-owned table has row-level security, enabled and forced, keyed on two settings of
 * the current transaction: `app.tenant_id` and `app.scope`. A pool opened with `role: 'app'`
 * (openDatabase) sends, in front of every transaction and every stand-alone statement,
 *
 *   SELECT set_config('role', 'switchyard_app', true), set_config('app.tenant_id', …, true), …
 *
 * so each statement runs as the unprivileged `switchyard_app` role (not the owner, not superuser,
 * not BYPASSRLS) with the scope the caller opened via `withTenant` or `asPlatform`. The settings
 * are transaction-local: they end with the transaction, so nothing carries over to the next user
 * of a pooled connection (nor, on PGlite, to the other connections sharing its one session).
 * Outside any scope both settings are empty, and the policies let nothing be read or written.
 *
 * Cost: no extra transaction and no extra round trip. A `BEGIN` gets the settings appended as
 * SET LOCALs in the same Query message (no snapshot, so an isolation level can still follow); any
 * other statement sent with the simple protocol outside a transaction gets the prelude prefixed;
 * a parameterised statement gets the prelude's Parse/Bind/Execute written in front of its own
 * messages, before the one Sync, so both run in the same implicit transaction. Statements inside
 * an open transaction are sent untouched: its BEGIN already carried the scope.
 */

export const APP_ROLE = 'switchyard_app';

/**
 * The only reasons for which code may see across tenants. Each is a system path that works on
 * rows of many tenants by nature; everything a user or API key does runs `withTenant`.
 */
export const PLATFORM_REASONS = {
  dispatch:
    "the worker process's own system work (its pool's fallback scope): claims across tenants, leases, " +
    'timers, schedules, history retention, the status-out sender, trigger hosts, the demo seed; each run it executes is narrowed to its tenant',
  retention: 'ingress purges expired webhook-ids of every tenant',
  'platform-dashboards': 'a platform admin looks at dashboards and metrics over all tenants',
  'platform-admin': 'a platform admin manages tenants, memberships and onboarding',
  'sign-in': 'signing in lists the memberships of one user across tenants',
  'api-key': 'an API key names its tenant: the one lookup of a key by its public prefix',
  'secret-rotation': 'db:rotate-secrets re-encrypts the secrets of every tenant with a new key',
  seed: 'the demo seed and tests prepare data for several tenants',
} as const;

export type PlatformReason = keyof typeof PLATFORM_REASONS;

export type DbScope = { kind: 'tenant'; tenantId: string } | { kind: 'platform'; reason: PlatformReason };

/**
 * One store per process, not per module instance: Next.js bundles this package into several server
 * chunks (route handlers, instrumentation, server components), and the pool, cached on globalThis,
 * may come from another chunk than the code opening the scope. Separate stores would leave that
 * pool's statements unscoped (seeing nothing).
 */
const STORE_KEY = Symbol.for('switchyard.db.tenantScopes');
const scopes: AsyncLocalStorage<DbScope> = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new AsyncLocalStorage<DbScope>()) as AsyncLocalStorage<DbScope>;

/** Runs `work` with the database scoped to one tenant: RLS shows and accepts only its rows. */
export function withTenant<T>(tenantId: string, work: () => T | PromiseLike<T>): Promise<T> {
  assertUuid(tenantId, 'tenantId');
  return runIn({ kind: 'tenant', tenantId: tenantId.toLowerCase() }, work);
}

/**
 * Runs `work` with the database open across tenants, for one of the named system paths only.
 * Grep for `asPlatform(` to audit every place that does so.
 */
export function asPlatform<T>(reason: PlatformReason, work: () => T | PromiseLike<T>): Promise<T> {
  if (!Object.hasOwn(PLATFORM_REASONS, reason)) throw new TypeError(`unknown platform reason ${JSON.stringify(reason)}`);
  return runIn({ kind: 'platform', reason }, work);
}

/**
 * Prisma's queries are lazy: they start when `then` is called. Calling it here, inside the
 * scope, makes `withTenant(id, () => prisma.run.count())` run in the scope rather than wherever
 * the caller later awaits it.
 */
function runIn<T>(scope: DbScope, work: () => T | PromiseLike<T>): Promise<T> {
  return scopes.run(scope, () => {
    try {
      const result = work();
      return new Promise<T>((resolve, reject) => {
        if (result !== null && typeof (result as PromiseLike<T>)?.then === 'function') (result as PromiseLike<T>).then(resolve, reject);
        else resolve(result as T);
      });
    } catch (err) {
      return Promise.reject(err);
    }
  });
}

/** The scope of the calling code, if it opened one. */
export function currentScope(): DbScope | undefined {
  return scopes.getStore();
}

/** Values of the four settings. Every one is a constant, a checked UUID or a known reason. */
function settingsOf(scope: DbScope | undefined): [role: string, tenantId: string, scope: string, reason: string] {
  if (!scope) return [APP_ROLE, '', '', ''];
  if (scope.kind === 'tenant') return [APP_ROLE, scope.tenantId, 'tenant', ''];
  return [APP_ROLE, '', 'platform', scope.reason];
}

const PRELUDE_PARAMETERISED =
  "SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.scope', $3, true), set_config('app.platform_reason', $4, true)";

const literal = (value: string) => (/^[a-z0-9_-]*$/i.test(value) ? `'${value}'` : fail(value));

/** The same prelude with its values inlined, for the simple protocol (no parameters there). */
function inlinePrelude(scope: DbScope | undefined): string {
  const [role, tenantId, kind, reason] = settingsOf(scope);
  return (
    `SELECT set_config('role', ${literal(role)}, true), set_config('app.tenant_id', ${literal(tenantId)}, true), ` +
    `set_config('app.scope', ${literal(kind)}, true), set_config('app.platform_reason', ${literal(reason)}, true)`
  );
}

/**
 * After a BEGIN the settings go in as SET LOCAL, which (unlike a SELECT) takes no snapshot, so the
 * transaction can still choose its isolation level (Prisma sends SET TRANSACTION ISOLATION LEVEL
 * after BEGIN). Their CommandCompletes are swallowed; the caller sees BEGIN's alone.
 */
function transactionPrelude(scope: DbScope | undefined): string {
  const [role, tenantId, kind, reason] = settingsOf(scope);
  return (
    `SET LOCAL role = ${literal(role)}; SET LOCAL app.tenant_id = ${literal(tenantId)}; ` +
    `SET LOCAL app.scope = ${literal(kind)}; SET LOCAL app.platform_reason = ${literal(reason)}`
  );
}

/** A lone BEGIN / START TRANSACTION (with its options), nothing after it. */
const LONE_BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b[^;]*;?\s*$/i;

function fail(value: string): never {
  throw new TypeError(`refusing to inline ${JSON.stringify(value)} into the scope prelude`);
}

// pg's wire-level hooks are not in its type declarations; these are the parts used here.
interface WireConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parse(msg: { text: string; name: string; types: number[] }): void;
  bind(msg: { portal: string; statement: string; values: unknown[] }): void;
  execute(msg: { portal: string; rows: number }): void;
}
interface QueryInternals {
  text?: string;
  callback?: (err: Error | null, res?: unknown) => void;
  requiresPreparation(): boolean;
  submit(connection: WireConnection): Error | null;
  handleRowDescription(msg: unknown): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: WireConnection): void;
}

const BaseQuery = pg.Query as unknown as new (config: unknown, values?: unknown, callback?: unknown) => QueryInternals;

/** A query that opens its transaction (or its implicit one) with the scope prelude. */
class ScopedQuery extends BaseQuery {
  /** True while the prelude's own answers (a row and a CommandComplete) are still to come. */
  private swallowing = false;
  /** A BEGIN with the SET LOCALs appended: every CommandComplete after BEGIN's own is theirs. */
  private afterBegin = false;
  private completes = 0;

  constructor(
    config: unknown,
    values: unknown,
    callback: unknown,
    private readonly owner: ScopedClient,
    private readonly scope: DbScope | undefined,
  ) {
    super(config, values, callback);
  }

  // Decided when the query goes on the wire, not when it was queued: only then is the
  // connection's transaction status (from the last ReadyForQuery) the one it will run in.
  override submit(connection: WireConnection): Error | null {
    const status = this.owner.getTransactionStatus();
    if (status === 'T' || status === 'E' || !this.text) return super.submit(connection);
    if (!this.requiresPreparation()) {
      if (LONE_BEGIN.test(this.text)) {
        this.afterBegin = true;
        this.text = `${this.text.trim().replace(/;$/, '')}; ${transactionPrelude(this.scope)}`;
        return super.submit(connection);
      }
      this.swallowing = true;
      this.text = `${inlinePrelude(this.scope)}; ${this.text}`;
      return super.submit(connection);
    }
    this.swallowing = true;
    connection.stream.cork?.();
    try {
      connection.parse({ text: PRELUDE_PARAMETERISED, name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: settingsOf(this.scope) });
      connection.execute({ portal: '', rows: 0 });
      return super.submit(connection);
    } finally {
      connection.stream.uncork?.();
    }
  }

  override handleRowDescription(msg: unknown): void {
    if (!this.swallowing) super.handleRowDescription(msg);
  }

  override handleDataRow(msg: unknown): void {
    if (!this.swallowing) super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: WireConnection): void {
    if (this.swallowing) {
      this.swallowing = false;
      return;
    }
    if (this.afterBegin && this.completes++ > 0) return;
    super.handleCommandComplete(msg, connection);
  }
}

type QueryCallback = (err: Error | null, res?: unknown) => void;

/** A pg client whose every statement runs as the app role in the caller's scope. */
export class ScopedClient extends pg.Client {
  /** The scope of statements issued outside withTenant/asPlatform: none (see nothing) unless a test seeds. */
  unscoped: DbScope | undefined;

  // pg's overloads cannot be restated one by one here; the behaviour is pg's own.
  override query(config: unknown, values?: unknown, callback?: unknown): never {
    const base = super.query.bind(this) as (q: unknown) => unknown;
    if (config == null || typeof (config as { submit?: unknown }).submit === 'function') {
      return (super.query as (...args: unknown[]) => never)(config, values, callback);
    }
    const query = new ScopedQuery(config, values, callback, this, currentScope() ?? this.unscoped);
    if (query.callback) {
      base(query);
      return undefined as never;
    }
    return new Promise((resolve, reject) => {
      query.callback = ((err, res) => (err ? reject(err) : resolve(res))) as QueryCallback;
      base(query);
    }) as never;
  }
}

/**
 * pg-pool hands a waiting caller its connection from inside another caller's release, so a
 * connect callback would run in the releasing caller's scope. Binding the callback to the
 * scope of the `connect` call keeps every statement in the scope of the code that issued it.
 */
export class ScopedPool extends pg.Pool {
  /**
   * `unscoped`: the platform scope of statements issued outside withTenant/asPlatform. Unset (the
   * web app), they see nothing. The worker process sets 'dispatch' (it is the system process);
   * test databases set 'seed' for their fixtures.
   */
  constructor(config: pg.PoolConfig, unscoped?: PlatformReason) {
    if (unscoped !== undefined && !Object.hasOwn(PLATFORM_REASONS, unscoped)) throw new TypeError(`unknown platform reason ${JSON.stringify(unscoped)}`);
    const fallback: DbScope | undefined = unscoped === undefined ? undefined : { kind: 'platform', reason: unscoped };
    class Client extends ScopedClient {
      override unscoped = fallback;
    }
    super({ ...config, Client } as pg.PoolConfig);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (!callback) return super.connect();
    return super.connect(AsyncResource.bind(callback));
  }
}
