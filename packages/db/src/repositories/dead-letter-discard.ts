import type pg from 'pg';
import { MAX_BULK_REPLAY, deadLetterWhere, type DeadLetterFilter } from './dead-letters';

/**
 * Bulk discard of dead letters: an operator decides that a group of failed runs needs no recovery
 * (a duplicate batch, a test tenant's noise). Discarded runs keep their history and stay on the runs
 * screen; they only leave the dead-letter list. The reason is stored on each run and every run gets
 * an audit entry written by the same statement, so a discard and its audit trail commit together.
 */

export const MAX_DISCARD_REASON_LENGTH = 500;

export interface DiscardOptions {
  dryRun: boolean;
  reason: string;
  /** Who discarded them, as the audit log names actors (`anonymous`, `api-key:<prefix>`, …). */
  actor: string;
  /** Most runs discarded by one call (default and maximum 1000): run it again for more. */
  limit?: number;
}

export type DiscardResult = { status: 'dry_run'; count: number; wouldDiscard: number } | { status: 'discarded'; count: number; runIds: string[] };

export async function discardDeadLetters(pool: pg.Pool, tenantId: string, filter: DeadLetterFilter, opts: DiscardOptions): Promise<DiscardResult> {
  const limit = opts.limit ?? MAX_BULK_REPLAY;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BULK_REPLAY) {
    throw new TypeError(`discardDeadLetters: limit must be an integer from 1 to ${MAX_BULK_REPLAY} (got ${limit})`);
  }
  const reason = typeof opts.reason === 'string' ? opts.reason.trim() : '';
  if (reason === '' || reason.length > MAX_DISCARD_REASON_LENGTH) {
    throw new TypeError(`discardDeadLetters: reason must be 1 to ${MAX_DISCARD_REASON_LENGTH} characters (got ${reason.length})`);
  }
  const w = deadLetterWhere(tenantId, filter);
  if (opts.dryRun) {
    const { rows } = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM runs r WHERE ${w.sql}`, w.params);
    const count = rows[0]?.count ?? 0;
    return { status: 'dry_run', count, wouldDiscard: Math.min(count, limit) };
  }
  const limitParam = `$${w.params.push(limit)}`;
  const reasonParam = `$${w.params.push(reason)}`;
  const actorParam = `$${w.params.push(opts.actor)}`;
  const filterParam = `$${w.params.push(JSON.stringify(filter))}`;
  // One statement: the update and its audit rows are atomic without an explicit transaction, and
  // `discarded_at IS NULL` in the WHERE (re-checked under the row lock) makes a concurrent second
  // discard of the same run a no-op instead of a second audit entry.
  const { rows } = await pool.query<{ id: string }>(
    `WITH picked AS (
       SELECT r.id FROM runs r WHERE ${w.sql} ORDER BY r.dead_lettered_at, r.id LIMIT ${limitParam}
     ),
     discarded AS (
       UPDATE runs r SET discarded_at = now(), discard_reason = ${reasonParam}
        WHERE r.tenant_id = $1 AND r.id IN (SELECT id FROM picked) AND r.discarded_at IS NULL
       RETURNING r.id, r.tenant_id, r.error->>'code' AS error_code
     ),
     audited AS (
       INSERT INTO audit_log (id, tenant_id, actor, action, entity_type, entity_id, before, after)
       SELECT gen_random_uuid(), d.tenant_id, ${actorParam}, 'dead_letter.discard', 'run', d.id::text,
              jsonb_build_object('errorCode', d.error_code),
              jsonb_build_object('reason', ${reasonParam}::text, 'filter', ${filterParam}::jsonb)
         FROM discarded d
       RETURNING entity_id
     )
     SELECT entity_id AS id FROM audited ORDER BY entity_id`,
    w.params,
  );
  return { status: 'discarded', count: rows.length, runIds: rows.map((r) => r.id) };
}
