import { DEFAULT_OUTPUT_PORT } from '@switchyard/workflow';
import type { ClaimedRun, Clock, ExecutorRegistry, Logger, RunState, RunStore, StepError, StepRecord } from './ports';
import type { EngineDefaultsOverride } from './policy';
import { activationIdempotencyKey, type RunContext } from './run-context';
import { deliverEvent } from './deliver-event';
import { RunLoop, type RunOutcome } from './run-loop';
import { emptyState, indexGraph, mintActivationId, resolveTrigger, scheduleSuccessors } from './run-state';

export type { RunOutcome } from './run-loop';

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
  /** Executor attempts of one run in flight at once (default DEFAULT_MAX_CONCURRENT_STEPS). */
  maxConcurrentSteps?: number;
  /**
   * Commit a new run's trigger step with its first step instead of on its own (one transaction
   * less per run). Safe because seeding is deterministic: activation ids come from the state's
   * counter, so if the worker dies before that commit, the next claim seeds the run again
   * identically and the first step runs again with the same idempotency key, as any step in flight
   * during a crash would. Until then the run shows no step in its history.
   */
  deferTriggerCommit?: boolean;
  /**
   * Node kinds whose executors touch nothing outside the run and are deterministic (transform,
   * condition, canonical validation). Successful steps of these kinds are group-committed: their
   * records and the state go out together with the next commit (at most PURE_STEPS_PER_COMMIT of
   * them, or PURE_STEPS_MAX_DEFER_MS after the first), instead of one transaction each. Safe
   * because nothing outside the run saw them: after a crash they run again from the last commit and
   * produce the same results. Any other step only ever starts from committed state, so its
   * activation id (and idempotency key) never depends on steps that were not yet committed.
   */
  pureKinds?: ReadonlySet<string>;
}

const NO_PURE_KINDS: ReadonlySet<string> = new Set();

/** Parallel branches and map items of one run share this many executor slots by default. */
export const DEFAULT_MAX_CONCURRENT_STEPS = 8;

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
    pureKinds: params.pureKinds ?? NO_PURE_KINDS,
  };
  if (params.signal?.aborted) return { kind: 'aborted' };
  let steps: StepRecord[] = [];

  let state: RunState;
  let lastOutput: unknown;
  if (run.state === null) {
    const seeded = seed(rc);
    if ('error' in seeded) return commitSeedFailure(rc, seeded.state, seeded.error);
    state = seeded.state;
    lastOutput = run.triggerPayload;
    steps = [seeded.step];
  } else {
    // A private copy: the caller's ClaimedRun stays as claimed, and stores may keep references.
    state = structuredClone(run.state);
    rc.log.info({ pending: state.pending.length }, 'run resumed');
  }
  const inbox = applyInbox(rc, state);
  state = inbox.state;
  const loop = new RunLoop(
    rc,
    state,
    {
      maxActivations: params.maxActivations ?? MAX_ACTIVATIONS_PER_RUN,
      maxConcurrentSteps: Math.max(1, params.maxConcurrentSteps ?? DEFAULT_MAX_CONCURRENT_STEPS),
      ...(params.signal ? { signal: params.signal } : {}),
    },
    lastOutput,
    inbox.ids,
  );
  return loop.run(steps, params.deferTriggerCommit === true);
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
 * Applies the events and decisions queued while another worker held the run. Each is consumed
 * whether it matched or not (a delivery for a wait that timed out or ended is moot); one that
 * matched nothing or was malformed is logged, never thrown, so one bad row cannot wedge the run.
 */
function applyInbox(rc: RunContext, state: RunState): { state: RunState; ids: string[] } {
  const deliveries = rc.run.deliveries ?? [];
  let current = state;
  for (const queued of deliveries) {
    const { id, receivedAt, ...delivery } = queued;
    try {
      const result = deliverEvent(current, delivery, { now: receivedAt });
      current = result.state;
      rc.log.info({ deliveryId: id, waitKind: delivery.kind, key: delivery.key, matched: result.activationIds }, 'queued delivery applied');
    } catch (err) {
      rc.log.error({ deliveryId: id, err: err instanceof Error ? err.message : String(err) }, 'queued delivery is malformed; dropped');
    }
  }
  return { state: current, ids: deliveries.map((d) => d.id) };
}

/** A run that cannot even start (no trigger): failed, with nothing to compensate. */
async function commitSeedFailure(rc: RunContext, state: RunState, error: StepError & { nodeId?: string }): Promise<RunOutcome> {
  if ((await rc.store.commit(rc.run.id, rc.run.leaseToken, { steps: [], state, status: 'failed', error, waits: [] })) === 'lease-lost') {
    rc.log.warn({}, 'lease lost: another worker owns the run; stopping without further writes');
    return { kind: 'lease-lost' };
  }
  rc.log.error({ status: 'failed', code: error.code, err: error.message }, 'run finished');
  return { kind: 'finished', status: 'failed' };
}
