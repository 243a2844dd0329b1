import type pg from 'pg';
import { RUNS_CHANNEL } from './dispatch';
import { assertUuid, inTransaction, json } from './sql';
import { TERMINAL_STATUSES, type ApprovalDecision, type QueuedDelivery, type RunCommit, type RunStatus, type WaitKind } from './types';

/**
 * Durable waits. Each commit replaces the run's rows in run_waits with the engine's open waits, so
 * an incoming event or decision finds its runs through the (tenant, kind, key) index. Delivery does
 * not touch the run's state (packages/db must not import the engine): it drops the event into the
 * run's inbox (run_deliveries) and makes the run claimable; the engine applies the inbox on the next
 * claim (ClaimedRun.deliveries) and reports the rows it consumed, which its commit deletes. That one
 * path also covers a run a worker holds right now: its commit sees the inbox row and wakes it again.
 */

/** Called inside PgRunStore.commit's transaction, after the run row was updated (and locked). */
export async function syncWaitsAndInbox(client: pg.PoolClient, tenantId: string, runId: string, commit: RunCommit): Promise<void> {
  await client.query('DELETE FROM run_waits WHERE run_id = $1 AND tenant_id = $2', [runId, tenantId]);
  const terminal = TERMINAL_STATUSES.includes(commit.status);
  const waits = terminal ? [] : (commit.waits ?? []);
  if (waits.length > 0) {
    await client.query(
      `INSERT INTO run_waits (tenant_id, run_id, activation_id, node_id, kind, key, timeout_at)
       SELECT $1::uuid, $2::uuid, w.activation_id, w.node_id, w.kind, w.key, w.timeout_at
         FROM jsonb_to_recordset($3::jsonb) AS w(activation_id text, node_id text, kind text, key text, timeout_at timestamptz)
       ON CONFLICT (run_id, activation_id) DO NOTHING`,
      [
        tenantId,
        runId,
        json(
          waits.map((w) => ({
            activation_id: w.activationId,
            node_id: w.nodeId,
            kind: w.kind,
            key: w.key,
            timeout_at: w.timeoutAt === undefined ? null : new Date(w.timeoutAt).toISOString(),
          })),
        ),
      ],
    );
  }
  if (terminal) {
    // Nothing will ever read the inbox of an ended run.
    await client.query('DELETE FROM run_deliveries WHERE run_id = $1 AND tenant_id = $2', [runId, tenantId]);
    return;
  }
  if (commit.consumedDeliveries && commit.consumedDeliveries.length > 0) {
    await client.query('DELETE FROM run_deliveries WHERE run_id = $1 AND tenant_id = $2 AND id::text = ANY($3::text[])', [
      runId,
      tenantId,
      commit.consumedDeliveries,
    ]);
  }
  // An event that arrived while the worker held the run is still in the inbox: claimable now, not at
  // the wait's timeout. (The delivery saw `running` and left the waking to this commit.)
  await client.query(
    `UPDATE runs SET wake_at = least(wake_at, now())
      WHERE id = $1 AND tenant_id = $2 AND status IN ('queued', 'waiting')
        AND EXISTS (SELECT 1 FROM run_deliveries d WHERE d.run_id = $1 AND d.tenant_id = $2)`,
    [runId, tenantId],
  );
}

interface DeliveryRow {
  id: string;
  run_id: string;
  kind: WaitKind;
  key: string;
  payload: unknown;
  decision: ApprovalDecision | null;
  activation_id: string | null;
  received_at: Date;
}

/** The inbox rows of claimed runs, oldest first, for ClaimedRun.deliveries. */
export async function loadDeliveries(client: pg.PoolClient, runs: { id: string; tenantId: string }[]): Promise<Map<string, QueuedDelivery[]>> {
  const byRun = new Map<string, QueuedDelivery[]>();
  if (runs.length === 0) return byRun;
  const { rows } = await client.query<DeliveryRow>(
    `SELECT d.id, d.run_id, d.kind, d.key, d.payload, d.decision, d.activation_id, d.received_at
       FROM run_deliveries d JOIN unnest($1::uuid[], $2::uuid[]) AS c(run_id, tenant_id)
         ON d.run_id = c.run_id AND d.tenant_id = c.tenant_id
      ORDER BY d.received_at, d.id`,
    [runs.map((r) => r.id), runs.map((r) => r.tenantId)],
  );
  for (const row of rows) {
    const delivery: QueuedDelivery = { id: row.id, kind: row.kind, key: row.key, payload: row.payload, receivedAt: row.received_at.getTime() };
    if (row.decision) delivery.decision = row.decision;
    if (row.activation_id) delivery.activationId = row.activation_id;
    const list = byRun.get(row.run_id) ?? [];
    list.push(delivery);
    byRun.set(row.run_id, list);
  }
  return byRun;
}

export interface DeliverRunEventInput {
  tenantId: string;
  kind: WaitKind;
  /** The wait's key (a business key such as an order number). Optional when `correlationId` is given. */
  key?: string;
  /** Only runs with this correlation id; without `key`, every open wait of `kind` of those runs. */
  correlationId?: string;
  /** Only runs of this workflow (a delivery signed with one workflow route's secret). */
  workflowId?: string;
  payload?: unknown;
  /** Required for approvals. */
  decision?: ApprovalDecision;
  /** Only this run (an approval decided on the run screen). */
  runId?: string;
  /** Only this wait of the run. */
  activationId?: string;
}

export interface DeliveredTo {
  runId: string;
  /** The run's status when the event arrived; a `waiting` run was made `queued` (claimable now). */
  previousStatus: RunStatus;
}

export type DeliverRunEventResult =
  | { status: 'delivered'; runs: DeliveredTo[] }
  | { status: 'invalid'; errors: { field: string; message: string }[] };

/**
 * Delivers an event or a decision to every run of the tenant with an open, unexpired wait of that
 * kind and key (or, by correlation id, every such wait of the runs with that id). Each run is
 * handled in its own transaction with its row locked, so a concurrent commit either ran first (and
 * its wait list is what is checked) or sees the inbox row afterwards. An empty `runs` list means nothing was waiting: the event is not kept for later.
 */
export async function deliverRunEvent(pool: pg.Pool, input: DeliverRunEventInput): Promise<DeliverRunEventResult> {
  assertUuid(input.tenantId, 'deliverRunEvent: tenantId');
  const errors = checkInput(input);
  if (errors.length > 0) return { status: 'invalid', errors };
  const candidates = await pool.query<{ run_id: string }>(
    `SELECT DISTINCT w.run_id FROM run_waits w
       JOIN runs r ON r.id = w.run_id AND r.tenant_id = w.tenant_id
      WHERE w.tenant_id = $1 AND w.kind = $2 AND ($3::text IS NULL OR w.key = $3::text) AND (w.timeout_at IS NULL OR w.timeout_at > now())
        AND ($4::uuid IS NULL OR w.run_id = $4::uuid) AND ($5::text IS NULL OR w.activation_id = $5::text)
        AND ($6::text IS NULL OR r.correlation_id = $6::text) AND ($7::uuid IS NULL OR r.workflow_id = $7::uuid)`,
    [input.tenantId, input.kind, input.key ?? null, input.runId ?? null, input.activationId ?? null, input.correlationId ?? null, input.workflowId ?? null],
  );
  const delivered: DeliveredTo[] = [];
  for (const { run_id: runId } of candidates.rows) {
    const result = await inTransaction(pool, (client) => deliverToRun(client, input, runId));
    if (result) delivered.push(result);
  }
  return { status: 'delivered', runs: delivered };
}

async function deliverToRun(client: pg.PoolClient, input: DeliverRunEventInput, runId: string): Promise<DeliveredTo | null> {
  const run = await client.query<{ status: RunStatus }>('SELECT status FROM runs WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [runId, input.tenantId]);
  const status = run.rows[0]?.status;
  if (status !== 'queued' && status !== 'waiting' && status !== 'running') return null;
  // Re-checked under the lock: a commit may have closed the wait since the candidates were read.
  // Without a key (matched by correlation id) the delivery carries the key of each wait it reaches.
  const open = await client.query<{ key: string }>(
    `SELECT DISTINCT key FROM run_waits
      WHERE run_id = $1 AND tenant_id = $2 AND kind = $3 AND ($4::text IS NULL OR key = $4::text) AND (timeout_at IS NULL OR timeout_at > now())
        AND ($5::text IS NULL OR activation_id = $5::text)`,
    [runId, input.tenantId, input.kind, input.key ?? null, input.activationId ?? null],
  );
  if (open.rowCount === 0) return null;
  for (const { key } of open.rows) {
    await client.query(
      `INSERT INTO run_deliveries (id, tenant_id, run_id, kind, key, payload, decision, activation_id)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, $6, $7)`,
      [input.tenantId, runId, input.kind, key, json(input.payload ?? null), input.decision ?? null, input.activationId ?? null],
    );
  }
  if (status !== 'running') {
    await client.query(`UPDATE runs SET status = 'queued', wake_at = least(wake_at, now()), updated_at = now() WHERE id = $1 AND tenant_id = $2`, [
      runId,
      input.tenantId,
    ]);
    await client.query(`SELECT pg_notify('${RUNS_CHANNEL}', $1)`, [runId]);
  }
  return { runId, previousStatus: status };
}

function checkInput(input: DeliverRunEventInput): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (input.kind !== 'event' && input.kind !== 'approval') errors.push({ field: 'kind', message: `must be "event" or "approval" (got ${JSON.stringify(input.kind)})` });
  // `child` deliveries come only from the runs_child_run_ended trigger, never from outside.
  if (input.key !== undefined && (typeof input.key !== 'string' || input.key.length === 0)) errors.push({ field: 'key', message: 'must be a non-empty string' });
  if (input.correlationId !== undefined && (typeof input.correlationId !== 'string' || input.correlationId.length === 0)) {
    errors.push({ field: 'correlationId', message: 'must be a non-empty string' });
  }
  if (input.key === undefined && input.correlationId === undefined) errors.push({ field: 'key', message: 'give the key the run waits with, or its correlationId' });
  if (input.workflowId !== undefined) {
    try {
      assertUuid(input.workflowId, 'workflowId');
    } catch {
      errors.push({ field: 'workflowId', message: `must be a UUID (got ${JSON.stringify(input.workflowId)})` });
    }
  }
  if (input.kind === 'approval' && input.decision !== 'approved' && input.decision !== 'rejected') {
    errors.push({ field: 'decision', message: `must be "approved" or "rejected" for an approval (got ${JSON.stringify(input.decision)})` });
  }
  if (input.kind === 'event' && input.decision !== undefined) errors.push({ field: 'decision', message: 'is only for approvals' });
  if (input.runId !== undefined) {
    try {
      assertUuid(input.runId, 'runId');
    } catch {
      errors.push({ field: 'runId', message: `must be a UUID (got ${JSON.stringify(input.runId)})` });
    }
  }
  return errors;
}
