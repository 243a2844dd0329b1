/**
 * `pnpm front`: the front server on its own (front-server.ts), for a deployment that runs the web
 * app, the workers and the public port as separate processes (and for the benchmarks, which measure
 * it that way). Reads PORT (public, default 3000), NEXT_PORT (where `next start` listens on
 * loopback), DATABASE_URL and SWITCHYARD_DATABASE_KIND (postgres | pglite).
 */
import { openDatabase } from '@switchyard/db';
import { createLogger } from './logger';
import { startFrontServer } from './front-server';
import { errorMessage } from './worker';

function portFrom(name: string, fallback?: number): number {
  const raw = process.env[name]?.trim();
  if (!raw && fallback !== undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port number (1-65535), got ${JSON.stringify(raw ?? '')}`);
  }
  return port;
}

async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const url = process.env.DATABASE_URL?.trim();
  if (!url) throw new Error('DATABASE_URL is not set: the front server accepts webhooks into that database');
  const kind = process.env.SWITCHYARD_DATABASE_KIND === 'pglite' ? 'pglite' : 'postgres';
  // Ingress runs as the app role under row-level security, in the tenant scope handleWebhook opens.
  const database = await openDatabase({ url, kind, applicationName: 'switchyard-ingress', role: 'app' });
  const front = await startFrontServer({
    port: portFrom('PORT', 3000),
    host: process.env.HOST?.trim() || '127.0.0.1',
    nextPort: portFrom('NEXT_PORT'),
    database,
    onError: (err) => logger.error({ err: errorMessage(err) }, 'front server: a request could not be served'),
  });
  logger.info({ url: front.url }, 'front server listening');
  const stop = async () => {
    await front.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`the front server could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
