import type pg from 'pg';
import { createConnectorExecutors, withConnections, type EventBrokers, type SqlPools } from '@switchyard/connectors';
import { connectionResolver, loadSecretKeyring, SecretKeyError } from '@switchyard/db';
import type { ExecutorRegistry, Logger } from '@switchyard/engine';
import type { ConnectionResolver } from '@switchyard/workflow';

/**
 * Every node kind the worker can run (core kinds, ERP/back-office connectors, REST, canonical
 * validation), with each step's tenant connections resolved from the database and decrypted with
 * the estate key. Without a key (a PostgreSQL estate that has not set SWITCHYARD_SECRET_KEY) the
 * worker still runs everything that needs no stored credentials, and says so once.
 */
export function createWorkerExecutors(opts: {
  pool: pg.Pool;
  databaseKind: 'pglite' | 'postgres';
  outboundAllowlist?: string;
  logger: Logger;
  eventBrokers?: EventBrokers;
  fileRoot?: string;
  sqlPools?: SqlPools;
}): ExecutorRegistry {
  const executors = createConnectorExecutors({
    ...(opts.outboundAllowlist !== undefined ? { outboundAllowlist: opts.outboundAllowlist } : {}),
    ...(opts.eventBrokers ? { eventBrokers: opts.eventBrokers } : {}),
    ...(opts.fileRoot ? { fileRoot: opts.fileRoot } : {}),
    ...(opts.sqlPools ? { sqlPools: opts.sqlPools } : {}),
  });
  try {
    const keyring = loadSecretKeyring({ databaseKind: opts.databaseKind });
    return withConnections(executors, connectionResolver(opts.pool, keyring));
  } catch (err) {
    if (!(err instanceof SecretKeyError)) throw err;
    opts.logger.warn({ reason: err.message }, 'ERP connections are unavailable to this worker');
    return executors;
  }
}

/** The tenant connection resolver the executors use, for the hosts that poll tenant systems; undefined without a key. */
export function workerConnectionResolver(pool: pg.Pool, databaseKind: 'pglite' | 'postgres'): ((tenantId: string) => ConnectionResolver) | undefined {
  try {
    return connectionResolver(pool, loadSecretKeyring({ databaseKind }));
  } catch (err) {
    if (err instanceof SecretKeyError) return undefined;
    throw err;
  }
}
