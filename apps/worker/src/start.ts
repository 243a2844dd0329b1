/**
 * The embedded host: one command that runs the whole product on one machine.
 * Without DATABASE_URL it starts PGlite behind a loopback Postgres socket; it then migrates,
 * seeds the demo estate once, starts the demo ledger endpoint and the worker in-process, and serves
 * the web app (Next.js, apps/web) as a child process pointed at the same database, behind the front
 * server (front-server.ts) that takes webhook deliveries itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createSqlPools } from '@switchyard/connectors';
import { DEMO_ESTATE, startAllSimulators } from '@switchyard/erp-sim';
import { loadSecretKeyring, migrate, openDatabase, resolveDatabaseConfig, SecretKeyError, startEmbeddedPostgres } from '@switchyard/db';
import { ConfigError, readWorkerEnv, repoRoot } from './env';
import { createLogger } from './logger';
import { startObservability } from './observability';
import { Worker, errorMessage } from './worker';
import { allowlistWithReceiver, startDemoReceiver } from './demo/receiver';
import { SqlPollHost } from './database/sql-poll';
import { startWorkerStatusSender } from './status-out/sender';
import { createWorkerExecutors, workerConnectionResolver } from './executors';
import { connectEventBrokers } from './events/brokers';
import { EventTriggerHost } from './events/event-triggers';
import { FolderWatchHost } from './files/folder-watch';
import { seedDemo } from './demo/seed';
import { seedDemoConnections } from './demo/connections';
import { startFrontServer } from './front-server';
import { freeLoopbackPort } from './free-port';

const dev = process.argv.includes('--dev');

async function main(): Promise<void> {
  const env = readWorkerEnv();
  assertWebBuilt();
  const logger = createLogger(env.logLevel);
  const cleanups: Array<() => Promise<unknown>> = [];

  const config = resolveDatabaseConfig();
  const kind = config.kind;
  let url: string;
  if (config.kind === 'pglite') {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    cleanups.unshift(() => embedded.stop());
    url = embedded.url;
    logger.info({ dataDir: config.dataDir, url }, 'embedded PostgreSQL (PGlite) started');
  } else {
    url = config.url;
  }

  const { applied } = await migrate(url);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');

  // The worker is the system process: it runs as the app role under row-level security, and what
  // it does outside a tenant scope (claims, leases, timers, schedules, seeding) is the 'dispatch'
  // platform scope (packages/db/src/tenant-scope.ts). Migrations above ran as the owner.
  const db = await openDatabase({ url, kind, role: 'app', unscopedStatements: 'dispatch' });
  cleanups.unshift(() => db.close());

  const receiver = await startDemoReceiver(env.demoReceiverPort);
  cleanups.unshift(() => receiver.close());
  const { seeded } = await seedDemo(db.prisma, { receiverUrl: receiver.url });
  if (seeded) logger.info('demo estate seeded: tenants acme and globex with a published "Invoice sync" workflow');

  // The ERP and back-office simulators of the demo estate (NetSuite, Business Central, SAP,
  // Workday, billing/CRM/warehouse) on loopback; their hosts join the outbound allowlist, which the
  // web process (connection tests) inherits through the environment.
  const simulators = await startAllSimulators({ host: '127.0.0.1' });
  cleanups.unshift(() => simulators.close());
  const allowlist = [allowlistWithReceiver(receiver), ...Object.values(simulators.urls).map((u) => new URL(u).host)].join(',');
  process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = allowlist;
  logger.info({ simulators: simulators.urls }, 'ERP simulators started');
  // The onboarding wizard prefills each system's address and account settings (not credentials) from this.
  process.env.SWITCHYARD_DEMO_CONNECTIONS = JSON.stringify(demoConnections(simulators.urls));
  // The demo tenants' own connections (acme → NetSuite, globex → Business Central, both → back office),
  // credentials encrypted; moved to this start's simulator ports every time.
  try {
    const demo = await seedDemoConnections(db.pool, loadSecretKeyring({ databaseKind: kind }), simulators.urls);
    if (demo.created.length || demo.repointed.length) logger.info(demo, 'demo connections seeded');
  } catch (err) {
    // PostgreSQL without SWITCHYARD_SECRET_KEY: the product runs, only without the demo's connections.
    if (!(err instanceof SecretKeyError)) throw err;
    logger.warn({ err: err.message }, 'demo connections not seeded');
  }

  const observability = await startObservability({ pool: db.pool, logger });
  cleanups.unshift(() => observability.stop());
  const events = await connectEventBrokers(env, logger);
  cleanups.unshift(() => events.close());
  const sqlPools = createSqlPools({ allowlist });
  cleanups.unshift(() => sqlPools.closeAll());
  const worker = new Worker({
    pool: db.pool,
    databaseUrl: url,
    executors: observability.instrument(createWorkerExecutors({ pool: db.pool, databaseKind: kind, outboundAllowlist: allowlist, logger, eventBrokers: events.brokers, sqlPools, ...(env.fileRoot ? { fileRoot: env.fileRoot } : {}) })),
    logger,
    workerId: env.workerId,
    concurrency: env.concurrency,
    leaseMs: env.leaseMs,
    // PGlite cannot deliver NOTIFY across its socket connections, so the embedded worker polls
    // often instead; a claim on an idle queue is one cheap index probe.
    pollMs: kind === 'pglite' && !process.env.WORKER_POLL_MS ? 50 : env.pollMs,
    listen: kind === 'postgres',
  });
  await worker.start();
  cleanups.unshift(() => worker.stop());
  const triggers = new EventTriggerHost({ pool: db.pool, brokers: events.brokers, logger });
  await triggers.start();
  cleanups.unshift(() => triggers.stop());
  const statusSender = startWorkerStatusSender({ pool: db.pool, databaseKind: kind, logger, allowlist });
  if (statusSender) cleanups.unshift(() => statusSender.stop());
  const resolver = workerConnectionResolver(db.pool, kind);
  if (resolver) {
    const polls = new SqlPollHost({ pool: db.pool, sqlPools, connectionsFor: resolver, logger });
    polls.start();
    cleanups.unshift(() => polls.stop());
  }
  if (env.fileRoot) {
    const folders = new FolderWatchHost({ pool: db.pool, root: env.fileRoot, logger });
    await folders.start();
    cleanups.unshift(() => folders.stop());
  }

  // Production: the public port is the front server (webhook ingress in-process, everything else
  // proxied to Next.js on a private loopback port). Dev: Next.js on the public port, for its tooling.
  const nextPort = dev ? env.port : await freeLoopbackPort();
  const web = startWeb({ url, kind, port: nextPort, publicPort: env.port });
  if (!dev) {
    // Ingress runs as the app role under row-level security, in the tenant scope handleWebhook opens.
    const ingressDb = await openDatabase({ url, kind, applicationName: 'switchyard-ingress', role: 'app' });
    cleanups.push(() => ingressDb.close());
    const front = await startFrontServer({
      port: env.port,
      host: '127.0.0.1',
      nextPort,
      database: ingressDb,
      onError: (err) => logger.error({ err: errorMessage(err) }, 'front server: a request could not be served'),
    });
    cleanups.unshift(() => front.close());
  }
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    web.kill('SIGTERM');
    for (const cleanup of cleanups) await cleanup().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'cleanup failed'));
    process.exit(code);
  };
  web.on('exit', (code) => {
    if (!stopping) {
      logger.error({ code }, 'web server exited');
      void shutdown(1);
    }
  });
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const base = `http://localhost:${env.port}`;
  logger.info({ url: base, database: kind }, 'Switchyard is starting');
  process.stdout.write(
    `\n  Switchyard: ${base}  (database: ${kind})\n` +
      `  Try the demo:  curl -s -X POST ${base}/api/hooks/acme/invoices -H 'content-type: application/json' \\\n` +
      `    -d '{"number":"INV-2026-0042","currency":"EUR","customer":{"name":"Initech"},"lines":[{"sku":"A-1","quantity":2,"unitPrice":50}]}'\n\n`,
  );
}

/** The demo simulators' addresses and account settings, per connection system, for the onboarding wizard. */
function demoConnections(urls: Record<string, string>): Record<string, { baseUrl: string; config: Record<string, unknown> }> {
  const bc = DEMO_ESTATE.businessCentral.tenants[0];
  const out: Record<string, { baseUrl: string; config: Record<string, unknown> }> = {};
  if (urls.netsuite) out.netsuite = { baseUrl: urls.netsuite, config: { accountId: DEMO_ESTATE.netsuite.accounts[0].accountId } };
  if (urls.businessCentral)
    out['business-central'] = { baseUrl: urls.businessCentral, config: { tenantId: bc.tenantId, environment: bc.environment, companyId: bc.companies[0].id, authorityUrl: urls.businessCentral } };
  if (urls.sap) out.sap = { baseUrl: urls.sap, config: { authMethod: 'basic' } };
  if (urls.workday) out.workday = { baseUrl: urls.workday, config: { tenant: DEMO_ESTATE.workday.tenants[0].tenant } };
  if (urls.backOffice) out['back-office'] = { baseUrl: urls.backOffice, config: {} };
  if (urls.oracleFusion) out['oracle-fusion'] = { baseUrl: urls.oracleFusion, config: { authMethod: 'basic', apiVersion: '11.13.18.05' } };
  return out;
}

const webDir = path.join(repoRoot, 'apps/web');

/** Checked before anything starts, so a missing build stops start-up with nothing half-running. */
function assertWebBuilt(): void {
  if (!dev && !existsSync(path.join(webDir, '.next', 'BUILD_ID'))) {
    throw new ConfigError('The web app is not built: run `pnpm start` (which builds it) or `pnpm --filter @switchyard/web build`.');
  }
}

function startWeb(opts: { url: string; kind: string; port: number; publicPort: number }): ChildProcess {
  const require = createRequire(path.join(webDir, 'package.json'));
  const nextBin = require.resolve('next/dist/bin/next');
  return spawn(process.execPath, [nextBin, dev ? 'dev' : 'start', '-p', String(opts.port), '-H', '127.0.0.1'], {
    cwd: webDir,
    stdio: 'inherit',
    // SWITCHYARD_PUBLIC_PORT: where browsers reach it (the front server), for the printed sign-in address.
    env: { ...process.env, DATABASE_URL: opts.url, SWITCHYARD_DATABASE_KIND: opts.kind, NEXT_TELEMETRY_DISABLED: '1', SWITCHYARD_PUBLIC_PORT: String(opts.publicPort) },
  });
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`Switchyard could not start: ${message}\n`);
  process.exit(1);
});
