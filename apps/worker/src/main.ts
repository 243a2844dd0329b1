/**
 * A standalone worker process for production and scale-out: `DATABASE_URL=postgres://… pnpm worker`.
 * Any number of these share the run queue. SIGTERM drains: current steps finish, the rest is released.
 */
import { openDatabase } from '@switchyard/db';
import { ConfigError, readWorkerEnv } from './env';
import { createLogger } from './logger';
import { startObservability } from './observability';
import { Worker } from './worker';
import { createWorkerExecutors } from './executors';

async function main(): Promise<void> {
  const env = readWorkerEnv();
  if (!env.databaseUrl) throw new ConfigError('DATABASE_URL is required for a standalone worker (postgres://user:pass@host:5432/db).');
  const logger = createLogger(env.logLevel);
  const db = await openDatabase({ url: env.databaseUrl, kind: 'postgres' });
  const observability = await startObservability({ pool: db.pool, logger });
  const worker = new Worker({
    pool: db.pool,
    databaseUrl: env.databaseUrl,
    executors: observability.instrument(createWorkerExecutors({ pool: db.pool, databaseKind: 'postgres', logger })),
    logger,
    workerId: env.workerId,
    concurrency: env.concurrency,
    leaseMs: env.leaseMs,
    pollMs: env.pollMs,
  });
  await worker.start();
  const stop = async () => {
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
