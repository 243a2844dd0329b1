import type pg from 'pg';
import { MAX_CALL_DEPTH } from '@switchyard/workflow';
import { insertRun } from './dispatch';
import { json } from './sql';
import type { ChildRunOutcome, ChildRunRequest } from './types';

/**
 * Sub-workflow calls, the durable half. A workflow.call node's first visit commits a `child` wait
 * together with a ChildRunRequest; PgRunStore.commit calls startChildRuns in that same transaction,
 * so the child exists exactly when the parent waits for it. The child is an ordinary run of another
 * published workflow of the same tenant: same correlation id, `parent_run_id` set, its run
 * idempotency key taken from the request (derived from the calling step's key, so a re-executed
 * step finds the child instead of starting a second one) and its step keys based on the calling
 * step's key. When the child ends, the `runs_child_run_ended` trigger (migration
 * 20261128040000_child_run_ended_trigger) puts a ChildRunOutcome in the parent's inbox and wakes it,
 * in the child's final transaction, whichever way it ends (engine commit or cancel).
 */

interface ResolvedVersion {
  workflow_id: string;
  version_id: string;
}

/** Called inside PgRunStore.commit's transaction, after the parent's row was updated (and locked). */
export async function startChildRuns(client: pg.PoolClient, tenantId: string, parentRunId: string, requests: readonly ChildRunRequest[]): Promise<void> {
  for (const [i, request] of requests.entries()) checkRequest(request, i);
  const { rows } = await client.query<{ correlation_id: string; depth: number }>(
    `WITH RECURSIVE chain(id, depth) AS (
       SELECT parent_run_id, 1 FROM runs WHERE id = $1 AND tenant_id = $2
       UNION ALL
       SELECT r.parent_run_id, chain.depth + 1 FROM runs r JOIN chain ON r.id = chain.id AND r.tenant_id = $2
        WHERE chain.depth <= $3
     )
     SELECT (SELECT correlation_id FROM runs WHERE id = $1 AND tenant_id = $2) AS correlation_id,
            (SELECT count(*)::int FROM chain WHERE id IS NOT NULL) AS depth`,
    [parentRunId, tenantId, MAX_CALL_DEPTH],
  );
  const parent = rows[0];
  if (!parent?.correlation_id) throw new Error(`startChildRuns: run ${parentRunId} of tenant ${tenantId} does not exist`);
  // The parent is `depth` calls deep; its child would be one deeper.
  const tooDeep = parent.depth + 1 > MAX_CALL_DEPTH;

  for (const request of requests) {
    if (tooDeep) {
      await refuse(client, tenantId, parentRunId, request, {
        code: 'call_depth_exceeded',
        message: `workflow.call "${request.nodeId}": calls are nested ${MAX_CALL_DEPTH} deep already (does a workflow call itself?)`,
      });
      continue;
    }
    const version = await resolveVersion(client, tenantId, request);
    if (!version) {
      const which = request.version === undefined ? 'an active published version' : `published version ${request.version}`;
      await refuse(client, tenantId, parentRunId, request, {
        code: 'call_workflow_not_found',
        message: `workflow.call "${request.nodeId}": this tenant has no workflow ${JSON.stringify(request.workflow)} with ${which}`,
      });
      continue;
    }
    const child = await insertRun(
      client,
      {
        tenantId,
        workflowId: version.workflow_id,
        versionId: version.version_id,
        trigger: 'call',
        correlationId: parent.correlation_id,
        idempotencyKey: request.idempotencyKey,
        payload: request.input,
      },
      { effectKey: request.effectKey },
    );
    // A second request with the same key (the same step, re-executed) finds the child it started.
    if (child.created) {
      // The child continues the parent's trace as well as its correlation id.
      await client.query(
        'UPDATE runs SET parent_run_id = $1, traceparent = (SELECT p.traceparent FROM runs p WHERE p.id = $1 AND p.tenant_id = $3) WHERE id = $2 AND tenant_id = $3',
        [parentRunId, child.runId, tenantId],
      );
    }
  }
}

/** Id match first (a workflow may be named like another's id, but ids are what templates pin). */
async function resolveVersion(client: pg.PoolClient, tenantId: string, request: ChildRunRequest): Promise<ResolvedVersion | undefined> {
  const { rows } = await client.query<ResolvedVersion>(
    `SELECT w.id AS workflow_id, v.id AS version_id
       FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.tenant_id = w.tenant_id
      WHERE w.tenant_id = $1 AND (w.id::text = $2 OR w.name = $2) AND v.version >= 1
        AND CASE WHEN $3::int IS NULL THEN v.id = w.active_version_id ELSE v.version = $3::int END
      ORDER BY (w.id::text = $2) DESC
      LIMIT 1`,
    [tenantId, request.workflow, request.version ?? null],
  );
  return rows[0];
}

/** No child: the parent's wait gets the refusal at once (its commit's inbox check then wakes it). */
async function refuse(client: pg.PoolClient, tenantId: string, parentRunId: string, request: ChildRunRequest, error: { code: string; message: string }): Promise<void> {
  const outcome: ChildRunOutcome = { runId: null, status: 'not_started', error: { ...error, retryable: false } };
  await client.query(
    `INSERT INTO run_deliveries (id, tenant_id, run_id, kind, key, payload, activation_id)
     VALUES (gen_random_uuid(), $1, $2, 'child', $3, $4::jsonb, $5)`,
    [tenantId, parentRunId, request.idempotencyKey, json(outcome), request.activationId],
  );
}

function checkRequest(request: ChildRunRequest, i: number): void {
  for (const field of ['activationId', 'nodeId', 'workflow', 'idempotencyKey', 'effectKey'] as const) {
    if (typeof request[field] !== 'string' || request[field].length === 0) {
      throw new TypeError(`RunCommit.childRuns[${i}].${field} must be a non-empty string`);
    }
  }
  if (request.version !== undefined && !(Number.isInteger(request.version) && request.version >= 1)) {
    throw new TypeError(`RunCommit.childRuns[${i}].version must be a published version number (1 or more)`);
  }
}
