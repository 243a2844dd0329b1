import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { RUNS_CHANNEL, type EnqueueRunInput, type EnqueueRunResult } from '../dispatch';
import { PLATFORM_POLICY } from '../policy/schema';
import { assertUuid } from '../sql';
import { checkBusinessKeys } from './run-keys';

/**
 * A webhook delivery accepted in one statement, so one transaction: ingress resolves tenant, route,
 * version and signing secrets from its cache and verifies the signature in memory, then this
 * statement checks that what the cache said still holds, records the delivery id (replay
 * protection) and inserts the run with its business keys, all or nothing.
 *
 * The cache is only a hint. The statement inserts nothing and records nothing unless, at this
 * instant, `path` routes to `workflowId`, `versionId` is that workflow's active version, and the
 * route's live signing secrets are exactly `secretIds` (none for an open route; `null` skips the
 * check, for a delivery authorised by an API key checked live). Otherwise the caller learns `stale`,
 * reloads and tries again: a publish, a route change or a secret rotation takes effect at once.
 */

export interface IngressEnqueueInput extends EnqueueRunInput {
  /** The route path the delivery came in on. */
  path: string;
  /** Ids of the secrets the signature was verified against (sorted or not); [] for an open route; null: API key. */
  secretIds: string[] | null;
  /** The Standard Webhooks message id, recorded so the same delivery is accepted once; null when unsigned. */
  messageId: string | null;
  businessKeys: readonly string[];
  /** A valid W3C traceparent the delivery carried (stored with the run for its step spans). */
  traceparent?: string | null;
}

export type IngressEnqueueResult =
  | { kind: 'enqueued'; run: EnqueueRunResult }
  /** This webhook-id was accepted before: nothing was written. */
  | { kind: 'replayed-delivery' }
  /** Route, active version or secrets changed since the caller looked: nothing was written. */
  | { kind: 'stale' };

interface Row {
  ord: number;
  target_ok: boolean;
  delivery_new: boolean;
  id: string | null;
  correlation_id: string | null;
  payload_hash: string | null;
}

/**
 * Many deliveries in one statement (group commit): each input row is checked against the live route,
 * version and secrets, its webhook-id recorded and its run inserted, exactly as one delivery alone
 * would be, but one parse, one plan, one commit (one WAL flush) and one NOTIFY serve the whole batch.
 * Rows come in as one JSON array, so payloads travel once and are not serialised twice.
 */
const ENQUEUE_BATCH = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(
    ord int, id uuid, tenant_id uuid, workflow_id uuid, version_id uuid, trigger text, correlation_id text,
    idempotency_key text, payload_hash text, payload jsonb, business_keys text[], path text, secret_ids uuid[],
    message_id text, traceparent text)
),
target AS (
  SELECT i.ord, v.id AS version_id, v.tenant_id, v.workflow_id,
         coalesce((wp.policy->>'priority')::int, (tp.policy->>'priority')::int, $2) AS priority
    FROM input i
    JOIN workflow_versions v ON v.id = i.version_id AND v.tenant_id = i.tenant_id AND v.workflow_id = i.workflow_id
    JOIN workflows w ON w.id = v.workflow_id AND w.tenant_id = v.tenant_id AND w.active_version_id = v.id
    JOIN webhook_routes wr ON wr.tenant_id = w.tenant_id AND wr.workflow_id = w.id AND wr.path = i.path
    LEFT JOIN workflow_policies wp ON wp.workflow_id = v.workflow_id AND wp.tenant_id = v.tenant_id
    LEFT JOIN tenant_policies tp ON tp.tenant_id = v.tenant_id
   WHERE i.secret_ids IS NULL OR i.secret_ids = ARRAY(
           SELECT s.id FROM webhook_secrets s WHERE s.tenant_id = i.tenant_id AND s.workflow_id = i.workflow_id ORDER BY s.id)
),
delivery AS (
  INSERT INTO webhook_deliveries (tenant_id, workflow_id, message_id)
  SELECT t.tenant_id, t.workflow_id, i.message_id FROM target t JOIN input i ON i.ord = t.ord WHERE i.message_id IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING tenant_id, workflow_id, message_id
),
inserted AS (
  INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, idempotency_key,
                    payload_hash, trigger_payload, business_keys, priority, traceparent, wake_at, created_at, updated_at)
  SELECT i.id, t.tenant_id, t.workflow_id, t.version_id, 'queued', i.trigger, i.correlation_id, i.idempotency_key,
         i.payload_hash, coalesce(i.payload, 'null'::jsonb), coalesce(i.business_keys, '{}'), t.priority, i.traceparent, now(), now(), now()
    FROM target t JOIN input i ON i.ord = t.ord
   WHERE i.message_id IS NULL
      OR EXISTS (SELECT 1 FROM delivery d WHERE d.tenant_id = t.tenant_id AND d.workflow_id = t.workflow_id AND d.message_id = i.message_id)
   ORDER BY i.ord
  ON CONFLICT (tenant_id, workflow_id, idempotency_key) DO NOTHING
  RETURNING id, correlation_id, payload_hash
),
-- Workers only need to know that there is work: one notification per batch (the payload is not read).
announced AS (SELECT pg_notify('${RUNS_CHANNEL}', '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_run)
SELECT i.ord,
       t.ord IS NOT NULL AS target_ok,
       EXISTS (SELECT 1 FROM delivery d WHERE d.tenant_id = i.tenant_id AND d.workflow_id = i.workflow_id AND d.message_id = i.message_id) AS delivery_new,
       r.id, r.correlation_id, r.payload_hash,
       (SELECT count(*) FROM announced) AS announced
  FROM input i
  LEFT JOIN target t ON t.ord = i.ord
  LEFT JOIN inserted r ON r.id = i.id
 ORDER BY i.ord`;

interface Pending {
  input: IngressEnqueueInput;
  resolve: (result: IngressEnqueueResult) => void;
  reject: (error: unknown) => void;
}

/** Deliveries per statement at most (bounds statement size: payloads are ≤ 1 MiB, typically ~1 KB). */
export const INGRESS_BATCH_MAX = 128;
/** Statements in flight per pool: below this a delivery is written at once; above, deliveries queue up and go together. */
const INGRESS_BATCH_CONCURRENCY = 4;

/**
 * Adaptive batching: at low load every delivery goes out alone, at once (no added latency); under
 * load, while INGRESS_BATCH_CONCURRENCY statements are in flight, new deliveries wait for the next
 * one and share it. Throughput then grows with load instead of one commit per delivery capping it.
 */
class IngressBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly pool: pg.Pool) {}

  enqueue(input: IngressEnqueueInput): Promise<IngressEnqueueResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < INGRESS_BATCH_CONCURRENCY) {
      const batch = takeBatch(this.queue);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const results = await writeBatch(this.pool, batch.map((p) => p.input));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad row must not fail its neighbours: write each alone, so each gets its own answer.
      await Promise.all(batch.map((p) => writeBatch(this.pool, [p.input]).then((r) => p.resolve(r[0]!), p.reject)));
    }
  }
}

/**
 * Takes up to INGRESS_BATCH_MAX deliveries off the queue, leaving for the next batch any whose
 * webhook-id or idempotency key is already in this one: within one statement, only the first of two
 * such rows could be told apart from the other in the answer; in order, the second sees the first.
 */
function takeBatch(queue: Pending[]): Pending[] {
  const batch: Pending[] = [];
  const rest: Pending[] = [];
  const keys = new Set<string>();
  for (const pending of queue) {
    const { input } = pending;
    const own = [
      input.messageId !== null ? `m|${input.tenantId}|${input.workflowId}|${input.messageId}` : null,
      input.idempotencyKey ? `k|${input.tenantId}|${input.workflowId}|${input.idempotencyKey}` : null,
    ].filter((k): k is string => k !== null);
    if (batch.length >= INGRESS_BATCH_MAX || own.some((k) => keys.has(k))) {
      rest.push(pending);
      continue;
    }
    own.forEach((k) => keys.add(k));
    batch.push(pending);
  }
  queue.splice(0, queue.length, ...rest);
  return batch;
}

function checkInput(input: IngressEnqueueInput): string[] {
  assertUuid(input.tenantId, 'enqueueWebhookRun: tenantId');
  assertUuid(input.workflowId, 'enqueueWebhookRun: workflowId');
  assertUuid(input.versionId, 'enqueueWebhookRun: versionId');
  input.secretIds?.forEach((id, i) => assertUuid(id, `enqueueWebhookRun: secretIds[${i}]`));
  if (!input.trigger) throw new TypeError('enqueueWebhookRun: trigger must be a non-empty string');
  if (!input.correlationId) throw new TypeError('enqueueWebhookRun: correlationId must be a non-empty string');
  if (typeof input.path !== 'string' || input.path.length === 0) throw new TypeError('enqueueWebhookRun: path must be a non-empty string');
  return checkBusinessKeys(input.businessKeys);
}

async function writeBatch(pool: pg.Pool, inputs: IngressEnqueueInput[]): Promise<IngressEnqueueResult[]> {
  const rows = inputs.map((input, ord) => ({
    ord,
    id: randomUUID(),
    tenant_id: input.tenantId,
    workflow_id: input.workflowId,
    version_id: input.versionId,
    trigger: input.trigger,
    correlation_id: input.correlationId,
    idempotency_key: input.idempotencyKey || null,
    payload_hash: input.payloadHash ?? null,
    payload: input.payload ?? null,
    business_keys: [...input.businessKeys],
    path: input.path,
    // Sorted like the ARRAY(… ORDER BY s.id) it is compared with (uuid order is byte order, as for lower-case hex).
    secret_ids: input.secretIds === null ? null : [...input.secretIds].map((id) => id.toLowerCase()).sort(),
    message_id: input.messageId,
    traceparent: input.traceparent ?? null,
  }));
  const { rows: answered } = await pool.query<Row>(ENQUEUE_BATCH, [JSON.stringify(rows), PLATFORM_POLICY.priority]);
  const results: IngressEnqueueResult[] = new Array(inputs.length);
  const conflicts: number[] = [];
  for (const row of answered) {
    const input = inputs[row.ord]!;
    if (!row.target_ok) results[row.ord] = { kind: 'stale' };
    else if (input.messageId !== null && !row.delivery_new) results[row.ord] = { kind: 'replayed-delivery' };
    else if (row.id) results[row.ord] = { kind: 'enqueued', run: { runId: row.id, correlationId: row.correlation_id!, created: true, payloadHash: row.payload_hash } };
    else conflicts.push(row.ord);
  }
  if (conflicts.length > 0) await answerConflicts(pool, inputs, conflicts, results);
  return results;
}

/** Only a conflicting idempotency key inserts nothing: answer each such delivery with the run that holds the key. */
async function answerConflicts(pool: pg.Pool, inputs: IngressEnqueueInput[], ords: number[], results: IngressEnqueueResult[]): Promise<void> {
  const wanted = ords.map((ord) => inputs[ord]!);
  const { rows } = await pool.query<{ tenant_id: string; workflow_id: string; idempotency_key: string; id: string; correlation_id: string; payload_hash: string | null }>(
    `SELECT r.tenant_id, r.workflow_id, r.idempotency_key, r.id, r.correlation_id, r.payload_hash
       FROM runs r
       JOIN unnest($1::uuid[], $2::uuid[], $3::text[]) AS k(tenant_id, workflow_id, idempotency_key)
         ON r.tenant_id = k.tenant_id AND r.workflow_id = k.workflow_id AND r.idempotency_key = k.idempotency_key`,
    [wanted.map((i) => i.tenantId), wanted.map((i) => i.workflowId), wanted.map((i) => i.idempotencyKey)],
  );
  const byKey = new Map(rows.map((r) => [`${r.tenant_id}|${r.workflow_id}|${r.idempotency_key}`, r]));
  for (const ord of ords) {
    const input = inputs[ord]!;
    const found = byKey.get(`${input.tenantId.toLowerCase()}|${input.workflowId.toLowerCase()}|${input.idempotencyKey}`);
    if (!found) throw new Error(`enqueueWebhookRun: the run with idempotency key ${JSON.stringify(input.idempotencyKey)} vanished while it was being read`);
    results[ord] = { kind: 'enqueued', run: { runId: found.id, correlationId: found.correlation_id, created: false, payloadHash: found.payload_hash } };
  }
}

const batchers = new WeakMap<pg.Pool, IngressBatcher>();

/**
 * Accepts one webhook delivery (see the top of this file). Concurrent deliveries on the same pool
 * share statements (IngressBatcher); each still gets exactly the answer it would get alone.
 */
export async function enqueueWebhookRun(pool: pg.Pool, input: IngressEnqueueInput): Promise<IngressEnqueueResult> {
  // Bad input is refused here, before it can join (and fail) a batch with others.
  const businessKeys = checkInput(input);
  let batcher = batchers.get(pool);
  if (!batcher) {
    batcher = new IngressBatcher(pool);
    batchers.set(pool, batcher);
  }
  return batcher.enqueue({ ...input, businessKeys });
}
