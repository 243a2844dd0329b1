import type pg from 'pg';
import { PLATFORM_POLICY, parseTenantPolicy, parseWorkflowPolicy } from '../policy/schema';
import { assertUuid } from '../sql';
import { TERMINAL_STATUSES } from '../types';

/**
 * Retention: finished runs older than their retention window are deleted with their steps, in
 * small batches (each its own short transaction, so neither the run queue nor the web app waits
 * behind a long delete). The window is the workflow policy's `retentionDays`, else the tenant
 * policy's, else the platform default (30 days). Live runs are never purged.
 */

export interface PurgeOptions {
  /** Runs per batch (default 500). */
  batchSize?: number;
  /** Stop after this many non-empty batches in one call (default 200); the result says whether more is due. */
  maxBatches?: number;
  now?: Date;
  /** Only these tenants (default: all). */
  tenantIds?: string[];
}

export interface PurgedTenant {
  tenantId: string;
  runs: number;
  steps: number;
}

export interface PurgeResult {
  runs: number;
  steps: number;
  tenants: PurgedTenant[];
  /** True when the call stopped at maxBatches with expired history left. */
  more: boolean;
}

interface Target {
  tenantId: string;
  workflowId: string;
  cutoff: Date;
}

const DAY_MS = 86_400_000;
const TERMINAL = `('${TERMINAL_STATUSES.join("', '")}')`;

/**
 * Policies were validated when written; one that no longer parses (edited by hand) falls back to
 * the platform default rather than to "no retention" or to "purge everything".
 */
function daysOf(raw: unknown, parse: typeof parseTenantPolicy | typeof parseWorkflowPolicy): number | undefined {
  if (raw == null) return undefined;
  const parsed = parse(raw);
  return parsed.ok ? parsed.policy.retentionDays : undefined;
}

/** Every workflow with the cutoff that applies to its runs. */
export async function retentionTargets(pool: pg.Pool, now: Date, tenantIds?: string[]): Promise<Target[]> {
  tenantIds?.forEach((id, i) => assertUuid(id, `retention: tenantIds[${i}]`));
  const { rows } = await pool.query<{ tenant_id: string; workflow_id: string; tenant_policy: unknown; workflow_policy: unknown }>(
    `SELECT w.tenant_id, w.id AS workflow_id, tp.policy AS tenant_policy, wp.policy AS workflow_policy
       FROM workflows w
       LEFT JOIN tenant_policies tp ON tp.tenant_id = w.tenant_id
       LEFT JOIN workflow_policies wp ON wp.workflow_id = w.id AND wp.tenant_id = w.tenant_id
      WHERE $1::uuid[] IS NULL OR w.tenant_id = ANY($1::uuid[])
      ORDER BY w.tenant_id, w.id`,
    [tenantIds ?? null],
  );
  return rows.map((r) => {
    const days = daysOf(r.workflow_policy, parseWorkflowPolicy) ?? daysOf(r.tenant_policy, parseTenantPolicy) ?? PLATFORM_POLICY.retentionDays;
    return { tenantId: r.tenant_id, workflowId: r.workflow_id, cutoff: new Date(now.getTime() - days * DAY_MS) };
  });
}

/**
 * Deletes one batch of a workflow's expired runs: steps first, then the runs, in one transaction.
 * The (tenant_id, workflow_id, created_at) index gives the oldest runs first; SKIP LOCKED lets two
 * workers purge at once without waiting on each other (or on a replay locking its original).
 */
async function purgeBatch(pool: pg.Pool, target: Target, batchSize: number): Promise<{ runs: number; steps: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const doomed = await client.query<{ id: string }>(
      `SELECT r.id FROM runs r
        WHERE r.tenant_id = $1 AND r.workflow_id = $2 AND r.created_at < $3 AND r.status IN ${TERMINAL}
        ORDER BY r.created_at ASC, r.id ASC
        LIMIT $4
        FOR UPDATE SKIP LOCKED`,
      [target.tenantId, target.workflowId, target.cutoff, batchSize],
    );
    const ids = doomed.rows.map((r) => r.id);
    if (ids.length === 0) {
      await client.query('COMMIT');
      return { runs: 0, steps: 0 };
    }
    const steps = await client.query('DELETE FROM steps WHERE tenant_id = $1 AND run_id = ANY($2::uuid[])', [target.tenantId, ids]);
    const runs = await client.query('DELETE FROM runs WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [target.tenantId, ids]);
    await client.query('COMMIT');
    return { runs: runs.rowCount ?? 0, steps: steps.rowCount ?? 0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function purgeExpiredHistory(pool: pg.Pool, opts: PurgeOptions = {}): Promise<PurgeResult> {
  const batchSize = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? 200;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new TypeError(`purge: batchSize must be 1 to 10000 (got ${String(batchSize)})`);
  if (!Number.isInteger(maxBatches) || maxBatches < 1) throw new TypeError(`purge: maxBatches must be a positive whole number (got ${String(maxBatches)})`);
  const targets = await retentionTargets(pool, opts.now ?? new Date(), opts.tenantIds);
  const byTenant = new Map<string, PurgedTenant>();
  let batches = 0;
  let more = false;
  for (const target of targets) {
    for (;;) {
      if (batches >= maxBatches) {
        more = true;
        break;
      }
      const done = await purgeBatch(pool, target, batchSize);
      // An empty probe (nothing expired in this workflow) is one index lookup: not counted.
      if (done.runs > 0) {
        batches += 1;
        const entry = byTenant.get(target.tenantId) ?? { tenantId: target.tenantId, runs: 0, steps: 0 };
        entry.runs += done.runs;
        entry.steps += done.steps;
        byTenant.set(target.tenantId, entry);
      }
      if (done.runs < batchSize) break;
    }
    if (more) break;
  }
  const tenants = [...byTenant.values()];
  return { runs: tenants.reduce((a, t) => a + t.runs, 0), steps: tenants.reduce((a, t) => a + t.steps, 0), tenants, more };
}
