/**
 * A standalone worker process for production and scale-out: `DATABASE_URL=postgres://… pnpm worker`.
 * Any number of these share the run queue. SIGTERM drains: current steps finish, the rest is released.
 */
import { allowlistFromEnv, createSqlPools } from '@switchyard/connectors';
import { openDatabase } from '@switchyard/db';
import { ConfigError, readWorkerEnv } from './env';
import { createLogger } from './logger';
import { startObservability } from './observability';
import { Worker } from './worker';
import { SqlPollHost } from './database/sql-poll';
import { startWorkerStatusSender } from './status-out/sender';
import { createWorkerExecutors, workerConnectionResolver } from './executors';
import { connectEventBrokers } from './events/brokers';
import { EventTriggerHost } from './events/event-triggers';
import { FolderWatchHost } from './files/folder-watch';

async function main(): Promise<void> {
  const env = readWorkerEnv();
  if (!env.databaseUrl) throw new ConfigError('DATABASE_URL is required for a standalone worker (postgres://user:pass@host:5432/db).');
  const logger = createLogger(env.logLevel);
  // App role under row-level security; work outside a tenant scope is the 'dispatch' platform scope.
  const db = await openDatabase({ url: env.databaseUrl, kind: 'postgres', role: 'app', unscopedStatements: 'dispatch' });
  const observability = await startObservability({ pool: db.pool, logger });
  const events = await connectEventBrokers(env, logger);
  const sqlPools = createSqlPools({ allowlist: allowlistFromEnv() });
  const worker = new Worker({
    pool: db.pool,
    databaseUrl: env.databaseUrl,
    executors: observability.instrument(createWorkerExecutors({ pool: db.pool, databaseKind: 'postgres', logger, eventBrokers: events.brokers, sqlPools, ...(env.fileRoot ? { fileRoot: env.fileRoot } : {}) })),
    logger,
    workerId: env.workerId,
    concurrency: env.concurrency,
    leaseMs: env.leaseMs,
    pollMs: env.pollMs,
  });
  await worker.start();
  const triggers = new EventTriggerHost({ pool: db.pool, brokers: events.brokers, logger });
  await triggers.start();
  const folders = env.fileRoot ? new FolderWatchHost({ pool: db.pool, root: env.fileRoot, logger }) : undefined;
  await folders?.start();
  const resolver = workerConnectionResolver(db.pool, 'postgres');
  const polls = resolver ? new SqlPollHost({ pool: db.pool, sqlPools, connectionsFor: resolver, logger }) : undefined;
  polls?.start();
  const statusSender = startWorkerStatusSender({ pool: db.pool, databaseKind: 'postgres', logger });
  const stop = async () => {
    await statusSender?.stop();
    await polls?.stop();
    await sqlPools.closeAll();
    await folders?.stop();
    // Consumers first: no message is taken that the draining worker would not get to.
    await triggers.stop();
    await events.close();
    await worker.stop();
    await observability.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`worker could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
