import type pg from 'pg';
import { tenantBacklogs, type TenantBacklog } from './dashboards';

/**
 * What /api/metrics reports about the business, read at scrape time. Every figure is either a count
 * of live runs (small, through the live-status index ranges) or bounded by a recent window, so a
 * scrape costs the same at a million runs of history as at a thousand.
 */

/** Window of the "recent" gauges. */
export const RECENT_WINDOW_MS = 5 * 60_000;
export const DEAD_LETTER_WINDOW_MS = 24 * 3_600_000;

export interface TenantMetrics extends TenantBacklog {
  /** Runs created in the last RECENT_WINDOW_MS, by their current status. */
  recentByStatus: Record<string, number>;
  /** Runs dead-lettered in the last DEAD_LETTER_WINDOW_MS. */
  deadLetters: number;
}

export async function scrapeTenantMetrics(pool: pg.Pool, now: Date = new Date()): Promise<TenantMetrics[]> {
  // Metrics are platform-wide by nature: every tenant is listed, each query is still per tenant id.
  const tenants = await pool.query<{ id: string }>('SELECT id FROM tenants');
  const ids = tenants.rows.map((t) => t.id);
  if (ids.length === 0) return [];
  const [backlogs, recent, dead] = await Promise.all([
    tenantBacklogs(pool, ids, now),
    pool.query<{ tenant_id: string; status: string; n: string }>(
      `SELECT r.tenant_id, r.status::text AS status, count(*) AS n FROM runs r
        WHERE r.tenant_id = ANY($1::uuid[]) AND r.created_at >= $2 AND r.created_at <= $3
        GROUP BY 1, 2`,
      [ids, new Date(now.getTime() - RECENT_WINDOW_MS), now],
    ),
    pool.query<{ tenant_id: string; n: string }>(
      `SELECT r.tenant_id, count(*) AS n FROM runs r
        WHERE r.tenant_id = ANY($1::uuid[]) AND r.dead_lettered_at >= $2 AND r.dead_lettered_at <= $3
        GROUP BY 1`,
      [ids, new Date(now.getTime() - DEAD_LETTER_WINDOW_MS), now],
    ),
  ]);
  const recentBy = new Map<string, Record<string, number>>();
  for (const row of recent.rows) {
    const entry = recentBy.get(row.tenant_id) ?? {};
    entry[row.status] = Number(row.n);
    recentBy.set(row.tenant_id, entry);
  }
  const deadBy = new Map(dead.rows.map((r) => [r.tenant_id, Number(r.n)]));
  return backlogs.map((b) => ({ ...b, recentByStatus: recentBy.get(b.tenantId) ?? {}, deadLetters: deadBy.get(b.tenantId) ?? 0 }));
}
