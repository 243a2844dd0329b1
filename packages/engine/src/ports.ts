import type { Graph } from '@switchyard/workflow';

/**
 * The engine does I/O only through these ports (style.md §9). The worker wires the real ones
 * (Postgres store from packages/db, executors from packages/connectors, pino logger); tests wire
 * in-memory ones and a fake clock, which is what makes crash recovery testable without a network.
 */

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'succeeded' | 'failed';

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

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

export interface HttpResponseSpec {
  status: number;
  headers: Record<string, string>;
  body: unknown;
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

export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`lease on run ${runId} was lost; the commit was rejected`);
    this.name = 'LeaseLostError';
  }
}

export interface RunStore {
  /**
   * Persist steps + state + status in one transaction, only if `leaseToken` still holds the run.
   * Throws LeaseLostError otherwise (the caller must stop working on the run).
   */
  commit(runId: string, leaseToken: number, commit: RunCommit): Promise<void>;
}

export interface ExecutorContext {
  runId: string;
  tenantId: string;
  correlationId: string;
  nodeId: string;
  attempt: number;
  /** Deterministic per activation: run key + node + iteration. */
  idempotencyKey: string;
  signal: AbortSignal;
  logger: Logger;
  /** The run's trigger payload, for expressions that need it. */
  trigger: unknown;
}

export interface ExecutorResult {
  output: unknown;
  /** Output port; defaults to `out`. */
  port?: string;
  /** Respond nodes set the synchronous HTTP response. */
  response?: HttpResponseSpec;
}

export type NodeExecutor = (ctx: ExecutorContext, config: unknown, input: unknown) => Promise<ExecutorResult>;

/** Exhaustive map from node kind to executor (style.md §8). */
export type ExecutorRegistry = Readonly<Record<string, NodeExecutor>>;

/**
 * Errors thrown by executors. Anything else thrown is treated as retryable with code `internal`.
 */
export class NodeExecutionError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly status?: number;
  /** Server-requested wait (Retry-After), honoured over the computed backoff. */
  readonly retryAfterMs?: number;
  constructor(message: string, opts: { code: string; retryable: boolean; status?: number; retryAfterMs?: number }) {
    super(message);
    this.name = 'NodeExecutionError';
    this.code = opts.code;
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}
