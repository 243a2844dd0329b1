import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { insertRun } from '../dispatch';
import { inTransaction } from '../sql';
import { checkCron, nextSlot } from './cron';

/**
 * The scheduler step every worker runs. A slot fires exactly once however many workers run it:
 * - each due schedule is taken under its row lock (FOR UPDATE SKIP LOCKED: a worker never waits
 *   for another's slot), and `next_fire_at` is advanced with a compare-and-set on the slot it read;
 * - the run is inserted in the same transaction with the idempotency key
 *   `schedule:<id>:<slot ISO>`, so even a slot that somehow came round twice makes one run.
 * Slots missed while no worker ran are coalesced: the oldest missed slot fires once and the
 * schedule moves on to the first slot after now (no burst of catch-up runs after an outage).
 */

export interface FireOptions {
  /** Most schedules handled per call. */
  limit?: number;
  /** Treat this instant as now (tests); default: the database clock. */
  now?: Date;
}

export type FiredSlot =
  | { scheduleId: string; tenantId: string; slot: Date; runId: string; created: boolean }
  | { scheduleId: string; tenantId: string; slot: Date; runId: null; error: string };

interface DueRow {
  id: string;
  tenant_id: string;
  workflow_id: string;
  cron: string;
  time_zone: string;
  payload: unknown;
  next_fire_at: Date;
  active_version_id: string | null;
  now: Date;
}

export async function fireDueSchedules(pool: pg.Pool, opts: FireOptions = {}): Promise<FiredSlot[]> {
  const limit = opts.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`fireDueSchedules: limit must be a positive integer (got ${limit})`);
  const now = opts.now ?? null;
  // A cheap unlocked look first; each schedule is then fired in its own transaction, so one that
  // cannot fire (its workflow was unpublished, …) never holds back the others.
  const due = await pool.query<{ id: string }>(
    `SELECT id FROM schedules WHERE enabled AND next_fire_at <= coalesce($1::timestamptz, now()) ORDER BY next_fire_at LIMIT $2`,
    [now, limit],
  );
  const fired: FiredSlot[] = [];
  for (const { id } of due.rows) {
    const slot = await inTransaction(pool, (client) => fireOne(client, id, now));
    if (slot) fired.push(slot);
  }
  return fired;
}

async function fireOne(client: pg.PoolClient, scheduleId: string, now: Date | null): Promise<FiredSlot | null> {
  const { rows } = await client.query<DueRow>(
    `SELECT s.id, s.tenant_id, s.workflow_id, s.cron, s.time_zone, s.payload, s.next_fire_at, w.active_version_id,
            coalesce($2::timestamptz, now()) AS now
       FROM schedules s JOIN workflows w ON w.id = s.workflow_id AND w.tenant_id = s.tenant_id
      WHERE s.id = $1 AND s.enabled AND s.next_fire_at <= coalesce($2::timestamptz, now())
      FOR UPDATE OF s SKIP LOCKED`,
    [scheduleId, now],
  );
  const row = rows[0];
  // Fired by another worker since the look, or being fired right now.
  if (!row) return null;
  const slot = row.next_fire_at;
  const base = { scheduleId: row.id, tenantId: row.tenant_id, slot };

  const check = checkCron(row.cron, row.time_zone);
  if (!check.ok) {
    // Stored schedules were checked when written; a zone that vanished from the runtime's tz data
    // must not make every worker fail on it forever.
    const error = `schedule disabled: ${check.field} ${check.message}`;
    await client.query(`UPDATE schedules SET enabled = false, last_error = $2, updated_at = now() WHERE id = $1`, [row.id, error]);
    return { ...base, runId: null, error };
  }
  const after = new Date(Math.max(slot.getTime(), row.now.getTime()));
  const next = nextSlot(row.cron, row.time_zone, after);
  const advanced = await client.query(
    `UPDATE schedules SET next_fire_at = $3, last_slot_at = $2, updated_at = now() WHERE id = $1 AND next_fire_at = $2`,
    [row.id, slot, next],
  );
  if (advanced.rowCount === 0) return null;

  if (!row.active_version_id) {
    const error = 'the workflow has no published version: nothing was started for this slot';
    await client.query(`UPDATE schedules SET last_error = $2 WHERE id = $1`, [row.id, error]);
    return { ...base, runId: null, error };
  }
  const payload = row.payload !== null && typeof row.payload === 'object' && !Array.isArray(row.payload) ? row.payload : {};
  const run = await insertRun(client, {
    tenantId: row.tenant_id,
    workflowId: row.workflow_id,
    versionId: row.active_version_id,
    trigger: 'schedule',
    correlationId: randomUUID(),
    idempotencyKey: `schedule:${row.id}:${slot.toISOString()}`,
    payload: { ...payload, scheduledFor: slot.toISOString() },
  });
  await client.query(`UPDATE schedules SET last_run_id = $2, last_error = NULL WHERE id = $1`, [row.id, run.runId]);
  return { ...base, runId: run.runId, created: run.created };
}
