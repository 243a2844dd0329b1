/**
 * The server-side half of the node-kind contract: `run(ctx, config, input)` with an explicit context.
 * Executors live in packages/connectors; the engine calls them. Kept here (no I/O, types only plus
 * one error class) so that connectors and the engine share it without importing each other.
 */

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface HttpResponseSpec {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * One of the run tenant's connections (an ERP or API account) as an executor needs it: where to
 * call, non-secret settings, and the decrypted credentials. Executors must keep the credentials out
 * of outputs, logs and error messages.
 */
export interface ResolvedConnection {
  id: string;
  name: string;
  /** The system: `netsuite`, `business-central`, `sap`, `workday`, `back-office`, `rest`. */
  kind: string;
  baseUrl: string;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

export interface ConnectionResolver {
  /** By id or by name, within the run's tenant only; null when the tenant has no such connection. */
  get(connectionIdOrName: string): Promise<ResolvedConnection | null>;
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
  /** Set when the executor runs as a node's compensating action (the run failed after the node completed). */
  phase?: 'compensation';
  /** The run tenant's connections; provided by the worker (connectors wrap executors to add it). */
  connections?: ConnectionResolver;
  /**
   * W3C trace context of this attempt: the run's (from ingress) or, when the worker traces, the
   * attempt's own span. HTTP executors send it as the `traceparent` header.
   */
  traceparent?: string;
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
  /**
   * False for a refusal before anything was sent (the tenant's breaker is open, its rate limit is
   * spent): the engine retries at `retryAfterMs` without using up one of the step's attempts.
   */
  readonly countsAsAttempt: boolean;
  constructor(
    message: string,
    opts: { code: string; retryable: boolean; status?: number; retryAfterMs?: number; countsAsAttempt?: boolean },
  ) {
    super(message);
    this.name = 'NodeExecutionError';
    this.code = opts.code;
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.countsAsAttempt = opts.countsAsAttempt ?? true;
  }
}
