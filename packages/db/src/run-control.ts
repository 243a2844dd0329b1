import type pg from 'pg';
import { coreRegistry, type Graph } from '@switchyard/workflow';
import { insertRun } from './dispatch';
import { seedReplayState } from './replay-seed';
import { assertUuid, inTransaction, json } from './sql';
import { LIVE_STATUSES, type RunState, type RunStatus } from './types';
import { isTruncatedPayload } from './repositories/payload-cap';

/**
 * Operator actions on single runs: cancel and replay. Both are tenant-scoped: a run id of another
 * tenant reads as not found, never as "forbidden" (which would confirm that it exists).
 */

export type CancelRunResult =
  | { status: 'cancelled'; previousStatus: RunStatus }
  | { status: 'not_found' }
  | { status: 'already_finished'; runStatus: RunStatus; message: string };

/**
 * Cancels a queued, waiting or running run. A running run's worker is not interrupted mid-step: its
 * next commit requires status `running`, finds `cancelled`, and the worker stops with 'lease-lost'
 * without writing anything; its lease renewal fails the same way.
 */
export async function cancelRun(pool: pg.Pool, tenantId: string, runId: string, reason = 'cancelled by request'): Promise<CancelRunResult> {
  assertUuid(tenantId, 'cancelRun: tenantId');
  assertUuid(runId, 'cancelRun: runId');
  const result = await cancelOne(pool, tenantId, runId, reason);
  if (result.status === 'cancelled') await cancelChildren(pool, tenantId, runId);
  return result;
}

/**
 * The live child runs of a cancelled run (workflow.call) are cancelled too, each in its own
 * transaction after the parent's: holding the parent's row lock while taking a child's would invert
 * the child-then-parent order in which an ending child reports to its parent, and could deadlock.
 */
async function cancelChildren(pool: pg.Pool, tenantId: string, parentRunId: string): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM runs WHERE parent_run_id = $1 AND tenant_id = $2 AND status IN ('queued', 'waiting', 'running')`,
    [parentRunId, tenantId],
  );
  for (const { id } of rows) await cancelRun(pool, tenantId, id, `its parent run ${parentRunId} was cancelled`);
}

async function cancelOne(pool: pg.Pool, tenantId: string, runId: string, reason: string): Promise<CancelRunResult> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ status: RunStatus }>('SELECT status FROM runs WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [runId, tenantId]);
    const run = rows[0];
    if (!run) return { status: 'not_found' };
    if (!LIVE_STATUSES.includes(run.status)) {
      return { status: 'already_finished', runStatus: run.status, message: `run ${runId} has already ended (${run.status}); only queued, waiting or running runs can be cancelled` };
    }
    await client.query(
      `UPDATE runs SET status = 'cancelled', finished_at = now(), updated_at = now(), lease_owner = NULL, lease_expires_at = NULL,
              error = $3::jsonb
        WHERE id = $1 AND tenant_id = $2`,
      [runId, tenantId, json({ code: 'cancelled', message: reason, retryable: false })],
    );
    // A cancelled run takes no more events.
    await client.query('DELETE FROM run_waits WHERE run_id = $1 AND tenant_id = $2', [runId, tenantId]);
    await client.query('DELETE FROM run_deliveries WHERE run_id = $1 AND tenant_id = $2', [runId, tenantId]);
    return { status: 'cancelled', previousStatus: run.status };
  });
}

export interface ReplayRunInput {
  tenantId: string;
  runId: string;
  /** Start at this node instead of the trigger. */
  fromNodeId?: string;
  /**
   * The input of the start node (the trigger payload when replaying from the start). Absent: the
   * original's recorded input, and the replay keeps the original's step idempotency keys, so targets
   * drop effects that already happened. Given: new keys (the data changed, the effects must too).
   */
  input?: unknown;
  /** `pinned`: the version the original ran on. `latest`: the workflow's active version now. */
  version: 'pinned' | 'latest';
}

export type ReplayRefusal = 'run_active' | 'no_published_version' | 'unknown_node' | 'no_recorded_input' | 'compensated_run' | 'already_replayed';

export type ReplayRunResult =
  | {
      status: 'replayed';
      runId: string;
      originalRunId: string;
      correlationId: string;
      versionId: string;
      version: number;
      /** Null when the replay starts at the trigger. */
      fromNodeId: string | null;
      keepsStepKeys: boolean;
    }
  | { status: 'not_found' }
  | { status: 'refused'; reason: ReplayRefusal; message: string };

interface OriginalRow {
  id: string;
  status: RunStatus;
  workflow_id: string;
  version_id: string;
  active_version_id: string | null;
  trigger: string;
  correlation_id: string;
  idempotency_key: string | null;
  effect_key: string | null;
  trigger_payload: unknown;
  state: RunState | null;
}

/** A new run linked to the original (`replay_of`), with the same correlation id. */
export async function replayRun(pool: pg.Pool, input: ReplayRunInput, opts: { skipIfReplayed?: boolean } = {}): Promise<ReplayRunResult> {
  assertUuid(input.tenantId, 'replayRun: tenantId');
  assertUuid(input.runId, 'replayRun: runId');
  if (input.version !== 'pinned' && input.version !== 'latest') {
    throw new TypeError(`replayRun: version must be "pinned" or "latest" (got ${JSON.stringify(input.version)})`);
  }
  if (input.fromNodeId !== undefined && (typeof input.fromNodeId !== 'string' || input.fromNodeId.length === 0)) {
    throw new TypeError('replayRun: fromNodeId must be a non-empty string when given');
  }
  return inTransaction(pool, async (client) => {
    // The row lock serialises concurrent replays of one run (a bulk replay started twice).
    const found = await client.query<OriginalRow>(
      `SELECT r.id, r.status, r.workflow_id, r.version_id, w.active_version_id, r.trigger, r.correlation_id,
              r.idempotency_key, r.effect_key, r.trigger_payload, r.state
         FROM runs r JOIN workflows w ON w.id = r.workflow_id AND w.tenant_id = r.tenant_id
        WHERE r.id = $1 AND r.tenant_id = $2
        FOR UPDATE OF r`,
      [input.runId, input.tenantId],
    );
    const original = found.rows[0];
    if (!original) return { status: 'not_found' };
    if (LIVE_STATUSES.includes(original.status)) {
      return refuse('run_active', `run ${original.id} is still ${original.status}: cancel it or wait until it ends before replaying it`);
    }
    if (opts.skipIfReplayed) {
      // A statement of its own: its snapshot is taken after the lock, so it sees a concurrent replay.
      const replays = await client.query('SELECT 1 FROM runs WHERE replay_of = $1 AND tenant_id = $2 LIMIT 1', [original.id, input.tenantId]);
      if (replays.rows.length > 0) return refuse('already_replayed', `run ${original.id} has already been replayed`);
    }

    const versionId = input.version === 'pinned' ? original.version_id : original.active_version_id;
    if (!versionId) return refuse('no_published_version', 'the workflow has no published version to replay on; publish it or replay on the pinned version');
    const versions = await client.query<{ graph: Graph; version: number }>(
      'SELECT graph, version FROM workflow_versions WHERE id = $1 AND tenant_id = $2',
      [versionId, input.tenantId],
    );
    const target = versions.rows[0];
    if (!target) return refuse('no_published_version', `version ${versionId} of the workflow no longer exists`);

    const start = input.fromNodeId === undefined ? undefined : target.graph.nodes.find((n) => n.id === input.fromNodeId);
    if (input.fromNodeId !== undefined && !start) {
      const ids = target.graph.nodes.map((n) => n.id).join(', ');
      return refuse('unknown_node', `node "${input.fromNodeId}" does not exist in version ${target.version} of the workflow (its nodes: ${ids})`);
    }
    const keepsStepKeys = input.input === undefined;
    const effectKey = keepsStepKeys ? (original.effect_key ?? original.idempotency_key ?? original.id) : null;
    const base = { tenantId: input.tenantId, workflowId: original.workflow_id, versionId, trigger: original.trigger, correlationId: original.correlation_id };

    // From the start (or from the trigger node itself): the engine seeds the state from the payload.
    if (!start || isTriggerKind(start.kind)) {
      const payload = keepsStepKeys ? original.trigger_payload : input.input;
      const created = await insertRun(client, { ...base, payload }, { replayOf: original.id, effectKey });
      return replayed(created.runId, original, versionId, target.version, null, keepsStepKeys);
    }

    if (original.status === 'compensated') {
      return refuse(
        'compensated_run',
        `run ${original.id} was compensated: the effects of its completed steps were undone, so it can only be replayed from the start`,
      );
    }
    const recorded = await client.query<{ input: unknown; activation_id: string }>(
      `SELECT input, activation_id FROM steps
        WHERE run_id = $1 AND tenant_id = $2 AND node_id = $3 AND phase IS NULL
        ORDER BY started_at DESC, attempt DESC LIMIT 1`,
      [original.id, input.tenantId, start.id],
    );
    const step = recorded.rows[0];
    if (keepsStepKeys && !step) {
      return refuse('no_recorded_input', `node "${start.id}" did not run in run ${original.id}, so it has no recorded input: pass the input to start it with`);
    }
    if (keepsStepKeys && isTruncatedPayload(step!.input)) {
      return refuse(
        'no_recorded_input',
        `the recorded input of node "${start.id}" in run ${original.id} was too large to keep in history: pass the input to start it with`,
      );
    }
    const state = seedReplayState({
      graph: target.graph,
      original: original.state,
      fromNodeId: start.id,
      input: keepsStepKeys ? step!.input : input.input,
      activationId: keepsStepKeys ? step!.activation_id : undefined,
    });
    const created = await insertRun(client, { ...base, payload: original.trigger_payload }, { state, replayOf: original.id, effectKey });
    return replayed(created.runId, original, versionId, target.version, start.id, keepsStepKeys);
  });
}

function replayed(runId: string, original: OriginalRow, versionId: string, version: number, fromNodeId: string | null, keepsStepKeys: boolean): ReplayRunResult {
  return { status: 'replayed', runId, originalRunId: original.id, correlationId: original.correlation_id, versionId, version, fromNodeId, keepsStepKeys };
}

function refuse(reason: ReplayRefusal, message: string): ReplayRunResult {
  return { status: 'refused', reason, message };
}

function isTriggerKind(kind: string): boolean {
  return coreRegistry.get(kind)?.isTrigger ?? kind.startsWith('trigger.');
}
