import type pg from 'pg';
import { assertUuid } from '../sql';
import { DEAD_LETTER_STATUSES } from '../types';
import { ALL_RUN_STATUSES } from './run-history';
import { slaBreaches, type SlaStats } from './sla-breaches';

/**
 * Operational dashboards, per tenant or across tenants. Every query is bounded twice: by the tenant
 * list (`tenant_id = ANY(...)`, the leading column of the indexes used) and by the time range
 * (created_at / started_at / dead_lettered_at ranges), so cost grows with the traffic in the window,
 * not with the size of history. The bench's history scenario (bench/src/scenarios/history.ts) measures them at 1M runs.
 */

/**
 * Windows read from raw runs. Longer ones (7 and 30 days) need hourly rollups: at a million runs a
 * week of platform traffic is ~230k runs, and sorting those for percentiles alone exceeds the
 * 200 ms budget (bench/src/scenarios/history.ts).
 */
export const DASHBOARD_RANGES = {
  '1h': { ms: 3_600_000, bucketSeconds: 60 },
  '6h': { ms: 6 * 3_600_000, bucketSeconds: 300 },
  '24h': { ms: 24 * 3_600_000, bucketSeconds: 900 },
} as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export interface DashboardScope {
  /** Tenants to include; a tenant dashboard passes one. */
  tenantIds: string[];
  range: DashboardRange;
  /** End of the window (default: now). */
  now?: Date;
}

export interface SeriesPoint {
  /** Start of the bucket. */
  at: Date;
  runs: number;
  succeeded: number;
  failed: number;
  /** Runs started per minute in this bucket. */
  perMinute: number;
}

export interface DashboardTotals {
  runs: number;
  succeeded: number;
  /** Ended failed, compensated or compensation_failed. */
  failed: number;
  cancelled: number;
  /** Still queued, running or waiting. */
  live: number;
  /** succeeded / (succeeded + failed) of the runs that ended; null when none ended. */
  successRate: number | null;
  /** Step attempts started in the window, and those that were retries (attempt > 1). */
  attempts: number;
  retries: number;
  /** Runs dead-lettered in the window. */
  deadLetters: number;
  /** Runs of the window that took (or have been open) longer than their workflow's SLA. */
  slaBreaches: number;
}

export interface WorkflowStats {
  tenantId: string;
  tenantSlug: string;
  workflowId: string;
  workflowName: string;
  runs: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  /** Duration (started → finished) percentiles of the runs that ended; null when none did. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** The SLA that applies (workflow, tenant or platform policy) and the window's runs that broke it. */
  slaSeconds: number;
  slaBreaches: number;
}

export interface EndpointStats {
  /** host[:port] from the http.request node's configured URL. */
  host: string;
  calls: number;
  failures: number;
  failureRate: number;
  p50Ms: number;
  p95Ms: number;
}

export interface TenantBacklog {
  tenantId: string;
  slug: string;
  name: string;
  queued: number;
  waiting: number;
  running: number;
  /** queued + waiting */
  backlog: number;
  /** Age of the oldest queued run that is due (created_at → now); null when none is due. */
  oldestQueuedAgeMs: number | null;
  /** SLA breaches among the window's runs (0 when the backlog is read on its own). */
  slaBreaches: number;
  /** Of those, runs still open: late right now. */
  openSlaBreaches: number;
}

export interface OpenBreaker {
  tenantId: string;
  tenantSlug: string;
  host: string;
  state: 'open' | 'half_open';
  openedAt: Date | null;
}

export interface Dashboard {
  range: DashboardRange;
  from: Date;
  to: Date;
  bucketSeconds: number;
  totals: DashboardTotals;
  series: SeriesPoint[];
  /** Busiest workflows first (at most 50). */
  workflows: WorkflowStats[];
  /** Slowest (p95) first, at most 10 */
  slowestEndpoints: EndpointStats[];
  /** Most failures first, at most 10; endpoints without failures are left out. */
  failingEndpoints: EndpointStats[];
  /** Furthest behind first: oldest due queued run, then backlog. */
  tenants: TenantBacklog[];
  breakers: OpenBreaker[];
  /** Per workflow of the scope, including workflows with no runs in the window. */
  sla: SlaStats[];
}

const DEAD = `('${DEAD_LETTER_STATUSES.join("', '")}')`;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const rate = (good: number, bad: number): number | null => (good + bad === 0 ? null : good / (good + bad));

export async function loadDashboard(pool: pg.Pool, scope: DashboardScope): Promise<Dashboard> {
  const spec = DASHBOARD_RANGES[scope.range];
  if (!spec) throw new TypeError(`dashboard: range must be one of ${Object.keys(DASHBOARD_RANGES).join(', ')} (got ${JSON.stringify(scope.range)})`);
  scope.tenantIds.forEach((id, i) => assertUuid(id, `dashboard: tenantIds[${i}]`));
  const to = scope.now ?? new Date();
  // Buckets are aligned to the bucket size so that consecutive loads show the same buckets.
  const from = new Date(Math.floor((to.getTime() - spec.ms) / (spec.bucketSeconds * 1000)) * spec.bucketSeconds * 1000);
  const window = { tenants: scope.tenantIds, tenantIds: scope.tenantIds, from, to };
  const [series, workflowRows, steps, endpoints, deadLetters, tenantRows, breakers, sla] = await Promise.all([
    runSeries(pool, window, spec.bucketSeconds),
    workflowStats(pool, window),
    stepTotals(pool, window),
    endpointStats(pool, window),
    deadLetterCount(pool, window),
    tenantBacklogs(pool, scope.tenantIds, to),
    openBreakers(pool, scope.tenantIds),
    slaBreaches(pool, window),
  ]);
  const slaByWorkflow = new Map(sla.map((s) => [s.workflowId, s]));
  const workflows = workflowRows.map((w) => ({ ...w, slaSeconds: slaByWorkflow.get(w.workflowId)?.slaSeconds ?? 0, slaBreaches: slaByWorkflow.get(w.workflowId)?.breaches ?? 0 }));
  const tenants = tenantRows.map((t) => {
    const own = sla.filter((s) => s.tenantId === t.tenantId);
    return { ...t, slaBreaches: own.reduce((n, s) => n + s.breaches, 0), openSlaBreaches: own.reduce((n, s) => n + s.openBreaches, 0) };
  });
  const sum = (key: 'runs' | 'succeeded' | 'failed' | 'cancelled' | 'live') => series.rows.reduce((acc, row) => acc + row[key], 0);
  const totals: DashboardTotals = {
    runs: sum('runs'),
    succeeded: sum('succeeded'),
    failed: sum('failed'),
    cancelled: sum('cancelled'),
    live: sum('live'),
    successRate: rate(sum('succeeded'), sum('failed')),
    attempts: steps.attempts,
    retries: steps.retries,
    deadLetters,
    slaBreaches: sla.reduce((n, s) => n + s.breaches, 0),
  };
  return {
    range: scope.range,
    from,
    to,
    bucketSeconds: spec.bucketSeconds,
    totals,
    series: series.points,
    workflows,
    slowestEndpoints: [...endpoints].sort((a, b) => b.p95Ms - a.p95Ms).slice(0, 10),
    failingEndpoints: endpoints.filter((e) => e.failures > 0).sort((a, b) => b.failures - a.failures || b.failureRate - a.failureRate).slice(0, 10),
    tenants,
    breakers,
    sla,
  };
}

interface Window {
  tenants: string[];
  from: Date;
  to: Date;
}

interface BucketRow {
  at: Date;
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  live: number;
}

/** Runs started per bucket, zero-filled so that a chart shows quiet periods as quiet. */
async function runSeries(pool: pg.Pool, w: Window, bucketSeconds: number): Promise<{ rows: BucketRow[]; points: SeriesPoint[] }> {
  const rows = (await dashboardQuery(
    pool,
    `SELECT date_bin($4::interval, r.created_at, $2::timestamptz) AS at,
            count(*) AS runs,
            count(*) FILTER (WHERE r.status = 'succeeded') AS succeeded,
            count(*) FILTER (WHERE r.status IN ${DEAD}) AS failed,
            count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled,
            count(*) FILTER (WHERE r.status IN ('queued', 'running', 'waiting')) AS live
       FROM runs r
      WHERE r.tenant_id = ANY($1::uuid[]) AND r.status = ANY($5::run_status[]) AND r.created_at >= $2 AND r.created_at < $3
      GROUP BY 1`,
    // Every status, listed: it makes (tenant_id, status, created_at) a set of exact ranges (an
    // index-only scan of the window) instead of a walk over each tenant's whole index.
    [w.tenants, w.from, w.to, `${bucketSeconds} seconds`, ALL_RUN_STATUSES],
  )) as { at: Date; runs: string; succeeded: string; failed: string; cancelled: string; live: string }[];
  const byStart = new Map(rows.map((r) => [r.at.getTime(), r]));
  const bucketMs = bucketSeconds * 1000;
  const out: BucketRow[] = [];
  for (let t = w.from.getTime(); t < w.to.getTime(); t += bucketMs) {
    const r = byStart.get(t);
    out.push({ at: new Date(t), runs: num(r?.runs), succeeded: num(r?.succeeded), failed: num(r?.failed), cancelled: num(r?.cancelled), live: num(r?.live) });
  }
  const points = out.map((r) => ({ at: r.at, runs: r.runs, succeeded: r.succeeded, failed: r.failed, perMinute: r.runs / (bucketSeconds / 60) }));
  return { rows: out, points };
}

async function workflowStats(pool: pg.Pool, w: Window): Promise<Omit<WorkflowStats, 'slaSeconds' | 'slaBreaches'>[]> {
  const rows = await dashboardQuery(
    pool,
    `WITH agg AS (
       SELECT r.tenant_id, r.workflow_id, count(*) AS runs,
              count(*) FILTER (WHERE r.status = 'succeeded') AS succeeded,
              count(*) FILTER (WHERE r.status IN ${DEAD}) AS failed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at))
                FILTER (WHERE r.finished_at IS NOT NULL AND r.started_at IS NOT NULL) * 1000 AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at))
                FILTER (WHERE r.finished_at IS NOT NULL AND r.started_at IS NOT NULL) * 1000 AS p95
         FROM runs r
        WHERE r.tenant_id = ANY($1::uuid[]) AND r.created_at >= $2 AND r.created_at < $3
        GROUP BY r.tenant_id, r.workflow_id
        ORDER BY runs DESC
        LIMIT 50
     )
     SELECT agg.*, w.name AS workflow_name, t.slug AS tenant_slug
       FROM agg
       JOIN workflows w ON w.id = agg.workflow_id AND w.tenant_id = agg.tenant_id
       JOIN tenants t ON t.id = agg.tenant_id
      ORDER BY agg.runs DESC, w.name`,
    [w.tenants, w.from, w.to],
  );
  return rows.map((r) => ({
    tenantId: String(r.tenant_id),
    tenantSlug: String(r.tenant_slug),
    workflowId: String(r.workflow_id),
    workflowName: String(r.workflow_name),
    runs: num(r.runs),
    succeeded: num(r.succeeded),
    failed: num(r.failed),
    successRate: rate(num(r.succeeded), num(r.failed)),
    p50Ms: numOrNull(r.p50),
    p95Ms: numOrNull(r.p95),
  }));
}

async function stepTotals(pool: pg.Pool, w: Window): Promise<{ attempts: number; retries: number }> {
  const rows = await dashboardQuery(
    pool,
    `SELECT count(*) AS attempts, count(*) FILTER (WHERE s.attempt > 1) AS retries
       FROM steps s
      WHERE s.tenant_id = ANY($1::uuid[]) AND s.started_at >= $2 AND s.started_at < $3`,
    [w.tenants, w.from, w.to],
  );
  return { attempts: num(rows[0]?.attempts), retries: num(rows[0]?.retries) };
}

/**
 * Endpoint statistics from http.request steps. Steps do not record their kind or URL, so the
 * pinned version's graph says which node ids are http.request nodes and where they point; the
 * host is cut from the configured URL in SQL (credentials and path dropped).
 */
async function endpointStats(pool: pg.Pool, w: Window): Promise<EndpointStats[]> {
  const rows = await dashboardQuery(
    pool,
    `WITH http_nodes AS MATERIALIZED (
       SELECT v.tenant_id, v.id AS version_id, n->>'id' AS node_id,
              lower(substring(n->'config'->>'url' FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#]+)')) AS host
         FROM workflow_versions v CROSS JOIN LATERAL jsonb_array_elements(v.graph->'nodes') n
        WHERE v.tenant_id = ANY($1::uuid[]) AND n->>'kind' = 'http.request'
     ),
     -- Node ids are random per node, so within a tenant a node id almost always has one host in
     -- every version; only a node whose URL changed between versions needs its run's version.
     node_hosts AS MATERIALIZED (
       SELECT tenant_id, node_id, min(host) AS host, count(DISTINCT host) AS hosts
         FROM http_nodes GROUP BY tenant_id, node_id
     ),
     -- One pass over the window's steps (not one per node), matched to the nodes by a hash join: a
     -- \`node_id = ANY(array of every http node)\` filter compared each step with every node id
     -- (0.7 s for a day of 50 tenants in the history bench).
     http_steps AS MATERIALIZED (
       SELECT s.tenant_id, s.run_id, s.node_id, s.status, s.duration_ms, nh.host, nh.hosts
         FROM steps s JOIN node_hosts nh ON nh.tenant_id = s.tenant_id AND nh.node_id = s.node_id
        WHERE s.tenant_id = ANY($1::uuid[]) AND s.started_at >= $2 AND s.started_at < $3
     ),
     resolved AS (
       SELECT host, status, duration_ms FROM http_steps WHERE hosts = 1
       UNION ALL
       SELECT h.host, hs.status, hs.duration_ms
         FROM http_steps hs
         JOIN http_nodes h ON h.tenant_id = hs.tenant_id AND h.node_id = hs.node_id
          AND h.version_id = (SELECT r.version_id FROM runs r WHERE r.id = hs.run_id AND r.tenant_id = hs.tenant_id)
        WHERE hs.hosts > 1
     )
     SELECT host, count(*) AS calls, count(*) FILTER (WHERE status = 'failed') AS failures,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
       FROM resolved WHERE host IS NOT NULL
      GROUP BY host`,
    [w.tenants, w.from, w.to],
  );
  return rows.map((r) => {
    const calls = num(r.calls);
    const failures = num(r.failures);
    return { host: String(r.host), calls, failures, failureRate: calls === 0 ? 0 : failures / calls, p50Ms: num(r.p50), p95Ms: num(r.p95) };
  });
}

/**
 * Aggregates over thousands of rows get cost estimates above jit_above_cost, and JIT compilation
 * then costs more than the query (1.2 s of 2 s in bench/src/scenarios/history.ts): off for these statements.
 */
async function dashboardQuery(pool: pg.Pool, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY; SET LOCAL jit = off');
    const { rows } = await client.query<Record<string, unknown>>(sql, params);
    await client.query('COMMIT');
    return rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function deadLetterCount(pool: pg.Pool, w: Window): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM runs r
      WHERE r.tenant_id = ANY($1::uuid[]) AND r.dead_lettered_at >= $2 AND r.dead_lettered_at < $3`,
    [w.tenants, w.from, w.to],
  );
  return num(rows[0]?.n);
}

/**
 * "Which tenants are behind": live counts per tenant and the age of the oldest due queued run.
 * Each lateral subquery is a range of (tenant_id, status, created_at): the oldest due queued run is
 * the first row of a backward scan, so this costs per tenant, not per queued run.
 */
export async function tenantBacklogs(pool: pg.Pool, tenantIds: string[], now: Date): Promise<TenantBacklog[]> {
  tenantIds.forEach((id, i) => assertUuid(id, `tenantBacklogs: tenantIds[${i}]`));
  const { rows } = await pool.query(
    `SELECT t.id, t.slug, t.name, c.queued, c.waiting, c.running, o.oldest
       FROM tenants t
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE r.status = 'queued') AS queued,
                count(*) FILTER (WHERE r.status = 'waiting') AS waiting,
                count(*) FILTER (WHERE r.status = 'running') AS running
           FROM runs r WHERE r.tenant_id = t.id AND r.status IN ('queued', 'waiting', 'running')
       ) c
       LEFT JOIN LATERAL (
         SELECT r.created_at AS oldest FROM runs r
          WHERE r.tenant_id = t.id AND r.status = 'queued' AND r.wake_at <= $2
          ORDER BY r.created_at ASC, r.id ASC LIMIT 1
       ) o ON true
      WHERE t.id = ANY($1::uuid[])`,
    [tenantIds, now],
  );
  const out: TenantBacklog[] = rows.map((r) => {
    const queued = num(r.queued);
    const waiting = num(r.waiting);
    return {
      tenantId: r.id,
      slug: r.slug,
      name: r.name,
      queued,
      waiting,
      running: num(r.running),
      backlog: queued + waiting,
      oldestQueuedAgeMs: r.oldest ? Math.max(0, now.getTime() - (r.oldest as Date).getTime()) : null,
      slaBreaches: 0,
      openSlaBreaches: 0,
    };
  });
  return out.sort((a, b) => (b.oldestQueuedAgeMs ?? -1) - (a.oldestQueuedAgeMs ?? -1) || b.backlog - a.backlog || a.slug.localeCompare(b.slug));
}

async function openBreakers(pool: pg.Pool, tenantIds: string[]): Promise<OpenBreaker[]> {
  const { rows } = await pool.query(
    `SELECT b.tenant_id, t.slug, b.host, b.state, b.opened_at
       FROM circuit_breakers b JOIN tenants t ON t.id = b.tenant_id
      WHERE b.tenant_id = ANY($1::uuid[]) AND b.state <> 'closed'
      ORDER BY b.opened_at DESC NULLS LAST, b.host`,
    [tenantIds],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, tenantSlug: r.slug, host: r.host, state: r.state, openedAt: r.opened_at }));
}
