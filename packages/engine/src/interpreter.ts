import { DEFAULT_OUTPUT_PORT } from '@switchyard/workflow';
import type { ClaimedRun, Clock, ExecutorRegistry, Logger, RunCommit, RunState, RunStore, StepError, StepRecord } from './ports';
import { processActivation } from './node-step';
import type { EngineDefaultsOverride } from './policy';
import { activationIdempotencyKey, type RunContext } from './run-context';
import {
  earliestWake,
  emptyState,
  firstDue,
  indexGraph,
  invalidGraph,
  mintActivationId,
  removeActivation,
  resolveTrigger,
  scheduleSuccessors,
} from './run-state';

export type RunOutcome =
  | { kind: 'finished'; status: 'succeeded' | 'failed' }
  /** Nothing is due before `wakeAt`: the run was committed as queued and should be released. */
  | { kind: 'parked'; wakeAt: number }
  /** Another worker holds the run now; nothing more was written. */
  | { kind: 'lease-lost' }
  /** `signal` aborted (worker draining): stopped between steps, nothing new committed. */
  | { kind: 'aborted' };

export interface ExecuteRunParams {
  run: ClaimedRun;
  store: RunStore;
  executors: ExecutorRegistry;
  clock: Clock;
  logger: Logger;
  defaults?: EngineDefaultsOverride;
  /** [0, 1) source for retry jitter; injectable so tests can pin exact delays. */
  random?: () => number;
  /** Drain signal: checked between steps. A step already running finishes and is committed. */
  signal?: AbortSignal;
  /** Safety bound on activations per run (default MAX_ACTIVATIONS_PER_RUN). */
  maxActivations?: number;
}

/**
 * Published graphs are acyclic, but fan-out into fan-in multiplies activations (every incoming edge
 * activates the target once); a bound turns a runaway run into a clear failure instead of a busy worker.
 */
export const MAX_ACTIVATIONS_PER_RUN = 10_000;

/**
 * Interprets a claimed run from its durable state until it finishes, parks on a timer, loses its
 * lease or is asked to stop. Deterministic given the ports: every decision is a function of the
 * stored state, the graph, executor results, the clock and `random`. Each step attempt is committed
 * with the new state before anything else happens, which is what lets a successor resume a crashed
 * run without repeating a completed step.
 */
export async function executeRun(params: ExecuteRunParams): Promise<RunOutcome> {
  const { run } = params;
  const rc: RunContext = {
    run,
    store: params.store,
    executors: params.executors,
    clock: params.clock,
    log: params.logger.child({ tenantId: run.tenantId, runId: run.id, correlationId: run.correlationId }),
    graph: indexGraph(run.graph),
    defaults: params.defaults ?? {},
    random: params.random ?? Math.random,
  };
  const aborted = () => params.signal?.aborted === true;
  if (aborted()) return { kind: 'aborted' };

  let state: RunState;
  if (run.state === null) {
    const seeded = seed(rc);
    if ('error' in seeded) return commitFailure(rc, seeded.state, [], seeded.error);
    state = seeded.state;
    const outcome = await commitProgress(rc, state, [seeded.step], run.triggerPayload);
    if (outcome) return outcome;
  } else {
    // A private copy: the caller's ClaimedRun stays as claimed, and stores may keep references.
    state = structuredClone(run.state);
    rc.log.info({ pending: state.pending.length }, 'run resumed');
  }

  const maxActivations = params.maxActivations ?? MAX_ACTIVATIONS_PER_RUN;
  for (;;) {
    if (aborted()) {
      rc.log.info({}, 'run slice aborted between steps');
      return { kind: 'aborted' };
    }
    if (state.seq > maxActivations) {
      const message = `run exceeded ${maxActivations} node activations; check the graph for fan-out that multiplies`;
      return commitFailure(rc, state, [], { code: 'activation_limit', message, retryable: false });
    }
    const activation = firstDue(state, rc.clock.now());
    if (!activation) {
      const outcome = await commitProgress(rc, state, [], undefined);
      if (outcome) return outcome;
      continue;
    }
    const node = rc.graph.node(activation.nodeId);
    if (!node) {
      removeActivation(state, activation.id);
      const error = invalidGraph(`an edge leads to node "${activation.nodeId}", which does not exist in the graph`);
      return commitFailure(rc, state, [], { ...error, nodeId: activation.nodeId });
    }
    const outcome = await processActivation(rc, state, node, activation);
    if (outcome.kind === 'timer-armed') continue;
    if (outcome.kind === 'run-failed') return commitFailure(rc, state, [outcome.step], outcome.error);
    const result = await commitProgress(rc, state, [outcome.step], outcome.completedOutput?.value);
    if (result) return result;
  }
}

/** Records the trigger as the run's first completed step and schedules what follows it. */
function seed(rc: RunContext): { state: RunState; step: StepRecord } | { state: RunState; error: StepError & { nodeId?: string } } {
  const state = emptyState();
  const trigger = resolveTrigger(rc.run.graph, rc.run.triggerNodeId);
  if ('error' in trigger) return { state, error: trigger.error };
  const { node } = trigger;
  const payload = rc.run.triggerPayload;
  const activationId = mintActivationId(state);
  const now = rc.clock.now();
  state.outputs[node.id] = payload;
  scheduleSuccessors(state, rc.graph, node.id, DEFAULT_OUTPUT_PORT, payload);
  rc.log.info({ nodeId: node.id, kind: node.kind, next: state.pending.length }, 'run started');
  return {
    state,
    step: {
      nodeId: node.id,
      activationId,
      attempt: 1,
      status: 'succeeded',
      idempotencyKey: activationIdempotencyKey(rc.run, node.id, activationId),
      input: payload,
      output: payload,
      port: DEFAULT_OUTPUT_PORT,
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
    },
  };
}

/**
 * Commits the state after a step (or with no step, to park) and decides what happens next: finished
 * when nothing is pending, parked when nothing is due yet, otherwise null (keep going).
 */
async function commitProgress(rc: RunContext, state: RunState, steps: StepRecord[], lastOutput: unknown): Promise<RunOutcome | null> {
  const now = rc.clock.now();
  let commit: RunCommit;
  if (state.pending.length === 0) {
    // A respond node's body is what the run produced; otherwise the output of the step that ended it.
    commit = { steps, state, status: 'succeeded', result: state.response !== undefined ? state.response.body : lastOutput };
  } else if (firstDue(state, now)) {
    commit = { steps, state, status: 'running' };
  } else {
    commit = { steps, state, status: 'queued', wakeAt: earliestWake(state, now) };
  }
  if ((await rc.store.commit(rc.run.id, rc.run.leaseToken, commit)) === 'lease-lost') return leaseLost(rc);
  if (commit.status === 'succeeded') {
    rc.log.info({ status: 'succeeded' }, 'run finished');
    return { kind: 'finished', status: 'succeeded' };
  }
  if (commit.status === 'queued' && commit.wakeAt !== undefined) {
    rc.log.info({ wakeAt: commit.wakeAt, inMs: commit.wakeAt - now }, 'run parked until a timer is due');
    return { kind: 'parked', wakeAt: commit.wakeAt };
  }
  return null;
}

async function commitFailure(rc: RunContext, state: RunState, steps: StepRecord[], error: StepError & { nodeId?: string }): Promise<RunOutcome> {
  const commit: RunCommit = { steps, state, status: 'failed', error };
  if ((await rc.store.commit(rc.run.id, rc.run.leaseToken, commit)) === 'lease-lost') return leaseLost(rc);
  rc.log.error({ status: 'failed', code: error.code, err: error.message, nodeId: error.nodeId }, 'run finished');
  return { kind: 'finished', status: 'failed' };
}

function leaseLost(rc: RunContext): RunOutcome {
  rc.log.warn({}, 'lease lost: another worker owns the run; stopping without further writes');
  return { kind: 'lease-lost' };
}
