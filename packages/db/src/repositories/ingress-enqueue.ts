import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { RUNS_CHANNEL, type EnqueueRunInput, type EnqueueRunResult } from '../dispatch';
import { PLATFORM_POLICY } from '../policy/schema';
import { assertUuid, json } from '../sql';
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
  target_ok: boolean;
  delivery_new: boolean;
  id: string | null;
  correlation_id: string | null;
  payload_hash: string | null;
}

const ENQUEUE = `
WITH target AS (
  SELECT v.id, v.tenant_id, v.workflow_id,
         coalesce((wp.policy->>'priority')::int, (tp.policy->>'priority')::int, $11) AS priority
    FROM workflow_versions v
    JOIN workflows w ON w.id = v.workflow_id AND w.tenant_id = v.tenant_id AND w.active_version_id = v.id
    JOIN webhook_routes wr ON wr.tenant_id = w.tenant_id AND wr.workflow_id = w.id AND wr.path = $12
    LEFT JOIN workflow_policies wp ON wp.workflow_id = v.workflow_id AND wp.tenant_id = v.tenant_id
    LEFT JOIN tenant_policies tp ON tp.tenant_id = v.tenant_id
   WHERE v.id = $4 AND v.tenant_id = $2 AND v.workflow_id = $3
     AND ($13::uuid[] IS NULL OR $13::uuid[] = ARRAY(
           SELECT s.id FROM webhook_secrets s WHERE s.tenant_id = $2 AND s.workflow_id = $3 ORDER BY s.id))
),
delivery AS (
  INSERT INTO webhook_deliveries (tenant_id, workflow_id, message_id)
  SELECT tenant_id, workflow_id, $14 FROM target WHERE $14::text IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING 1
),
inserted AS (
  INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, idempotency_key,
                    payload_hash, trigger_payload, business_keys, priority, traceparent, wake_at, created_at, updated_at)
  SELECT $1, t.tenant_id, t.workflow_id, t.id, 'queued', $5, $6, $7, $8, $9::jsonb, $10::text[], t.priority, $15, now(), now(), now()
    FROM target t
   WHERE $14::text IS NULL OR EXISTS (SELECT 1 FROM delivery)
  ON CONFLICT (tenant_id, workflow_id, idempotency_key) DO NOTHING
  RETURNING id, correlation_id, payload_hash
),
announced AS (SELECT pg_notify('${RUNS_CHANNEL}', id::text) FROM inserted)
SELECT EXISTS (SELECT 1 FROM target) AS target_ok,
       EXISTS (SELECT 1 FROM delivery) AS delivery_new,
       i.id, i.correlation_id, i.payload_hash,
       (SELECT count(*) FROM announced) AS announced
  FROM (SELECT 1) AS one LEFT JOIN inserted i ON true`;

export async function enqueueWebhookRun(pool: pg.Pool, input: IngressEnqueueInput): Promise<IngressEnqueueResult> {
  assertUuid(input.tenantId, 'enqueueWebhookRun: tenantId');
  assertUuid(input.workflowId, 'enqueueWebhookRun: workflowId');
  assertUuid(input.versionId, 'enqueueWebhookRun: versionId');
  input.secretIds?.forEach((id, i) => assertUuid(id, `enqueueWebhookRun: secretIds[${i}]`));
  if (!input.trigger) throw new TypeError('enqueueWebhookRun: trigger must be a non-empty string');
  if (!input.correlationId) throw new TypeError('enqueueWebhookRun: correlationId must be a non-empty string');
  if (typeof input.path !== 'string' || input.path.length === 0) throw new TypeError('enqueueWebhookRun: path must be a non-empty string');
  const keys = checkBusinessKeys(input.businessKeys);
  const idempotencyKey = input.idempotencyKey || null;
  const { rows } = await pool.query<Row>(ENQUEUE, [
    randomUUID(),
    input.tenantId,
    input.workflowId,
    input.versionId,
    input.trigger,
    input.correlationId,
    idempotencyKey,
    input.payloadHash ?? null,
    json(input.payload ?? null),
    keys,
    PLATFORM_POLICY.priority,
    input.path,
    // Sorted like the ARRAY(… ORDER BY s.id) it is compared with (uuid order is byte order, as for lower-case hex).
    input.secretIds === null ? null : [...input.secretIds].map((id) => id.toLowerCase()).sort(),
    input.messageId,
    input.traceparent ?? null,
  ]);
  const row = rows[0];
  if (!row?.target_ok) return { kind: 'stale' };
  if (input.messageId !== null && !row.delivery_new) return { kind: 'replayed-delivery' };
  if (row.id) return { kind: 'enqueued', run: { runId: row.id, correlationId: row.correlation_id!, created: true, payloadHash: row.payload_hash } };
  // Only a conflicting idempotency key inserts nothing here: answer with the run that holds it.
  const existing = await pool.query<{ id: string; correlation_id: string; payload_hash: string | null }>(
    'SELECT id, correlation_id, payload_hash FROM runs WHERE tenant_id = $1 AND workflow_id = $2 AND idempotency_key = $3',
    [input.tenantId, input.workflowId, idempotencyKey],
  );
  const found = existing.rows[0];
  if (!found) throw new Error(`enqueueWebhookRun: the run with idempotency key ${JSON.stringify(idempotencyKey)} vanished while it was being read`);
  return { kind: 'enqueued', run: { runId: found.id, correlationId: found.correlation_id, created: false, payloadHash: found.payload_hash } };
}
