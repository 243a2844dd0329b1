import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { DEAD_LETTER_WINDOW_MS, RECENT_WINDOW_MS, asPlatform, scrapeTenantMetrics } from '@switchyard/db';
import { getServerDatabase } from './server-database';
import type { ApiDatabase } from './trpc';

/**
 * Prometheus exposition for /api/metrics: tenant-labelled business figures read from the database
 * at scrape time (so every web instance reports the same truth, whichever worker did the work),
 * plus this process's own metrics (CPU, memory, event-loop lag, GC).
 */

export interface MetricsOutput {
  contentType: string;
  body: string;
}

const live = ['queued', 'running', 'waiting'] as const;

export interface BusinessMetrics {
  registry: Registry;
  /** Reads the business figures from the database into the gauges. */
  refresh(): Promise<void>;
}

export function createMetricsRegistry(db: Pick<ApiDatabase, 'pool'>): BusinessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchyard_web_' });

  const runs = new Gauge({ name: 'switchyard_runs_live', help: 'Runs that are queued, running or waiting, by tenant and status', labelNames: ['tenant', 'status'] as const, registers: [registry] });
  const backlog = new Gauge({ name: 'switchyard_runs_backlog', help: 'Runs queued or waiting, by tenant', labelNames: ['tenant'] as const, registers: [registry] });
  const oldest = new Gauge({
    name: 'switchyard_oldest_queued_run_age_seconds',
    help: 'Age of the oldest queued run that is due, by tenant (0 when none is waiting to be claimed)',
    labelNames: ['tenant'] as const,
    registers: [registry],
  });
  const recent = new Gauge({
    name: 'switchyard_runs_recent',
    help: `Runs created in the last ${RECENT_WINDOW_MS / 60_000} minutes, by tenant and current status`,
    labelNames: ['tenant', 'status'] as const,
    registers: [registry],
  });
  const dead = new Gauge({
    name: 'switchyard_dead_letters_recent',
    help: `Runs dead-lettered in the last ${DEAD_LETTER_WINDOW_MS / 3_600_000} hours, by tenant`,
    labelNames: ['tenant'] as const,
    registers: [registry],
  });
  const up = new Gauge({ name: 'switchyard_metrics_database_up', help: '1 when the business metrics could be read from the database', registers: [registry] });

  // Read before rendering, not in a gauge's collect(): prom-client collects all metrics
  // concurrently, so the other gauges would be rendered before the read finished.
  const refresh = async () => {
    for (const gauge of [runs, backlog, oldest, recent, dead]) gauge.reset();
    try {
      for (const t of await scrapeTenantMetrics(db.pool)) {
        for (const status of live) runs.set({ tenant: t.slug, status }, t[status]);
        backlog.set({ tenant: t.slug }, t.backlog);
        oldest.set({ tenant: t.slug }, (t.oldestQueuedAgeMs ?? 0) / 1000);
        for (const [status, n] of Object.entries(t.recentByStatus)) recent.set({ tenant: t.slug, status }, n);
        dead.set({ tenant: t.slug }, t.deadLetters);
      }
      up.set(1);
    } catch {
      // A scrape must still answer (process metrics, and the 0 here) when the database is down.
      up.set(0);
    }
  };
  return { registry, refresh };
}

// Next.js may evaluate this module more than once (dev reloads, several route bundles); one
// registry per database handle and process keeps prom-client from duplicating metric names and
// default-metric collectors.
const globalKey = Symbol.for('switchyard.metrics.registries');
type GlobalWithRegistries = typeof globalThis & { [globalKey]?: WeakMap<object, BusinessMetrics> };

/** The exposition text for the route handler; `db` defaults to the server's database. */
export async function renderMetrics(db?: Pick<ApiDatabase, 'pool'>): Promise<MetricsOutput> {
  const target = db ?? (await getServerDatabase());
  const g = globalThis as GlobalWithRegistries;
  const registries = (g[globalKey] ??= new WeakMap());
  let metrics = registries.get(target);
  if (!metrics) {
    metrics = createMetricsRegistry(target);
    registries.set(target, metrics);
  }
  // The scrape reports over all tenants: the platform scope of row-level security.
  await asPlatform('platform-dashboards', () => metrics.refresh());
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}
