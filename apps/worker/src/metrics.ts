import http from 'node:http';
import type pg from 'pg';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ExecutorRegistry, NodeExecutor } from '@switchyard/workflow';
import { ConfigError } from './env';

/**
 * The worker's own Prometheus metrics: step attempts and their durations by tenant, node kind and
 * outcome, measured around every executor call, plus process metrics. Served on
 * WORKER_METRICS_PORT when it is set (each worker process is its own scrape target); the business
 * figures that the database knows (backlog, dead letters) are the web app's /api/metrics.
 */

export interface WorkerMetrics {
  registry: Registry;
  stepDuration: Histogram<'tenant' | 'kind' | 'outcome'>;
  stepAttempts: Counter<'tenant' | 'kind' | 'outcome' | 'attempt'>;
  purgedRuns: Counter<'tenant'>;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchyard_worker_' });
  return {
    registry,
    stepDuration: new Histogram({
      name: 'switchyard_step_duration_seconds',
      help: 'Duration of one step attempt (the executor call), by tenant, node kind and outcome',
      labelNames: ['tenant', 'kind', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    stepAttempts: new Counter({
      name: 'switchyard_step_attempts_total',
      help: 'Step attempts by tenant, node kind, outcome and whether the attempt was a retry',
      labelNames: ['tenant', 'kind', 'outcome', 'attempt'] as const,
      registers: [registry],
    }),
    purgedRuns: new Counter({
      name: 'switchyard_retention_purged_runs_total',
      help: 'Runs deleted by the retention purge, by tenant',
      labelNames: ['tenant'] as const,
      registers: [registry],
    }),
  };
}

/** Tenant label values: the slug (as /api/metrics uses), looked up once per tenant; the id if that fails. */
export function tenantLabels(pool: pg.Pool): (tenantId: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (tenantId) => {
    let label = cache.get(tenantId);
    if (!label) {
      label = pool
        .query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId])
        .then((r) => r.rows[0]?.slug ?? tenantId)
        .catch(() => {
          cache.delete(tenantId);
          return tenantId;
        });
      cache.set(tenantId, label);
    }
    return label;
  };
}

/** `failed_retryable` / `failed` from a NodeExecutionError's flag; anything else thrown counts as retryable (the engine's rule). */
function outcomeOf(err: unknown): string {
  const retryable = (err as { retryable?: unknown } | null)?.retryable;
  return retryable === false ? 'failed' : 'failed_retryable';
}

/** Wraps every executor so each attempt is timed and counted; results and errors pass through unchanged. */
export function instrumentExecutors(executors: ExecutorRegistry, metrics: WorkerMetrics, labelOf: (tenantId: string) => Promise<string>): ExecutorRegistry {
  const wrapped: Record<string, NodeExecutor> = {};
  for (const [kind, inner] of Object.entries(executors)) {
    wrapped[kind] = async (ctx, config, input) => {
      const began = performance.now();
      let outcome = 'succeeded';
      try {
        return await inner(ctx, config, input);
      } catch (err) {
        outcome = outcomeOf(err);
        throw err;
      } finally {
        const seconds = (performance.now() - began) / 1000;
        const attempt = ctx.attempt > 1 ? 'retry' : 'first';
        // Recorded off the step's path: the label lookup must never delay or fail a step.
        void labelOf(ctx.tenantId).then((tenant) => {
          metrics.stepDuration.observe({ tenant, kind, outcome }, seconds);
          metrics.stepAttempts.inc({ tenant, kind, outcome, attempt });
        });
      }
    };
  }
  return wrapped;
}

/** WORKER_METRICS_PORT (unset: no endpoint; 0: any free port, for tests). */
export function readMetricsPort(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.WORKER_METRICS_PORT?.trim();
  if (!raw) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`WORKER_METRICS_PORT=${JSON.stringify(raw)} is not valid: set it to a port number from 0 to 65535, or unset it.`);
  }
  return port;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** `GET /metrics` in Prometheus text format; anything else is 404. */
export async function startMetricsServer(registry: Registry, port: number, host = '0.0.0.0'): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
