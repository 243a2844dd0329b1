import { DEFAULT_OUTPUT_PORT, TIMEOUT_PORT, WorkflowCallConfigSchema, type GraphNode } from '@switchyard/workflow';
import { evaluate } from './expressions';
import { activationLogger, failFinally, invalidConfig, stepBase, succeedInEngine, type StepOutcome } from './outcomes';
import type { Activation, ChildRunOutcome, ChildRunRequest, RunState } from './ports';
import { activationIdempotencyKey, type RunContext } from './run-context';
import type { ClassifiedError } from './step-error';

/**
 * workflow.call: a sub-workflow as a child run. Like a wait, it takes two visits:
 * 1. The first evaluates the child's input and registers a `child` wait keyed by the child's run
 *    idempotency key, and asks the store (ChildRunRequest) to start the child in the same commit.
 *    Re-executing this visit after a crash mints the same activation id, hence the same key, so the
 *    store finds the child it started instead of starting a second one.
 * 2. The store delivers the child's end (ChildRunOutcome) into the parent's inbox when the child
 *    commits its terminal status; the next visit leaves by `out` with the child's result, or fails
 *    (the `error` port, else the run) with the child's error. A timeout leaves by `timeout`.
 */

/** The child's run idempotency key: scoped to the parent run so two parents never share a child. */
export function childRunKey(parentRunId: string, stepKey: string): string {
  return `call:${parentRunId}:${stepKey}`;
}

export async function processCall(rc: RunContext, state: RunState, node: GraphNode, activation: Activation): Promise<StepOutcome> {
  const now = rc.clock.now();
  const logger = activationLogger(rc, activation, node.kind);
  const stepKey = activationIdempotencyKey(rc.run, node.id, activation.id);
  const wait = activation.wait;

  if (!wait) {
    const fail = (error: ClassifiedError) => failFinally(rc, state, node, activation, [stepBase(activation, stepKey, now, now)], error, logger);
    const parsed = WorkflowCallConfigSchema.safeParse(node.config);
    if (!parsed.success) return fail(invalidConfig(node.kind, parsed.error));
    const config = parsed.data;
    let input = activation.input;
    if (config.input !== undefined) {
      const evaluated = await evaluate(config.input, activation.input, rc.run.triggerPayload, `workflow.call "${node.id}" input`);
      if (!evaluated.ok) return fail(evaluated.error);
      input = evaluated.value ?? null;
    }
    const key = childRunKey(rc.run.id, stepKey);
    activation.wait = { kind: 'child', key, registeredAt: now };
    if (config.timeoutMs !== undefined) activation.wait.timeoutAt = now + config.timeoutMs;
    const request: ChildRunRequest = { activationId: activation.id, nodeId: node.id, workflow: config.workflow, input, idempotencyKey: key, effectKey: stepKey };
    if (config.version !== undefined) request.version = config.version;
    logger.info({ workflow: config.workflow, version: config.version ?? 'active', childKey: key }, 'child run requested');
    return { steps: [], commit: true, childRuns: [request] };
  }

  const step = stepBase(activation, stepKey, wait.registeredAt, now);
  if (wait.delivered) {
    const outcome = wait.delivered.payload as Partial<ChildRunOutcome> | null;
    if (outcome?.status === 'succeeded') {
      logger.info({ childRunId: outcome.runId, waitedMs: step.durationMs }, 'child run succeeded');
      return succeedInEngine(rc, state, node, activation, step, DEFAULT_OUTPUT_PORT, outcome.result ?? null);
    }
    return failFinally(rc, state, node, activation, [step], childFailure(node, outcome), logger);
  }
  const waitedMs = now - wait.registeredAt;
  if (rc.graph.targets(node.id, TIMEOUT_PORT).length > 0) {
    logger.warn({ waitedMs }, 'child run did not end in time; leaving by the timeout port');
    return succeedInEngine(rc, state, node, activation, step, TIMEOUT_PORT, activation.input);
  }
  return failFinally(
    rc,
    state,
    node,
    activation,
    [step],
    { code: 'call_timeout', message: `the child run did not end within ${waitedMs} ms and the timeout port is not connected`, retryable: false },
    logger,
  );
}

/**
 * Not retryable: a retry of the node would be the same child (same key), which has already ended.
 * Replaying the parent starts a new child (a new parent run, a new key).
 */
function childFailure(node: GraphNode, outcome: Partial<ChildRunOutcome> | null): ClassifiedError {
  const workflow = (node.config as { workflow?: unknown }).workflow;
  if (!outcome || outcome.status === 'not_started' || !outcome.runId) {
    return {
      code: outcome?.error?.code ?? 'call_not_started',
      message: outcome?.error?.message ?? `no child run of workflow ${JSON.stringify(workflow)} could be started`,
      retryable: false,
    };
  }
  const cause = outcome.error ? `: ${outcome.error.message}` : '';
  const error: ClassifiedError = {
    code: 'child_run_failed',
    message: `child run ${outcome.runId} of workflow ${JSON.stringify(workflow)} ended ${String(outcome.status)}${cause}`,
    retryable: false,
  };
  if (outcome.error?.status !== undefined) error.status = outcome.error.status;
  return error;
}
