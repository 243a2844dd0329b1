import type { Graph, HttpResponseSpec } from '@switchyard/workflow';
export type { ExecutorContext, ExecutorRegistry, ExecutorResult, HttpResponseSpec, Logger, NodeExecutor } from '@switchyard/workflow';
export { NodeExecutionError } from '@switchyard/workflow';

/**
 * The engine does I/O only through these ports (style.md §9). The worker wires the real ones
 * (Postgres store from packages/db, executors from packages/connectors, pino logger); tests wire
 * in-memory ones and a fake clock, which is what makes crash recovery testable without a network.
 */

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'succeeded' | 'failed';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
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
}

/** What the engine writes after each step, atomically with the step records. */
export interface RunCommit {
  steps: StepRecord[];
  state: RunState;
  status: RunStatus;
  /** For status `queued`/`waiting`: when the run becomes claimable again (durable timer). */
  wakeAt?: number;
  result?: unknown;
  error?: StepError & { nodeId?: string };
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

