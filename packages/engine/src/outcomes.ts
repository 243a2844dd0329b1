import { ERROR_PORT, type GraphNode } from '@switchyard/workflow';
import type { RetryPolicy } from '@switchyard/workflow';
import type { Activation, ChildRunRequest, Logger, RunState, StepError, StepRecord } from './ports';
import { retryDelayMs } from './policy';
import type { RunContext } from './run-context';
import { removeActivation, scheduleSuccessors } from './run-state';
import { toStepError, type ClassifiedError } from './step-error';

/** What handling one activation (or one finished execution) did to the already mutated state. */
export interface StepOutcome {
  /** Step records to commit with the state (none for a registration or an armed timer). */
  steps: StepRecord[];
  /** Output of a node that completed: the run's result if nothing runs after it. */
  completedOutput?: { value: unknown };
  /** A node failed for good and no error edge took it: the run fails (and compensates). */
  runFailure?: StepError & { nodeId?: string };
  /** False when only a detail that may be redone after a crash changed (an armed delay timer). */
  commit: boolean;
  /** Child runs the commit must start (a workflow.call node registered its wait). */
  childRuns?: ChildRunRequest[];
}

/** Marks the node done: its output, the end of the activation, and the activations it feeds. */
export function complete(rc: RunContext, state: RunState, node: GraphNode, activation: Activation, port: string, output: unknown): void {
  state.outputs[node.id] = output;
  removeActivation(state, activation.id);
  scheduleSuccessors(state, rc.graph, node.id, port, output);
}

/** A node the engine runs itself (delay, join, wait, call) completed by `port` with `output`. */
export function succeedInEngine(rc: RunContext, state: RunState, node: GraphNode, activation: Activation, step: StepRecord, port: string, output: unknown): StepOutcome {
  step.output = output;
  step.port = port;
  recordCompensable(state, node, activation.id, activation.input, output);
  complete(rc, state, node, activation, port, output);
  return { steps: [step], completedOutput: { value: output }, commit: true };
}

/** Remembers a completed step whose node can be undone, for the saga if the run fails later. */
export function recordCompensable(state: RunState, node: GraphNode, activationId: string, input: unknown, output: unknown): void {
  if (!node.compensation) return;
  (state.compensable ??= []).push({ activationId, nodeId: node.id, input, output });
}

/** Permanent failure or attempts exhausted: follow the node's `error` edges if it has any, else fail the run. */
export function failFinally(
  rc: RunContext,
  state: RunState,
  node: GraphNode,
  activation: Activation,
  steps: StepRecord[],
  error: ClassifiedError,
  logger: Logger,
): StepOutcome {
  const step = steps.at(-1)!;
  step.status = 'failed';
  step.error = toStepError(error);
  const fields = { code: error.code, err: error.message, status: error.status, retryable: error.retryable };
  if (rc.graph.targets(node.id, ERROR_PORT).length > 0) {
    const routed = { error: pruneUndefined({ code: error.code, message: error.message, status: error.status }), input: activation.input };
    step.port = ERROR_PORT;
    step.output = routed;
    complete(rc, state, node, activation, ERROR_PORT, routed);
    logger.warn(fields, 'step failed; routed to the error port');
    return { steps, completedOutput: { value: routed }, commit: true };
  }
  removeActivation(state, activation.id);
  logger.error(fields, 'step failed; run fails');
  return { steps, runFailure: { ...toStepError(error), nodeId: node.id }, commit: true };
}

/** The fields every step record of an activation shares. */
export function stepBase(activation: Activation, idempotencyKey: string, startedAt: number, finishedAt: number): StepRecord {
  const step: StepRecord = {
    nodeId: activation.nodeId,
    activationId: activation.id,
    attempt: activation.attempt,
    status: 'succeeded',
    idempotencyKey,
    input: activation.input,
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
  };
  if (activation.item) step.itemIndex = activation.item.index;
  if (activation.compensates !== undefined) step.phase = 'compensation';
  return step;
}

export function activationLogger(rc: RunContext, activation: Activation, kind: string): Logger {
  const bindings: Record<string, unknown> = { nodeId: activation.nodeId, kind, activationId: activation.id, attempt: activation.attempt };
  if (activation.item) bindings.itemIndex = activation.item.index;
  if (activation.compensates !== undefined) bindings.phase = 'compensation';
  return rc.log.child(bindings);
}

export function pruneUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** A config the validator would have rejected (the engine may be handed an unvalidated graph). */
export function invalidConfig(kind: string, error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): ClassifiedError {
  const details = error.issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(config)'}: ${i.message}`).join('; ');
  return { code: 'invalid_config', message: `${kind} config is invalid: ${details}`, retryable: false };
}

/**
 * Schedules the next attempt of a failed activation when the error is retryable and attempts are
 * left. The activation keeps its place in the queue; only its attempt and due time change.
 */
export function scheduleRetry(
  rc: RunContext,
  activation: Activation,
  step: StepRecord,
  error: ClassifiedError,
  retry: RetryPolicy,
  logger: Logger,
): boolean {
  if (!error.retryable || activation.attempt >= retry.maxAttempts) return false;
  const delayMs = retryDelayMs(retry, activation.attempt, rc.random, error.retryAfterMs);
  step.retryAt = step.finishedAt + delayMs;
  activation.attempt += 1;
  activation.notBefore = step.retryAt;
  logger.warn({ code: error.code, err: error.message, status: error.status, delayMs, retryAt: step.retryAt }, 'step failed; retry scheduled');
  return true;
}

const MIN_REFUSAL_DELAY_MS = 100;

/**
 * A call refused before it went out (breaker open, rate limit spent) is not an attempt: no step is
 * recorded and the attempt number stays, the activation just waits until `retryAfterMs` (or the
 * backoff for its current attempt when the refusal names no time). Returns false for other errors.
 */
export function deferRefused(rc: RunContext, activation: Activation, finishedAt: number, error: ClassifiedError, retry: RetryPolicy, logger: Logger): boolean {
  if (!error.retryable || error.countsAsAttempt !== false) return false;
  // A floor, so that a refusal with no wait left (a half-open trial just finishing) cannot spin.
  const delayMs = Math.max(MIN_REFUSAL_DELAY_MS, Math.ceil(error.retryAfterMs ?? retryDelayMs(retry, activation.attempt, rc.random)));
  activation.notBefore = finishedAt + delayMs;
  logger.info({ code: error.code, err: error.message, delayMs, retryAt: activation.notBefore }, 'call refused before it went out; retrying without using an attempt');
  return true;
}
