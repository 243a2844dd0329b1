import type { Graph, HttpResponseSpec } from '@switchyard/workflow';
export type { ExecutorContext, ExecutorRegistry, ExecutorResult, HttpResponseSpec, Logger, NodeExecutor } from '@switchyard/workflow';
export { NodeExecutionError } from '@switchyard/workflow';

/**
 * The engine does I/O only through these ports (style.md §9). The worker wires the real ones
 * (Postgres store from packages/db, executors from packages/connectors, pino logger); tests wire
 * in-memory ones and a fake clock, which is what makes crash recovery testable without a network.
 */

/**
 * `waiting`: parked on a wait-for-event or approval (claimable again at `wakeAt` for its timeout, or
 * once an event is delivered). `compensated` / `compensation_failed`: the run failed and the
 * compensations of its completed steps then all succeeded / not all succeeded.
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
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'compensated', 'compensation_failed'];
export type StepStatus = 'succeeded' | 'failed';

/** `child`: a workflow.call node waiting for the child run it started (delivered by the store, not the API). */
export type WaitKind = 'event' | 'approval' | 'child';
export type ApprovalDecision = 'approved' | 'rejected';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Optional: calls `onFire` after `ms` unless the returned cancel function ran first. The engine
   * uses it for per-step timeouts when present (cheaper than `sleep` with an AbortSignal) and falls
   * back to `sleep` otherwise, so test clocks need only `sleep`.
   */
  startTimer?(ms: number, onFire: () => void): () => void;
}

/** A pending node activation: the unit of durable progress inside a run. */
export interface Activation {
  /** Unique within the run; also the iteration part of the step idempotency key. */
  id: string;
  nodeId: string;
  input: unknown;
  /** 1-based attempt number of the next execution. */
  attempt: number;
  /** Epoch ms before which the activation must not execute (retry backoff, delay node). */
  notBefore?: number;
  /** Set by the delay node once its timer has been armed. */
  timerArmed?: boolean;
  /** A map body activation: the map activation it belongs to and the item's index. */
  item?: { map: string; index: number };
  /** A wait-for-event or approval node once its wait is registered. */
  wait?: WaitState;
  /** A compensation activation: the id of the completed activation it undoes. */
  compensates?: string;
}

export interface WaitState {
  kind: WaitKind;
  /** The evaluated key expression: what a delivered event must carry. */
  key: string;
  registeredAt: number;
  /** Epoch ms after which the node leaves by its `timeout` port; absent waits without limit. */
  timeoutAt?: number;
  /** Set by deliverEvent; the next claim completes the node with it. */
  delivered?: { payload: unknown; decision?: ApprovalDecision; at?: number };
}

/** A map in progress, keyed in RunState.maps by the map's activation id. */
export interface MapFrame {
  /** The map node's own activation (its input, for error routing), out of `pending` while items run. */
  activation: Activation;
  bodyNodeId: string;
  items: unknown[];
  /** By item index; filled as items complete, `null` until then. */
  results: unknown[];
  /** Index of the next item to start; items from here on wait for a free slot. */
  next: number;
  done: number;
  concurrency: number;
  onItemError: 'fail' | 'continue';
  startedAt: number;
}

/** A completed step whose node declares a compensation: what the compensation receives. */
export interface CompensableStep {
  activationId: string;
  nodeId: string;
  input: unknown;
  output: unknown;
}

/** Set once the run has failed for good: the forward part stops and compensations run. */
export interface RunFailure {
  error: StepError & { nodeId?: string };
  /** False while steps that were in flight when the run failed are still finishing. */
  compensating: boolean;
  /** Compensations still to run, the current one first (reverse completion order). */
  queue: CompensableStep[];
  compensated: number;
  compensationsFailed: number;
}

/** The durable cursor of a run, stored with the run after every step. */
export interface RunState {
  pending: Activation[];
  /** Last output of each completed node, by node id. */
  outputs: Record<string, unknown>;
  /** Monotonic counter used to mint activation ids deterministically. */
  seq: number;
  /** Set by a respond node: what a synchronous webhook caller receives. */
  response?: HttpResponseSpec;
  /** Join buffers: join node id → source node id → outputs delivered and not yet joined (FIFO). */
  joins?: Record<string, Record<string, unknown[]>>;
  /** Maps in progress by map activation id. */
  maps?: Record<string, MapFrame>;
  /** Completed steps with a declared compensation, in completion order. */
  compensable?: CompensableStep[];
  failure?: RunFailure;
}

/** An open wait, as the db indexes it to route an incoming event or decision to its run. */
export interface WaitRegistration {
  activationId: string;
  nodeId: string;
  kind: WaitKind;
  key: string;
  timeoutAt?: number;
}

export interface StepError {
  message: string;
  code: string;
  retryable: boolean;
  /** HTTP status or vendor code when the failure came from a remote system. */
  status?: number;
}

/** One row per attempt of one node activation. */
export interface StepRecord {
  nodeId: string;
  activationId: string;
  attempt: number;
  status: StepStatus;
  /** Deterministic per activation (run + node + iteration): sent to targets as Idempotency-Key. */
  idempotencyKey: string;
  input: unknown;
  output?: unknown;
  /** Port the output left by (success or routed error). */
  port?: string;
  error?: StepError;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  /** When a failed attempt will be retried (epoch ms). */
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
  /** Null on first claim: the engine seeds it from the trigger. */
  state: RunState | null;
  /** Fencing token of the current lease; every commit must carry it. */
  leaseToken: number;
  /** W3C trace context the run continues (from ingress or its parent run); passed to executors. */
  traceparent?: string;
  /**
   * Events and decisions that arrived while a worker held the run (so they could not be applied to
   * its state directly). The engine applies them with deliverEvent before anything else and names
   * them in `consumedDeliveries` of its first commit, after which the store may delete them.
   */
  deliveries?: QueuedDelivery[];
}

/** An event or decision waiting in the run's inbox (see ClaimedRun.deliveries). */
export interface QueuedDelivery {
  id: string;
  kind: WaitKind;
  key: string;
  payload: unknown;
  decision?: ApprovalDecision;
  activationId?: string;
  /** When it arrived (epoch ms): a wait whose timeout passed before that does not take it. */
  receivedAt: number;
}

/**
 * A child run a workflow.call node asks the store to start, in the same transaction as the commit
 * that registers the node's `child` wait (so the child exists exactly when the parent waits for it).
 */
export interface ChildRunRequest {
  activationId: string;
  nodeId: string;
  /** Id or name of a workflow of the parent's tenant. */
  workflow: string;
  /** A published version number; absent: the workflow's active version. */
  version?: number;
  /** The child's trigger payload. */
  input: unknown;
  /**
   * The child's run idempotency key: derived from the calling step's key and the parent run, so a
   * re-executed step finds the child it started instead of starting another. It is also the key of
   * the parent's `child` wait: the store delivers the child's end with it.
   */
  idempotencyKey: string;
  /** Basis of the child's step keys: the calling step's key (stable across replays of the parent). */
  effectKey: string;
}

/** What the store delivers (kind `child`, key = ChildRunRequest.idempotencyKey) when a child run ends or cannot start. */
export interface ChildRunOutcome {
  /** Null when no child could be started (unknown workflow or version, calls nested too deep). */
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
  /**
   * For status `queued`/`waiting`: when the run becomes claimable again (durable timer). Absent on
   * `waiting` when only an event or a decision can wake the run.
   */
  wakeAt?: number;
  result?: unknown;
  error?: StepError & { nodeId?: string };
  /** Every open wait of the run after this commit (replaces the previous list). */
  waits: WaitRegistration[];
  /** Ids of ClaimedRun.deliveries applied to this state (first commit of a slice only). */
  consumedDeliveries?: string[];
  /** Child runs to start with this commit (workflow.call nodes that just registered their wait). */
  childRuns?: ChildRunRequest[];
}

export interface RunStore {
  /**
   * Persist steps + state + status in one transaction, only if `leaseToken` still holds the run.
   * Returns 'lease-lost' (and writes nothing) when another worker has taken the run over: the
   * caller must stop working on it. A plain result, not an exception, so that packages/db can
   * implement the port without importing the engine.
   */
  commit(runId: string, leaseToken: number, commit: RunCommit): Promise<'ok' | 'lease-lost'>;
}

