import { DEFAULT_OUTPUT_PORT, type GraphNode, type RetryPolicy } from '@switchyard/workflow';
import { applyCompensationResult } from './compensation';
import { invokeExecutor, type AttemptResult } from './invoke-executor';
import { mapItemFailed, mapItemSucceeded } from './map-steps';
import { activationLogger, complete, deferRefused, failFinally, recordCompensable, scheduleRetry, stepBase, type StepOutcome } from './outcomes';
import type { Activation, RunState } from './ports';
import { resolvePolicy } from './policy';
import { activationIdempotencyKey, type RunContext } from './run-context';
import { classifyError, toStepError } from './step-error';

/**
 * One executor attempt, split in two so that several can run at once: `execute` does the I/O and
 * touches no state; `applyExecution` folds the result into the state, one at a time, right before
 * the commit that records it.
 */
export interface Execution {
  /** A copy of the activation as it was launched (the state's own object may change meanwhile). */
  activation: Activation;
  idempotencyKey: string;
  retry: RetryPolicy;
  startedAt: number;
  finishedAt: number;
  result: AttemptResult;
}

/** Idempotency keys of compensations use this node-id suffix: `#` cannot occur in a node id. */
export const COMPENSATION_SUFFIX = '#compensate';

interface Target {
  kind: string | undefined;
  config: unknown;
  policy: GraphNode['policy'];
  idempotencyKey: string;
}

function targetOf(rc: RunContext, node: GraphNode, activation: Activation): Target {
  if (activation.compensates !== undefined) {
    return {
      kind: node.compensation?.kind,
      config: node.compensation?.config ?? {},
      policy: node.compensation?.policy ?? node.policy,
      // Keyed by the activation it undoes: stable across retries and crashes, distinct from the forward step's key.
      idempotencyKey: activationIdempotencyKey(rc.run, `${node.id}${COMPENSATION_SUFFIX}`, activation.compensates),
    };
  }
  return { kind: node.kind, config: node.config, policy: node.policy, idempotencyKey: activationIdempotencyKey(rc.run, node.id, activation.id) };
}

/** Never rejects: whatever goes wrong comes back as a failed attempt, so the loop always gets a result. */
export async function execute(rc: RunContext, node: GraphNode, launched: Activation, signal: AbortSignal): Promise<Execution> {
  const activation = structuredClone(launched);
  try {
    return await attempt(rc, node, activation, signal);
  } catch (err) {
    const now = rc.clock.now();
    const key = activationIdempotencyKey(rc.run, node.id, activation.id);
    return { activation, idempotencyKey: key, retry: resolvePolicy(node, rc.defaults).retry, startedAt: now, finishedAt: now, result: { ok: false, error: classifyError(err, null) } };
  }
}

async function attempt(rc: RunContext, node: GraphNode, activation: Activation, signal: AbortSignal): Promise<Execution> {
  const target = targetOf(rc, node, activation);
  const policy = resolvePolicy({ policy: target.policy }, rc.defaults);
  const kind = target.kind ?? '(none)';
  const executor = target.kind !== undefined && Object.hasOwn(rc.executors, target.kind) ? rc.executors[target.kind] : undefined;
  const startedAt = rc.clock.now();
  const result: AttemptResult = executor
    ? await invokeExecutor({
        executor,
        ctx: {
          runId: rc.run.id,
          tenantId: rc.run.tenantId,
          correlationId: rc.run.correlationId,
          nodeId: node.id,
          attempt: activation.attempt,
          idempotencyKey: target.idempotencyKey,
          logger: activationLogger(rc, activation, kind),
          trigger: rc.run.triggerPayload,
          ...(activation.compensates !== undefined ? { phase: 'compensation' as const } : {}),
          ...(rc.run.traceparent !== undefined ? { traceparent: rc.run.traceparent } : {}),
        },
        config: target.config,
        input: activation.input,
        timeoutMs: policy.timeoutMs,
        clock: rc.clock,
        signal,
      })
    : { ok: false, error: { code: 'unknown_kind', message: `no executor is registered for node kind "${kind}"`, retryable: false } };
  return { activation, idempotencyKey: target.idempotencyKey, retry: policy.retry, startedAt, finishedAt: rc.clock.now(), result };
}

export function applyExecution(rc: RunContext, state: RunState, node: GraphNode, exec: Execution): StepOutcome {
  const step = stepBase(exec.activation, exec.idempotencyKey, exec.startedAt, exec.finishedAt);
  const logger = activationLogger(rc, exec.activation, node.kind);
  const activation = state.pending.find((a) => a.id === exec.activation.id);
  if (!activation) return applyOrphan(state, node, exec, logger);
  if (!exec.result.ok && deferRefused(rc, activation, exec.finishedAt, exec.result.error, exec.retry, logger)) return { steps: [], commit: true };
  if (activation.compensates !== undefined) return applyCompensationResult(rc, state, activation, exec, step, logger);

  if (exec.result.ok) {
    const { output } = exec.result.result;
    const port = exec.result.result.port ?? DEFAULT_OUTPUT_PORT;
    step.output = output;
    step.port = port;
    if (activation.item) return mapItemSucceeded(rc, state, activation, step, output);
    if (exec.result.result.response) state.response = exec.result.result.response;
    recordCompensable(state, node, activation.id, activation.input, output);
    complete(rc, state, node, activation, port, output);
    logger.info({ port, durationMs: step.durationMs }, 'step succeeded');
    return { steps: [step], completedOutput: { value: output }, commit: true };
  }

  const error = exec.result.error;
  step.status = 'failed';
  step.error = toStepError(error);
  if (scheduleRetry(rc, activation, step, error, exec.retry, logger)) return { steps: [step], commit: true };
  if (activation.item) return mapItemFailed(rc, state, activation, step, error, logger);
  return failFinally(rc, state, node, activation, [step], error, logger);
}

/**
 * The run failed (or the node's map failed) while this attempt was in flight and its activation was
 * cancelled. Its effect may have happened all the same: record it, and keep it for compensation.
 */
function applyOrphan(state: RunState, node: GraphNode, exec: Execution, logger: RunContext['log']): StepOutcome {
  const step = stepBase(exec.activation, exec.idempotencyKey, exec.startedAt, exec.finishedAt);
  if (exec.result.ok) {
    step.output = exec.result.result.output;
    step.port = exec.result.result.port ?? DEFAULT_OUTPUT_PORT;
    if (exec.activation.compensates === undefined) recordCompensable(state, node, exec.activation.id, exec.activation.input, step.output);
  } else {
    step.status = 'failed';
    step.error = toStepError(exec.result.error);
  }
  logger.warn({ status: step.status }, 'step finished after its activation was cancelled; recorded, not continued');
  return { steps: [step], commit: true };
}
