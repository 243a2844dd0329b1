import type pg from 'pg';
import { createConnectorExecutors, withConnections } from '@switchyard/connectors';
import { connectionResolver, loadSecretKeyring, SecretKeyError } from '@switchyard/db';
import type { ExecutorRegistry, Logger } from '@switchyard/engine';

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
}): ExecutorRegistry {
  const executors = createConnectorExecutors(opts.outboundAllowlist !== undefined ? { outboundAllowlist: opts.outboundAllowlist } : {});
  try {
    const keyring = loadSecretKeyring({ databaseKind: opts.databaseKind });
    return withConnections(executors, connectionResolver(opts.pool, keyring));
  } catch (err) {
    if (!(err instanceof SecretKeyError)) throw err;
    opts.logger.warn({ reason: err.message }, 'ERP connections are unavailable to this worker');
    return executors;
  }
}
