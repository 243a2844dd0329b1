import { DEFAULT_OUTPUT_PORT, DelayConfigSchema, ERROR_PORT, type GraphNode } from '@switchyard/workflow';
import { invokeExecutor, type AttemptResult } from './invoke-executor';
import type { Activation, RunState, StepError, StepRecord } from './ports';
import { resolvePolicy, retryDelayMs } from './policy';
import { activationIdempotencyKey, type RunContext } from './run-context';
import { removeActivation, scheduleSuccessors } from './run-state';
import { toStepError, type ClassifiedError } from './step-error';

/** What processing one due activation did to the (already mutated) state. */
export type StepOutcome =
  /** A step was recorded; the state must be committed with it. */
  | { kind: 'recorded'; step: StepRecord; completedOutput?: { value: unknown } }
  /** A delay node armed its timer: nothing to record, the next commit carries it. */
  | { kind: 'timer-armed' }
  /** The node failed for good with no error route: the run fails. */
  | { kind: 'run-failed'; step: StepRecord; error: StepError & { nodeId: string } };

export async function processActivation(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): Promise<StepOutcome> {
  if (node.kind === 'delay') return processDelay(rc, state, node, activation);

  const policy = resolvePolicy(node, rc.defaults);
  const idempotencyKey = activationIdempotencyKey(rc.run, node.id, activation.id);
  const logger = rc.log.child({ nodeId: node.id, kind: node.kind, activationId: activation.id, attempt: activation.attempt });
  const executor = Object.hasOwn(rc.executors, node.kind) ? rc.executors[node.kind] : undefined;

  const startedAt = rc.clock.now();
  const attempt: AttemptResult = executor
    ? await invokeExecutor({
        executor,
        ctx: {
          runId: rc.run.id,
          tenantId: rc.run.tenantId,
          correlationId: rc.run.correlationId,
          nodeId: node.id,
          attempt: activation.attempt,
          idempotencyKey,
          logger,
          trigger: rc.run.triggerPayload,
        },
        config: node.config,
        input: activation.input,
        timeoutMs: policy.timeoutMs,
        clock: rc.clock,
      })
    : { ok: false, error: { code: 'unknown_kind', message: `no executor is registered for node kind "${node.kind}"`, retryable: false } };
  const finishedAt = rc.clock.now();

  const step: StepRecord = {
    nodeId: node.id,
    activationId: activation.id,
    attempt: activation.attempt,
    status: attempt.ok ? 'succeeded' : 'failed',
    idempotencyKey,
    input: activation.input,
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
  };

  if (attempt.ok) {
    const port = attempt.result.port ?? DEFAULT_OUTPUT_PORT;
    step.output = attempt.result.output;
    step.port = port;
    if (attempt.result.response) state.response = attempt.result.response;
    complete(rc, state, node, activation, port, attempt.result.output);
    logger.info({ port, durationMs: step.durationMs }, 'step succeeded');
    return { kind: 'recorded', step, completedOutput: { value: attempt.result.output } };
  }

  const error = attempt.error;
  step.error = toStepError(error);
  if (error.retryable && activation.attempt < policy.retry.maxAttempts) {
    const delayMs = retryDelayMs(policy.retry, activation.attempt, rc.random, error.retryAfterMs);
    step.retryAt = finishedAt + delayMs;
    // The activation stays where it is in the queue; only its attempt and due time change.
    activation.attempt += 1;
    activation.notBefore = step.retryAt;
    logger.warn({ code: error.code, err: error.message, status: error.status, delayMs, retryAt: step.retryAt }, 'step failed; retry scheduled');
    return { kind: 'recorded', step };
  }
  return failFinally(rc, state, node, activation, step, error, logger);
}

/**
 * The delay kind is a durable timer, not an executor: the first visit only records when it is due
 * (the run parks and the worker lets it go), the visit after that forwards the input unchanged.
 */
function processDelay(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): StepOutcome {
  const now = rc.clock.now();
  const parsed = DelayConfigSchema.safeParse(node.config);
  const idempotencyKey = activationIdempotencyKey(rc.run, node.id, activation.id);
  const logger = rc.log.child({ nodeId: node.id, kind: node.kind, activationId: activation.id, attempt: activation.attempt });
  const base = { nodeId: node.id, activationId: activation.id, attempt: activation.attempt, idempotencyKey, input: activation.input };

  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(config)'}: ${i.message}`).join('; ');
    const step: StepRecord = { ...base, status: 'failed', startedAt: now, finishedAt: now, durationMs: 0 };
    const error: ClassifiedError = { code: 'invalid_config', message: `delay config is invalid: ${details}`, retryable: false };
    step.error = toStepError(error);
    return failFinally(rc, state, node, activation, step, error, logger);
  }

  const { durationMs } = parsed.data;
  if (!activation.timerArmed) {
    activation.timerArmed = true;
    activation.notBefore = now + durationMs;
    logger.info({ durationMs, wakeAt: activation.notBefore }, 'delay timer armed');
    return { kind: 'timer-armed' };
  }

  const startedAt = (activation.notBefore ?? now) - durationMs;
  const step: StepRecord = {
    ...base,
    status: 'succeeded',
    output: activation.input,
    port: DEFAULT_OUTPUT_PORT,
    startedAt,
    finishedAt: now,
    durationMs: now - startedAt,
  };
  complete(rc, state, node, activation, DEFAULT_OUTPUT_PORT, activation.input);
  logger.info({ durationMs: step.durationMs }, 'delay elapsed');
  return { kind: 'recorded', step, completedOutput: { value: activation.input } };
}

/** Permanent failure or attempts exhausted: follow the node's `error` edges if it has any, else fail the run. */
function failFinally(
  rc: RunContext,
  state: RunState,
  node: GraphNode,
  activation: Activation,
  step: StepRecord,
  error: ClassifiedError,
  logger: RunContext['log'],
): StepOutcome {
  const fields = { code: error.code, err: error.message, status: error.status, retryable: error.retryable };
  if (rc.graph.targets(node.id, ERROR_PORT).length > 0) {
    const routed = { error: pruneUndefined({ code: error.code, message: error.message, status: error.status }), input: activation.input };
    step.port = ERROR_PORT;
    step.output = routed;
    complete(rc, state, node, activation, ERROR_PORT, routed);
    logger.warn(fields, 'step failed; routed to the error port');
    return { kind: 'recorded', step, completedOutput: { value: routed } };
  }
  removeActivation(state, activation.id);
  logger.error(fields, 'step failed; run fails');
  return { kind: 'run-failed', step, error: { ...toStepError(error), nodeId: node.id } };
}

function complete(rc: RunContext, state: RunState, node: GraphNode, activation: Activation, port: string, output: unknown): void {
  state.outputs[node.id] = output;
  removeActivation(state, activation.id);
  scheduleSuccessors(state, rc.graph, node.id, port, output);
}

function pruneUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
