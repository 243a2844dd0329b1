import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeExecutionError, type Graph, type NodeExecutor } from '@switchyard/workflow';
import { graph as build } from '@switchyard/workflow/testing';
import {
  TERMINAL_RUN_STATUSES,
  deliverEvent,
  executeRun,
  type ClaimedRun,
  type Clock,
  type RunCommit,
  type RunOutcome,
  type RunStore,
} from '../src/index';
import { MemoryRunStore, RecordingLogger, SimulatedCrashError, claimedRun, type MemoryRunStoreOptions } from '../src/testing/index';

/**
 * The run state machine under random graphs, random executor outcomes, random crashes and random
 * event timing. Whatever happens: the run ends terminal, nothing runs after it ended, no forward
 * step runs after the run failed, no completed activation runs again, nothing pending is lost, and
 * the saga undoes exactly what completed.
 */

type Outcome = 'ok' | 'retryable' | 'permanent' | 'timeout';
type Kind = 'step' | 'cond' | 'join' | 'delay' | 'map' | 'wait';

interface Scenario {
  kinds: Kind[];
  parents: number[];
  compensate: boolean[];
  errorEdges: boolean[];
  items: number[];
  concurrency: number;
  outcomes: Outcome[];
  crashes: (MemoryRunStoreOptions | null)[];
  deliverFirst: boolean[];
}

const policy = { retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 }, timeoutMs: 1_000 };

/** A DAG: node i hangs off earlier nodes only; joins get two distinct parents or become steps. */
function makeGraph(s: Scenario): Graph {
  const g = build().node('t', 'trigger.manual');
  const ids: string[] = ['t'];
  const kindOf = new Map<string, Kind | 'trigger'>([['t', 'trigger']]);
  let p = 0;
  const nextParent = () => s.parents[p++ % s.parents.length]!;
  s.kinds.forEach((chosen, i) => {
    const id = `n${i + 1}`;
    let kind = chosen;
    if (kind === 'join' && ids.length < 2) kind = 'step';
    const comp = s.compensate[i % s.compensate.length] ? { compensation: { kind: 'undo', config: {} } } : {};
    if (kind === 'step' || kind === 'cond') g.node(id, kind, {}, { policy, ...(kind === 'step' ? comp : {}) });
    else if (kind === 'delay') g.node(id, 'delay', { durationMs: 5 });
    else if (kind === 'wait') g.node(id, 'wait.event', { key: '"k"', timeoutMs: 50 });
    else if (kind === 'map') {
      g.node(id, 'map', { items: '$trigger.items', concurrency: s.concurrency, onItemError: s.errorEdges[i % s.errorEdges.length] ? 'continue' : 'fail' });
      g.node(`${id}b`, 'step', {}, { policy, ...comp }).edge(id, `${id}b`, 'item');
    } else g.node(id, 'join');
    const parentCount = kind === 'join' ? 2 : 1;
    const chosenParents = new Set<string>();
    while (chosenParents.size < parentCount) chosenParents.add(ids[(nextParent() + chosenParents.size) % ids.length]!);
    for (const parent of chosenParents) {
      const parentKind = kindOf.get(parent);
      const port = parentKind === 'cond' ? (nextParent() % 2 ? 'true' : 'false') : parentKind === 'wait' ? (nextParent() % 2 ? 'out' : 'timeout') : 'out';
      g.edge(parent, id, port);
    }
    if (kind === 'step' && s.errorEdges[i % s.errorEdges.length]) g.node(`${id}e`, 'step', {}, { policy }).edge(id, `${id}e`, 'error');
    ids.push(id);
    kindOf.set(id, kind);
  });
  return g.build();
}

/** Timers fire on the next macrotask whatever their length, so a hung executor times out at once; `now` moves only when set. */
class AutoClock implements Clock {
  current = 0;
  now(): number {
    return this.current;
  }
  set(time: number): void {
    this.current = Math.max(this.current, time);
  }
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearImmediate(timer);
        reject(signal?.reason);
      };
      const timer = setImmediate(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

interface Call {
  key: string;
  phase: string | undefined;
  tick: number;
}

/** Stamps every executor call and every accepted commit with one global sequence number. */
class World {
  tick = 0;
  readonly calls: Call[] = [];
  readonly store = new MemoryRunStore();
  readonly commitTicks: number[] = [];
  private next = 0;
  constructor(private readonly outcomes: Outcome[]) {}

  readonly runStore: RunStore = {
    commit: (runId, token, commit) => {
      const before = this.store.commits.length;
      const result = this.store.commit(runId, token, commit);
      if (this.store.commits.length > before) this.commitTicks.push(++this.tick);
      return result;
    },
  };

  private executor(decide: (outcome: Outcome) => Promise<{ output: unknown; port?: string }>): NodeExecutor {
    return (ctx) => {
      this.calls.push({ key: ctx.idempotencyKey, phase: ctx.phase, tick: ++this.tick });
      const outcome = this.outcomes[this.next++] ?? 'ok';
      if (outcome === 'retryable') return Promise.reject(new NodeExecutionError('503', { code: 'http_status', retryable: true, status: 503 }));
      if (outcome === 'permanent') return Promise.reject(new NodeExecutionError('422', { code: 'http_status', retryable: false, status: 422 }));
      if (outcome === 'timeout') return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      return decide(outcome);
    };
  }

  readonly executors = {
    step: this.executor(() => Promise.resolve({ output: this.tick })),
    undo: this.executor(() => Promise.resolve({ output: 'undone' })),
    cond: this.executor(() => Promise.resolve({ output: this.tick, port: this.tick % 2 ? 'true' : 'false' })),
  };
}

async function drive(s: Scenario): Promise<{ world: World; g: Graph; status: string }> {
  const g = makeGraph(s);
  const world = new World(s.outcomes);
  const clock = new AutoClock();
  const logger = new RecordingLogger();
  const first = claimedRun(g, { triggerPayload: { items: s.items } });
  let claimed: ClaimedRun = first;
  let crashes = 0;
  for (let slice = 0; slice < 300; slice++) {
    const crash = s.crashes[crashes++] ?? null;
    world.store.simulate(crash ?? {});
    let outcome: RunOutcome;
    try {
      outcome = await executeRun({ run: claimed, store: world.runStore, executors: world.executors, clock, logger, random: () => 0, maxConcurrentSteps: 3 });
    } catch (err) {
      if (!(err instanceof SimulatedCrashError)) throw err;
      world.store.simulate({});
      await new Promise((r) => setImmediate(r)); // let the dead slice's aborted attempts settle
      // The worker died after the terminal commit: like the db, never claim a finished run again.
      const latest = world.store.latest('run-1');
      if (latest && TERMINAL_RUN_STATUSES.includes(latest.status)) return { world, g, status: latest.status };
      claimed = world.store.claim(first);
      continue;
    }
    world.store.simulate({});
    if (outcome.kind === 'finished') return { world, g, status: outcome.status };
    if (outcome.kind === 'lease-lost' || outcome.kind === 'aborted') throw new Error(`unexpected outcome ${outcome.kind}`);
    claimed = world.store.claim(first);
    if (outcome.kind === 'waiting' && (s.deliverFirst[slice % s.deliverFirst.length] || outcome.wakeAt === undefined)) {
      const delivered = deliverEvent(claimed.state!, { kind: 'event', key: 'k', payload: 'event' }, { now: clock.now() });
      if (delivered.matched) {
        claimed = { ...claimed, state: delivered.state };
        continue;
      }
    }
    if (outcome.wakeAt !== undefined) clock.set(outcome.wakeAt);
  }
  throw new Error('the run did not end within 300 slices');
}

function checkInvariants(world: World, g: Graph, status: string): void {
  const commits: RunCommit[] = world.store.commitsOf('run-1');
  const last = commits.at(-1)!;
  // Ends terminal, and terminal only once: nothing is committed after the run ended.
  expect(TERMINAL_RUN_STATUSES).toContain(last.status);
  expect(last.status).toBe(status);
  expect(commits.slice(0, -1).every((c) => !TERMINAL_RUN_STATUSES.includes(c.status))).toBe(true);
  const endTick = world.commitTicks.at(-1)!;
  expect(world.calls.every((c) => c.tick < endTick)).toBe(true);

  // No forward step starts after the commit that recorded the run's failure.
  const failedAt = commits.findIndex((c) => c.state.failure !== undefined);
  if (failedAt >= 0) expect(world.calls.filter((c) => c.phase === undefined && c.tick > world.commitTicks[failedAt]!)).toEqual([]);

  // A finished activation (success, routed or exhausted failure) never executes again.
  commits.forEach((commit, i) => {
    for (const step of commit.steps) {
      const finished = step.status === 'succeeded' || step.retryAt === undefined;
      if (!finished) continue;
      const again = world.calls.filter((c) => c.key === step.idempotencyKey && c.tick > world.commitTicks[i]!);
      expect(again, `${step.activationId} ran again after it finished`).toEqual([]);
    }
  });
  const steps = commits.flatMap((c) => c.steps);
  const attempts = steps.map((s) => `${s.activationId}#${s.attempt}`);
  expect(new Set(attempts).size).toBe(attempts.length);

  // Nothing pending is lost: every activation ever committed as pending reached a final step, unless
  // the run failed and cancelled its forward work.
  const finalIds = new Set(steps.filter((s) => s.status === 'succeeded' || s.retryAt === undefined).map((s) => s.activationId));
  const everPending = new Set(commits.flatMap((c) => c.state.pending.map((a) => a.id)));
  for (const id of everPending) {
    if (finalIds.has(id)) continue;
    expect(status !== 'succeeded' && !id.endsWith('.c'), `pending activation ${id} was lost (run ${status})`).toBe(true);
  }
  if (status === 'succeeded') {
    expect(last.state.pending).toEqual([]);
    expect(last.state.maps).toBeUndefined();
    expect(last.state.joins).toBeUndefined();
  }

  // The saga undoes exactly the completed steps that declared a compensation, newest first.
  const compensable = new Set(g.nodes.filter((n) => n.compensation).map((n) => n.id));
  const done = steps.filter((s) => s.phase === undefined && s.status === 'succeeded' && compensable.has(s.nodeId));
  const undone = steps.filter((s) => s.phase === 'compensation' && (s.status === 'succeeded' || s.retryAt === undefined));
  if (status === 'succeeded') expect(undone).toEqual([]);
  else {
    expect(undone.map((s) => s.activationId)).toEqual(done.map((s) => `${s.activationId}.c`).reverse());
    if (status === 'failed') expect(done).toEqual([]);
    if (status === 'compensated') expect(undone.every((s) => s.status === 'succeeded') && undone.length > 0).toBe(true);
    if (status === 'compensation_failed') expect(undone.some((s) => s.status === 'failed')).toBe(true);
  }
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  kinds: fc.array(fc.constantFrom<Kind>('step', 'step', 'cond', 'join', 'delay', 'map', 'wait'), { minLength: 1, maxLength: 7 }),
  parents: fc.array(fc.nat(20), { minLength: 1, maxLength: 16 }),
  compensate: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  errorEdges: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  items: fc.array(fc.nat(9), { maxLength: 4 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
  outcomes: fc.array(fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'retryable', 'permanent', 'timeout'), { maxLength: 40 }),
  crashes: fc.array(
    fc.oneof(
      fc.constant(null),
      fc.integer({ min: 1, max: 6 }).map((n) => ({ crashAfterCommit: n })),
      fc.integer({ min: 1, max: 6 }).map((n) => ({ crashBeforeCommit: n })),
    ),
    { maxLength: 8 },
  ),
  deliverFirst: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
});

const stats: Record<string, number> = {};

describe('run state machine (property)', () => {
  it('always ends terminal without re-running finished work or losing pending work', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { world, g, status } = await drive(s);
        checkInvariants(world, g, status);
        if (process.env.PROPERTY_STATS) {
          const steps = world.store.steps('run-1');
          stats[status] = (stats[status] ?? 0) + 1;
          for (const k of ['map', 'join', 'wait.event', 'delay']) if (steps.some((st) => g.nodes.find((n) => n.id === st.nodeId)?.kind === k)) stats[k] = (stats[k] ?? 0) + 1;
          if (world.store.attempts > world.store.commits.length) stats.crashed = (stats.crashed ?? 0) + 1;
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
    if (process.env.PROPERTY_STATS) console.warn(stats);
  });
});
