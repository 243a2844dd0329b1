import { NodeExecutionError } from '@switchyard/workflow';
import { DEFAULT_EXPRESSION_MAX_DEPTH, DEFAULT_EXPRESSION_TIMEOUT_MS } from '../jsonata/evaluate';
import { backOfficeClientFor } from './back-office/executor';
import { businessCentralClientFor } from './business-central/executor';
import { checkConnection } from './common/connection-kind';
import type { ErpResponse } from './common/erp-http';
import type { ErpDeps, ParsedConnection } from './common/record-executor';
import { TokenCache } from './common/token-cache';
import { connectionSystems, isConnectionSystem } from './kinds';
import { netsuiteClientFor } from './netsuite/executor';
import { oracleFusionClientFor } from './oracle-fusion/executor';
import { createSqlPools } from '../database/sql-client';
import { restClientFor } from './rest/executor';
import { sapClientFor } from './sap/executor';
import { workdayClientFor } from './workday/executor';

export type ConnectionTestOutcome = 'ok' | 'auth_failed' | 'unreachable' | 'blocked' | 'rejected' | 'invalid' | 'error';

export interface ConnectionTestResult {
  ok: boolean;
  outcome: ConnectionTestOutcome;
  /** In words, with the system's own answer: "Business Central refused the client secret: AADSTS7000215: …". */
  message: string;
  status?: number;
  durationMs: number;
}

export interface ConnectionTestInput {
  id?: string;
  name: string;
  kind: string;
  baseUrl: string;
  config: unknown;
  credentials: unknown;
}

export interface ConnectionTestOptions {
  fetch: typeof fetch;
  /** For database connections, which do not go through `fetch`: the platform's outbound allowlist. */
  outboundAllowlist?: string | readonly string[];
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Calls the system with the connection's credentials (token endpoint and a cheap authenticated GET)
 * and says what happened: accepted, credentials refused (with the vendor's reason), unreachable, or
 * blocked by the outbound policy. Uses a fresh token cache: a test must prove the current secret,
 * not a token obtained with an earlier one. Never throws; never puts a credential in the message.
 */
export async function testConnection(input: ConnectionTestInput, options: ConnectionTestOptions): Promise<ConnectionTestResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const done = (outcome: ConnectionTestOutcome, message: string, status?: number): ConnectionTestResult => ({
    ok: outcome === 'ok',
    outcome,
    message,
    ...(status !== undefined ? { status } : {}),
    durationMs: now() - started,
  });
  if (!isConnectionSystem(input.kind)) return done('invalid', `unknown system ${JSON.stringify(input.kind)}`);
  if (input.kind === 'postgres' || input.kind === 'mysql') return testDatabase(input, options, done);
  const def = connectionSystems[input.kind];
  const checked = checkConnection(def, input);
  if (!checked.ok) return done('invalid', `the connection is incomplete: ${checked.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
  const connection: ParsedConnection = {
    id: input.id ?? 'test',
    name: input.name,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    config: checked.config,
    credentials: checked.credentials,
  };
  const deps: ErpDeps = {
    fetch: options.fetch,
    tokens: new TokenCache(now),
    budget: { timeoutMs: DEFAULT_EXPRESSION_TIMEOUT_MS, maxDepth: DEFAULT_EXPRESSION_MAX_DEPTH },
    now,
    sessions: new Map(),
  };
  const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  try {
    const response = await ping(input.kind, deps, connection, signal);
    return done('ok', `${def.displayName} accepted the credentials (${response.label} answered ${response.status})`, response.status);
  } catch (err) {
    if (signal.aborted) return done('unreachable', `${def.displayName} did not answer within ${options.timeoutMs ?? 15_000} ms`);
    if (err instanceof NodeExecutionError) {
      if (err.code === 'auth_failed') return done('auth_failed', `${def.displayName} refused the credentials: ${err.message}`, err.status);
      if (err.code === 'network') return done('unreachable', `${def.displayName} is unreachable: ${err.message}`);
      if (err.code === 'outbound_blocked' || err.code === 'redirect_refused') return done('blocked', err.message);
      return done('rejected', err.message, err.status);
    }
    return done('error', `the test failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A cheap authenticated call per system; each throws a classified step error unless it succeeded. */
async function ping(kind: string, deps: ErpDeps, c: ParsedConnection, signal: AbortSignal): Promise<ErpResponse> {
  switch (kind) {
    case 'netsuite':
      return netsuiteClientFor(deps, c, signal).ping();
    case 'business-central':
      return businessCentralClientFor(deps, c, signal).ping();
    case 'sap':
      return sapClientFor(deps, c, signal).ping();
    case 'workday':
      return workdayClientFor(deps, c, signal).ping();
    case 'oracle-fusion':
      return oracleFusionClientFor(deps, c, signal).ping();
    case 'back-office':
      return backOfficeClientFor(deps, c, signal).ping();
    default: {
      // Any answer but 401/403 shows the API is reachable and took the credentials.
      const client = restClientFor(deps, c, signal);
      const response = await client.send('GET', '/');
      if (response.status === 401 || response.status === 403) throw client.http.failure(response, { code: 'auth_failed', retryable: false });
      return response;
    }
  }
}

/** Databases: connect (through the outbound address policy) and run `SELECT 1`. */
async function testDatabase(
  input: ConnectionTestInput,
  options: ConnectionTestOptions,
  done: (outcome: ConnectionTestOutcome, message: string, status?: number) => ConnectionTestResult,
): Promise<ConnectionTestResult> {
  const kind = input.kind as 'postgres' | 'mysql';
  const def = connectionSystems[kind];
  const checked = checkConnection(def, input);
  if (!checked.ok) return done('invalid', `the connection is incomplete: ${checked.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
  const pools = createSqlPools(options.outboundAllowlist !== undefined ? { allowlist: options.outboundAllowlist } : {});
  try {
    const pool = await pools.get(kind, { id: input.id ?? 'test', name: input.name, baseUrl: input.baseUrl, config: checked.config, credentials: checked.credentials });
    await pool.query('SELECT 1', []);
    return done('ok', `${def.displayName} accepted the credentials (SELECT 1 answered)`);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const message = e.message ?? String(err);
    if (e.code === 'outbound_blocked') return done('blocked', message);
    if (e.code === '28P01' || e.code === '28000' || e.code === 'ER_ACCESS_DENIED_ERROR' || e.code === 'ER_DBACCESS_DENIED_ERROR') return done('auth_failed', `${def.displayName} refused the credentials: ${message}`);
    if (e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT' || e.code === 'ENOTFOUND' || e.code === 'network') return done('unreachable', `${def.displayName} is unreachable: ${message}`);
    return done('rejected', message);
  } finally {
    await pools.closeAll();
  }
}
