import type { Graph, HttpResponseSpec } from '@switchyard/workflow';

/**
 * The engine's RunStore port types, copied from packages/engine/src/ports.ts so that packages/db
 * implements the port structurally without importing the engine (architecture.md: db may import
 * only `workflow`). Keep them identical to the engine's: apps/worker passes PgRunStore where the
 * engine expects a RunStore, so the compiler flags any drift where the two meet.
 */

export type RunStatus =
  | 'queued'
  | 'running'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'compensated'
  | 'compensation_failed';
export type StepStatus = 'succeeded' | 'failed';

/** A pending node activation: the unit of durable progress inside a run. */
export interface Activation {
  id: string;
  nodeId: string;
  input: unknown;
  attempt: number;
  notBefore?: number;
  timerArmed?: boolean;
}

/** The durable cursor of a run, stored in runs.state after every step. */
export interface RunState {
  pending: Activation[];
  outputs: Record<string, unknown>;
  seq: number;
  /** Set by a respond node: what a synchronous webhook caller receives (copied to runs.response). */
  response?: HttpResponseSpec;
}

export interface StepError {
  message: string;
  code: string;
  retryable: boolean;
  status?: number;
}

/** One row per attempt of one node activation (table `steps`). */
export interface StepRecord {
  nodeId: string;
  activationId: string;
  attempt: number;
  status: StepStatus;
  idempotencyKey: string;
  input: unknown;
  output?: unknown;
  port?: string;
  error?: StepError;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  retryAt?: number;
  /** `compensation` for a compensating action's attempts; absent for the forward steps. */
  phase?: 'compensation';
  /** For a map body step: the index of its item. */
  itemIndex?: number;
}

export interface ClaimedRun {
  id: string;
  tenantId: string;
  correlationId: string;
  idempotencyKey: string | null;
  graph: Graph;
  triggerNodeId: string | null;
  triggerPayload: unknown;
  state: RunState | null;
  leaseToken: number;
  /** W3C trace context the run continues (runs.traceparent). */
  traceparent?: string;
  /** The run's inbox (table run_deliveries), applied by the engine before anything else. */
  deliveries?: QueuedDelivery[];
}

/** `child`: a workflow.call node waiting for its child run (delivered by the runs_child_run_ended trigger). */
export type WaitKind = 'event' | 'approval' | 'child';
export type ApprovalDecision = 'approved' | 'rejected';

/** An open wait of a run (table run_waits). */
export interface WaitRegistration {
  activationId: string;
  nodeId: string;
  kind: WaitKind;
  key: string;
  timeoutAt?: number;
}

/** An event or decision in a run's inbox (table run_deliveries). */
export interface QueuedDelivery {
  id: string;
  kind: WaitKind;
  key: string;
  payload: unknown;
  decision?: ApprovalDecision;
  activationId?: string;
  receivedAt: number;
}

/** A child run to start with a commit (a workflow.call node; see child-runs.ts). */
export interface ChildRunRequest {
  activationId: string;
  nodeId: string;
  /** Id or name of a workflow of the parent's tenant. */
  workflow: string;
  /** A published version number; absent: the workflow's active version. */
  version?: number;
  input: unknown;
  /** The child's run idempotency key, also the key of the parent's `child` wait. */
  idempotencyKey: string;
  /** Basis of the child's step keys. */
  effectKey: string;
}

/** What a workflow.call node receives in its parent's inbox (kind `child`). */
export interface ChildRunOutcome {
  runId: string | null;
  status: RunStatus | 'not_started';
  result?: unknown;
  error?: StepError & { nodeId?: string };
}

/** What the engine writes after each step, atomically with the step records. */
export interface RunCommit {
  steps: StepRecord[];
  state: RunState;
  status: RunStatus;
  wakeAt?: number;
  result?: unknown;
  error?: StepError & { nodeId?: string };
  /** Every open wait after this commit; replaces run_waits of the run (absent: none). */
  waits?: WaitRegistration[];
  /** Inbox rows the engine applied; the commit deletes them. */
  consumedDeliveries?: string[];
  /** Child runs to start in the same transaction. */
  childRuns?: ChildRunRequest[];
}

export type CommitOutcome = 'ok' | 'lease-lost';

export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'compensated', 'compensation_failed'];

/** Runs that end in these statuses are dead-lettered (they did not do what they were started for). */
export const DEAD_LETTER_STATUSES: readonly RunStatus[] = ['failed', 'compensated', 'compensation_failed'];

/** Statuses of a run that is still live: it can be cancelled but not replayed. */
export const LIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting'];
