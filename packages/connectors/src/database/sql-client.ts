import mysql from 'mysql2/promise';
import pg from 'pg';
import { NodeExecutionError } from '@switchyard/workflow';
import { parseOutboundAllowlist, type OutboundAllowlist } from '../http/outbound/address-policy';
import { chooseAddress, OutboundBlockedError } from '../http/outbound/guarded-agent';
import type { ParsedConnection } from '../erp/common/record-executor';
import type { SqlSystem } from './kinds';

export interface SqlResult {
  rows: Array<Record<string, unknown>>;
  rowCount: number;
}

/** One pool per connection (and per change of its settings), shared by every step of this worker. */
interface SqlPool {
  query(sql: string, params: unknown[]): Promise<SqlResult>;
  end(): Promise<void>;
}

export interface SqlPools {
  get(system: SqlSystem, connection: ParsedConnection): Promise<SqlPool>;
  closeAll(): Promise<void>;
}

/**
 * Pools keyed by connection id and settings. Before a pool is made the host is resolved and checked
 * against the outbound policy (private and loopback ranges need the platform allowlist), and the
 * driver connects to the checked address itself.
 */
export function createSqlPools(options: { allowlist?: OutboundAllowlist | string | readonly string[] } = {}): SqlPools {
  const allowlist = typeof options.allowlist === 'object' && options.allowlist !== null && 'allowsHost' in options.allowlist ? options.allowlist : parseOutboundAllowlist(options.allowlist as string | readonly string[] | undefined);
  const pools = new Map<string, Promise<SqlPool>>();
  return {
    get(system, connection) {
      const key = JSON.stringify([connection.id, connection.baseUrl, connection.config, connection.credentials]);
      let pool = pools.get(key);
      if (!pool) {
        pool = open(system, connection, allowlist);
        pools.set(key, pool);
        pool.catch(() => pools.delete(key));
      }
      return pool;
    },
    async closeAll() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.then((x) => x.end()).catch(() => undefined)));
    },
  };
}

async function open(system: SqlSystem, c: ParsedConnection, allowlist: OutboundAllowlist): Promise<SqlPool> {
  const url = new URL(c.baseUrl);
  const port = Number(url.port || (system === 'postgres' ? 5432 : 3306));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new NodeExecutionError(`${c.name}: the base URL must name the database (…/<database>)`, { code: 'invalid_config', retryable: false });
  let host: string;
  try {
    host = await chooseAddress(url.hostname, port, { allowlist });
  } catch (err) {
    if (err instanceof OutboundBlockedError) throw new NodeExecutionError(`${c.name}: ${err.message}`, { code: 'outbound_blocked', retryable: false });
    throw new NodeExecutionError(`${c.name}: cannot resolve ${url.hostname}: ${err instanceof Error ? err.message : String(err)}`, { code: 'network', retryable: true });
  }
  const { maxConnections, statementTimeoutMs } = c.config as { maxConnections: number; statementTimeoutMs: number };
  const { username, password } = c.credentials as { username: string; password?: string };
  if (system === 'postgres') {
    const pool = new pg.Pool({ host, port, database, user: username, password: password ?? '', max: maxConnections, statement_timeout: statementTimeoutMs, connectionTimeoutMillis: 5000 });
    pool.on('error', () => undefined);
    return {
      query: async (sql, params) => {
        const r = await pool.query(sql, params);
        return { rows: r.rows as Array<Record<string, unknown>>, rowCount: r.rowCount ?? r.rows.length };
      },
      end: () => pool.end(),
    };
  }
  const pool = mysql.createPool({ host, port, database, user: username, password: password ?? '', connectionLimit: maxConnections, connectTimeout: 5000, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  return {
    query: async (sql, params) => {
      const [result] = await pool.query({ sql, values: params, timeout: statementTimeoutMs });
      if (Array.isArray(result)) return { rows: result as Array<Record<string, unknown>>, rowCount: result.length };
      return { rows: [], rowCount: (result as { affectedRows?: number }).affectedRows ?? 0 };
    },
    end: () => pool.end(),
  };
}

/** Which database errors another attempt may cure: connection loss, timeouts, deadlocks, too many connections. */
export function sqlError(connection: string, err: unknown): NodeExecutionError {
  if (err instanceof NodeExecutionError) return err;
  const e = err as { code?: string; errno?: number; message?: string; position?: string; sqlMessage?: string };
  const code = String(e.code ?? '');
  const retryable =
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CON_COUNT_ERROR'].includes(code) ||
    /^(08|40|53|57P0)/.test(code) ||
    /timeout/i.test(e.message ?? '');
  const message = e.sqlMessage ?? e.message ?? String(err);
  return new NodeExecutionError(`${connection}: ${message}${code ? ` (${code})` : ''}`, { code: retryable ? 'database_unavailable' : 'sql_error', retryable });
}
