import type { Execution } from './node-step';
import { scheduleRetry, type StepOutcome } from './outcomes';
import type { Activation, Logger, RunFailure, RunState, StepError, StepRecord } from './ports';
import type { RunContext } from './run-context';
import { removeActivation } from './run-state';
import { toStepError } from './step-error';

/**
 * Saga compensation. When the run fails for good, the forward part stops: pending activations are
 * cancelled (attempts still in flight are recorded when they return, and kept for compensation if
 * they succeeded). Then the compensations of the completed steps run one at a time in reverse
 * completion order, each a durable activation with retries, each attempt recorded as a step with
 * `phase: 'compensation'`. The run ends `compensated`, `compensation_failed`, or plain `failed` when
 * nothing needed undoing.
 */

export function failRun(state: RunState, error: StepError & { nodeId?: string }): void {
  state.failure = { error, compensating: false, queue: [], compensated: 0, compensationsFailed: 0 };
  state.pending = [];
  delete state.maps;
  delete state.joins;
}

/** Called once nothing forward is in flight any more: queues the compensations, newest first. */
export function startCompensation(rc: RunContext, state: RunState): void {
  const failure = state.failure!;
  failure.compensating = true;
  failure.queue = [...(state.compensable ?? [])].reverse();
  if (failure.queue.length > 0) rc.log.warn({ compensations: failure.queue.length, code: failure.error.code }, 'run failed; compensating completed steps');
  materializeNext(state);
}

/** The compensation activation of the queue head; its id derives from the step it undoes, so it is stable. */
function materializeNext(state: RunState): void {
  const head = state.failure?.queue[0];
  if (!head) return;
  state.pending.push({
    id: `${head.activationId}.c`,
    nodeId: head.nodeId,
    input: { input: head.input, output: head.output },
    attempt: 1,
    compensates: head.activationId,
  });
}

export function applyCompensationResult(
  rc: RunContext,
  state: RunState,
  activation: Activation,
  exec: Execution,
  step: StepRecord,
  logger: Logger,
): StepOutcome {
  const failure = state.failure!;
  if (exec.result.ok) {
    step.output = exec.result.result.output;
    step.port = exec.result.result.port ?? 'out';
    failure.compensated += 1;
    logger.info({ compensates: activation.compensates }, 'compensation succeeded');
  } else {
    const error = exec.result.error;
    step.status = 'failed';
    step.error = toStepError(error);
    if (scheduleRetry(rc, activation, step, error, exec.retry, logger)) return { steps: [step], commit: true };
    failure.compensationsFailed += 1;
    logger.error({ compensates: activation.compensates, code: error.code, err: error.message }, 'compensation failed; going on with the others');
  }
  removeActivation(state, activation.id);
  failure.queue.shift();
  materializeNext(state);
  return { steps: [step], commit: true };
}

export function terminalFailureStatus(failure: RunFailure): 'failed' | 'compensated' | 'compensation_failed' {
  if (failure.compensationsFailed > 0) return 'compensation_failed';
  return failure.compensated > 0 ? 'compensated' : 'failed';
}
