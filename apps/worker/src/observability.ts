import type pg from 'pg';
import type { ExecutorRegistry, Logger } from '@switchyard/engine';
import { createWorkerMetrics, instrumentExecutors, readMetricsPort, startMetricsServer, tenantLabels, type MetricsServer, type WorkerMetrics } from './metrics';
import { readPurgeInterval, startRetentionJob, type RetentionJob } from './retention-job';
import { tracingFromEnv, type Tracing } from './tracing';

/**
 * What a worker process runs beside the claim loop: step metrics (served on WORKER_METRICS_PORT
 * when set) and the retention purge (WORKER_PURGE_INTERVAL_MS). Both entry points (main.ts and the
 * embedded start.ts) wire it the same way: wrap the executors, stop it on shutdown.
 */
export interface Observability {
  metrics: WorkerMetrics;
  server: MetricsServer | null;
  retention: RetentionJob;
  /** Step spans (OpenTelemetry), only when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing: Tracing | null;
  /** The executors with every attempt timed and counted (and traced when tracing is on). */
  instrument(executors: ExecutorRegistry): ExecutorRegistry;
  stop(): Promise<void>;
}

export async function startObservability(opts: { pool: pg.Pool; logger: Logger; env?: NodeJS.ProcessEnv }): Promise<Observability> {
  const env = opts.env ?? process.env;
  const port = readMetricsPort(env);
  const intervalMs = readPurgeInterval(env);
  const metrics = createWorkerMetrics();
  const labelOf = tenantLabels(opts.pool);
  const server = port === undefined ? null : await startMetricsServer(metrics.registry, port);
  if (server) opts.logger.info({ port: server.port }, 'worker metrics on /metrics');
  const retention = startRetentionJob({ pool: opts.pool, logger: opts.logger, intervalMs, metrics, tenantLabel: labelOf });
  const tracing = await tracingFromEnv(env);
  if (tracing) opts.logger.info({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'step spans exported over OTLP');
  return {
    metrics,
    server,
    retention,
    tracing,
    instrument: (executors) => {
      const timed = instrumentExecutors(executors, metrics, labelOf);
      return tracing ? tracing.instrument(timed) : timed;
    },
    async stop() {
      await retention.stop();
      await server?.close();
      await tracing?.shutdown();
    },
  };
}
