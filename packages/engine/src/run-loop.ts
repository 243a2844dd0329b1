import type { GraphNode } from '@switchyard/workflow';
import { failRun, startCompensation, terminalFailureStatus } from './compensation';
import { isControlActivation, processControl } from './control-steps';
import { applyExecution, execute, type Execution } from './node-step';
import type { StepOutcome } from './outcomes';
import type { Activation, ChildRunRequest, RunCommit, RunState, StepError, StepRecord } from './ports';
import type { RunContext } from './run-context';
import { PURE_STEPS_MAX_DEFER_MS, PURE_STEPS_PER_COMMIT } from './pure-steps';
import { earliestWake, firstDue, invalidGraph, isDue, openWaits, releasePartialJoin, removeActivation } from './run-state';

export type RunOutcome =
  | { kind: 'finished'; status: 'succeeded' | 'failed' | 'compensated' | 'compensation_failed' }
  /** Nothing is due before `wakeAt`: the run was committed as queued and should be released. */
  | { kind: 'parked'; wakeAt: number }
  /** Parked on open waits: claimable at `wakeAt` (a timeout or timer) or when an event is delivered. */
  | { kind: 'waiting'; wakeAt?: number }
  /** Another worker holds the run now; nothing more was written. */
  | { kind: 'lease-lost' }
  /** `signal` aborted (worker draining): stopped between steps, nothing new committed. */
  | { kind: 'aborted' };

export interface LoopOptions {
  maxActivations: number;
  /** Executor attempts of one run in flight at once (parallel branches, map items). */
  maxConcurrentSteps: number;
  signal?: AbortSignal;
}

interface Settled {
  node: GraphNode;
  exec: Execution;
}

/**
 * One slice of a run on one worker. Executor attempts of due activations run concurrently (up to
 * `maxConcurrentSteps`), but only this loop touches the state: a finished attempt is folded in and
 * committed before the next one is looked at, so commits are serialised and each commit's state
 * matches exactly the steps recorded so far. An activation only ever starts from committed state,
 * which keeps the ids (and so the idempotency keys) of what runs stable across crashes.
 */
export class RunLoop {
  private readonly inFlight = new Map<string, Promise<Settled>>();
  /** Aborted when the slice ends early (lease lost, crash): attempts still running are told to stop. */
  private readonly stop = new AbortController();
  private lastOutput: unknown;
  /** The deferred trigger step: it goes out with the first commit of the slice. */
  private carried: StepRecord[] = [];
  /** Successful pure steps among `carried` (group commit, see ExecuteRunParams.pureKinds), and when the first was deferred. */
  private carriedPure = 0;
  private carriedPureSince = 0;
  /** Child runs requested since the last commit; they go out with the next one (and only once it lands). */
  private childRuns: ChildRunRequest[] = [];

  constructor(
    private readonly rc: RunContext,
    private readonly state: RunState,
    private readonly opts: LoopOptions,
    lastOutput?: unknown,
    /** Inbox deliveries applied to `state`; reported once, with the first commit that lands. */
    private consumedDeliveries: string[] = [],
  ) {
    this.lastOutput = lastOutput;
  }

  /**
   * `initialSteps`: the trigger step of a run's first slice, committed before anything runs, or
   * with `deferInitial` together with the first commit that follows (see ExecuteRunParams.deferTriggerCommit).
   */
  async run(initialSteps: StepRecord[] = [], deferInitial = false): Promise<RunOutcome> {
    if (deferInitial) this.carried = initialSteps;
    try {
      if (!deferInitial && initialSteps.length > 0) {
        const outcome = await this.commit(initialSteps);
        if (outcome) return outcome;
      }
      return await this.loop();
    } finally {
      if (this.inFlight.size > 0) this.stop.abort(new Error('run slice ended'));
    }
  }

  private async loop(): Promise<RunOutcome> {
    const { rc, state } = this;
    for (;;) {
      const draining = this.opts.signal?.aborted === true;
      if (!draining) {
        if (!state.failure && state.seq > this.opts.maxActivations) {
          const message = `run exceeded ${this.opts.maxActivations} node activations; check the graph for fan-out that multiplies`;
          const outcome = await this.handle({ steps: [], runFailure: { code: 'activation_limit', message, retryable: false }, commit: true });
          if (outcome) return outcome;
          continue;
        }
        const next = this.nextStartable();
        if (next) {
          if (this.carriedPure > 0 && !this.isPureActivation(next)) {
            // An effect starts only from committed state (its activation id must not depend on
            // steps a crash could replay in another order).
            const flushed = await this.commit([]);
            if (flushed) return flushed;
            continue;
          }
          const outcome = await this.start(next);
          if (outcome) return outcome;
          continue;
        }
      }
      if (this.inFlight.size > 0) {
        const settled = await Promise.race(this.inFlight.values());
        this.inFlight.delete(settled.exec.activation.id);
        const outcome = await this.handle(applyExecution(rc, state, settled.node, settled.exec), this.isPureActivation(settled.exec.activation));
        if (outcome) return outcome;
        continue;
      }
      if (draining) {
        if (this.carriedPure > 0) {
          // Stopping between steps: what ran is recorded before the slice lets go of the run.
          const flushed = await this.commit([]);
          if (flushed) return flushed;
        }
        rc.log.info({}, 'run slice aborted between steps');
        return { kind: 'aborted' };
      }
      // Nothing due and nothing running: finish, park, or move on (a join released, compensation started).
      const outcome = await this.commit([]);
      if (outcome) return outcome;
    }
  }

  /** The first due activation not yet running that may start now (control kinds need no slot). */
  private nextStartable(): Activation | undefined {
    const now = this.rc.clock.now();
    for (const activation of this.state.pending) {
      if (this.inFlight.has(activation.id) || !isDue(activation, now)) continue;
      const node = this.rc.graph.node(activation.nodeId);
      if (!node || isControlActivation(node, activation) || this.inFlight.size < this.opts.maxConcurrentSteps) return activation;
    }
    return undefined;
  }

  private async start(activation: Activation): Promise<RunOutcome | null> {
    const { rc, state } = this;
    const node = rc.graph.node(activation.nodeId);
    if (!node) {
      removeActivation(state, activation.id);
      const error = invalidGraph(`an edge leads to node "${activation.nodeId}", which does not exist in the graph`);
      return this.handle({ steps: [], runFailure: { ...error, nodeId: activation.nodeId }, commit: true });
    }
    if (isControlActivation(node, activation)) return this.handle(await processControl(rc, state, node, activation));
    const settled = execute(rc, node, activation, this.stop.signal).then((exec) => ({ node, exec }));
    this.inFlight.set(activation.id, settled);
    return null;
  }

  private async handle(outcome: StepOutcome, pure = false): Promise<RunOutcome | null> {
    if (outcome.completedOutput) this.lastOutput = outcome.completedOutput.value;
    if (outcome.childRuns) this.childRuns.push(...outcome.childRuns);
    if (outcome.runFailure) failRun(this.state, outcome.runFailure);
    else if (!outcome.commit) return null;
    else if (pure && this.mayDefer(outcome)) {
      if (this.carriedPure === 0) this.carriedPureSince = this.rc.clock.now();
      this.carried.push(...outcome.steps);
      this.carriedPure += outcome.steps.length;
      return null;
    }
    return this.commit(outcome.steps);
  }

  /** Whether a node kind's executor is pure (group-committable); control activations are committed as they come. */
  private isPureActivation(activation: Activation): boolean {
    const node = this.rc.graph.node(activation.nodeId);
    return node !== undefined && activation.compensates === undefined && this.rc.pureKinds.has(node.kind) && !isControlActivation(node, activation);
  }

  /**
   * A pure step's outcome waits for the next commit when it succeeded, set no response (a waiting
   * synchronous caller is told by that commit), asked for nothing else, the run still has work to do
   * right away, and the batch is within its size and age bounds.
   */
  private mayDefer(outcome: StepOutcome): boolean {
    const { state, rc } = this;
    if (outcome.childRuns?.length || state.failure || state.response !== undefined) return false;
    if (outcome.steps.some((step) => step.status !== 'succeeded')) return false;
    if (this.carriedPure + outcome.steps.length >= PURE_STEPS_PER_COMMIT) return false;
    const now = rc.clock.now();
    if (this.carriedPure > 0 && now - this.carriedPureSince >= PURE_STEPS_MAX_DEFER_MS) return false;
    return this.inFlight.size > 0 || firstDue(state, now) !== undefined;
  }

  /** Moves the run on where nothing else will: compensation once nothing forward runs, a join whose other branches ended. */
  private advance(): void {
    const { rc, state } = this;
    if (this.inFlight.size > 0) return;
    if (state.failure && !state.failure.compensating) startCompensation(rc, state);
    else if (!state.failure && state.pending.length === 0) releasePartialJoin(state, rc.graph);
  }

  /** Commits the state with `steps` and says whether the slice ends here (null: keep going). */
  private async commit(recorded: StepRecord[]): Promise<RunOutcome | null> {
    const { rc, state } = this;
    const steps = this.carried.length > 0 ? [...this.carried, ...recorded] : recorded;
    this.advance();
    const now = rc.clock.now();
    const busy = this.inFlight.size > 0 || firstDue(state, now) !== undefined;
    const waits = openWaits(state);
    let commit: RunCommit;
    let outcome: RunOutcome | null = null;
    if (state.failure && state.failure.compensating && state.pending.length === 0) {
      const status = terminalFailureStatus(state.failure);
      commit = { steps, state, status, error: state.failure.error, waits };
      outcome = { kind: 'finished', status };
    } else if (!state.failure && state.pending.length === 0 && !busy) {
      // A respond node's body is what the run produced; otherwise the output of the step that ended it.
      commit = { steps, state, status: 'succeeded', result: state.response !== undefined ? state.response.body : this.lastOutput, waits };
      outcome = { kind: 'finished', status: 'succeeded' };
    } else if (busy) {
      commit = { steps, state, status: 'running', waits };
    } else {
      const wakeAt = earliestWake(state, now);
      if (waits.length > 0) {
        commit = { steps, state, status: 'waiting', waits, ...(wakeAt === undefined ? {} : { wakeAt }) };
        outcome = wakeAt === undefined ? { kind: 'waiting' } : { kind: 'waiting', wakeAt };
      } else {
        commit = { steps, state, status: 'queued', wakeAt: wakeAt ?? now, waits };
        outcome = { kind: 'parked', wakeAt: wakeAt ?? now };
      }
    }
    if (this.consumedDeliveries.length > 0) commit.consumedDeliveries = this.consumedDeliveries;
    // A run that failed meanwhile no longer waits for them: its child waits were cancelled with it.
    const childRuns = this.childRuns.filter((c) => state.pending.some((a) => a.id === c.activationId));
    if (childRuns.length > 0) commit.childRuns = childRuns;
    if ((await rc.store.commit(rc.run.id, rc.run.leaseToken, commit)) === 'lease-lost') {
      rc.log.warn({}, 'lease lost: another worker owns the run; stopping without further writes');
      return { kind: 'lease-lost' };
    }
    this.consumedDeliveries = [];
    this.carried = [];
    this.carriedPure = 0;
    this.childRuns = [];
    if (outcome) logOutcome(rc, outcome, commit.error, now);
    return outcome;
  }
}

function logOutcome(rc: RunContext, outcome: RunOutcome, error: (StepError & { nodeId?: string }) | undefined, now: number): void {
  if (outcome.kind === 'finished') {
    if (outcome.status === 'succeeded') rc.log.info({ status: outcome.status }, 'run finished');
    else rc.log.error({ status: outcome.status, code: error?.code, err: error?.message, nodeId: error?.nodeId }, 'run finished');
  } else if (outcome.kind === 'parked') {
    rc.log.info({ wakeAt: outcome.wakeAt, inMs: outcome.wakeAt - now }, 'run parked until a timer is due');
  } else if (outcome.kind === 'waiting') {
    rc.log.info({ wakeAt: outcome.wakeAt }, 'run waiting for an event or a decision');
  }
}
