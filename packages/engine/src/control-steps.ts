import {
  ApprovalConfigSchema,
  DEFAULT_OUTPUT_PORT,
  DelayConfigSchema,
  TIMEOUT_PORT,
  WaitForEventConfigSchema,
  type GraphNode,
} from '@switchyard/workflow';
import { describeValue, evaluate } from './expressions';
import { startMap } from './map-steps';
import { processCall } from './call-steps';
import { activationLogger, failFinally, invalidConfig, stepBase, succeedInEngine as succeed, type StepOutcome } from './outcomes';
import type { Activation, RunState, WaitKind } from './ports';
import { activationIdempotencyKey, type RunContext } from './run-context';
import { type ClassifiedError } from './step-error';

/** Kinds the engine runs itself, without an executor. Everything else goes to the executor registry. */
const CONTROL_KINDS = new Set(['delay', 'join', 'map', 'wait.event', 'approval', 'workflow.call']);

/** Whether the activation is handled in the interpreter (no executor call, nothing to run concurrently). */
export function isControlActivation(node: GraphNode | undefined, activation: Activation): boolean {
  return node !== undefined && activation.item === undefined && activation.compensates === undefined && CONTROL_KINDS.has(node.kind);
}

export function processControl(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): Promise<StepOutcome> | StepOutcome {
  switch (node.kind) {
    case 'delay':
      return processDelay(rc, state, node, activation);
    case 'join':
      return processJoin(rc, state, node, activation);
    case 'map':
      return startMap(rc, state, node, activation);
    case 'workflow.call':
      return processCall(rc, state, node, activation);
    default:
      return processWait(rc, state, node, activation);
  }
}


/**
 * The delay kind is a durable timer: the first visit only records when it is due (the run parks and
 * the worker lets it go), the visit after that forwards the input unchanged.
 */
function processDelay(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): StepOutcome {
  const now = rc.clock.now();
  const logger = activationLogger(rc, activation, node.kind);
  const key = activationIdempotencyKey(rc.run, node.id, activation.id);
  const parsed = DelayConfigSchema.safeParse(node.config);
  if (!parsed.success) return failFinally(rc, state, node, activation, [stepBase(activation, key, now, now)], invalidConfig('delay', parsed.error), logger);

  const { durationMs } = parsed.data;
  if (!activation.timerArmed) {
    activation.timerArmed = true;
    activation.notBefore = now + durationMs;
    logger.info({ durationMs, wakeAt: activation.notBefore }, 'delay timer armed');
    // Not committed on its own: re-arming after a crash only makes the delay a little longer.
    return { steps: [], commit: false };
  }
  const startedAt = (activation.notBefore ?? now) - durationMs;
  const outcome = succeed(rc, state, node, activation, stepBase(activation, key, startedAt, now), DEFAULT_OUTPUT_PORT, activation.input);
  logger.info({ durationMs: now - startedAt }, 'delay elapsed');
  return outcome;
}

/** A join activation exists only once its branches arrived (see scheduleSuccessors): it forwards them. */
function processJoin(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): StepOutcome {
  const now = rc.clock.now();
  const step = stepBase(activation, activationIdempotencyKey(rc.run, node.id, activation.id), now, now);
  activationLogger(rc, activation, node.kind).info({ branches: Object.keys(activation.input as object) }, 'join passed');
  return succeed(rc, state, node, activation, step, DEFAULT_OUTPUT_PORT, activation.input);
}

/**
 * Wait-for-event and approval: the first visit evaluates the key and registers the wait in the
 * activation (committed, so the db can index it); deliverEvent marks it delivered; the visit after
 * a delivery or at the timeout completes the node.
 */
async function processWait(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): Promise<StepOutcome> {
  const now = rc.clock.now();
  const logger = activationLogger(rc, activation, node.kind);
  const key = activationIdempotencyKey(rc.run, node.id, activation.id);
  const kind: WaitKind = node.kind === 'approval' ? 'approval' : 'event';
  const wait = activation.wait;

  if (!wait) {
    const fail = (error: ClassifiedError) => failFinally(rc, state, node, activation, [stepBase(activation, key, now, now)], error, logger);
    const parsed = (kind === 'approval' ? ApprovalConfigSchema : WaitForEventConfigSchema).safeParse(node.config);
    if (!parsed.success) return fail(invalidConfig(node.kind, parsed.error));
    const evaluated = await evaluate(parsed.data.key, activation.input, rc.run.triggerPayload, `${node.kind} "${node.id}" key`);
    if (!evaluated.ok) return fail(evaluated.error);
    const value = evaluated.value;
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).length === 0) {
      return fail({
        code: 'wait_key_invalid',
        message: `${node.kind} "${node.id}": the key expression must yield a non-empty string or a number, got ${describeValue(value)}`,
        retryable: false,
      });
    }
    activation.wait = { kind, key: String(value), registeredAt: now };
    if (parsed.data.timeoutMs !== undefined) activation.wait.timeoutAt = now + parsed.data.timeoutMs;
    logger.info({ waitKind: kind, key: activation.wait.key, timeoutAt: activation.wait.timeoutAt }, 'wait registered');
    return { steps: [], commit: true };
  }

  const step = stepBase(activation, key, wait.registeredAt, now);
  if (wait.delivered) {
    const port = kind === 'approval' ? (wait.delivered.decision ?? 'rejected') : DEFAULT_OUTPUT_PORT;
    logger.info({ port, waitedMs: step.durationMs }, kind === 'approval' ? 'approval decided' : 'event received');
    return succeed(rc, state, node, activation, step, port, wait.delivered.payload);
  }
  // Due without a delivery: the timeout passed.
  const waitedMs = now - wait.registeredAt;
  if (rc.graph.targets(node.id, TIMEOUT_PORT).length > 0) {
    logger.warn({ waitedMs }, 'wait timed out; leaving by the timeout port');
    return succeed(rc, state, node, activation, step, TIMEOUT_PORT, activation.input);
  }
  // A timeout nobody handles must not end the branch silently: it fails like any other step.
  const what = kind === 'approval' ? 'decision' : 'event';
  return failFinally(
    rc,
    state,
    node,
    activation,
    [step],
    { code: 'wait_timeout', message: `no ${what} with key "${wait.key}" arrived within ${waitedMs} ms and the timeout port is not connected`, retryable: false },
    logger,
  );
}
