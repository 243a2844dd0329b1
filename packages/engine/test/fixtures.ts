import { NodeExecutionError, type Graph, type NodeExecutor, type NodePolicy } from '@switchyard/workflow';
import { graph } from '@switchyard/workflow/testing';
import { executeRun, type ClaimedRun, type ExecuteRunParams, type ExecutorContext, type RunOutcome } from '../src/index';
import { FakeClock, MemoryRunStore, RecordingLogger, claimedRun } from '../src/testing/index';

/** trigger → n1 → n2 → … (kind `step` unless given). */
export function chain(ids: string[], kind = 'step', policy?: NodePolicy): Graph {
  const builder = graph().node('trigger', 'trigger.manual');
  ids.forEach((id, i) => builder.node(id, kind, {}, policy ? { policy } : {}).edge(i === 0 ? 'trigger' : ids[i - 1]!, id));
  return builder.build();
}

export interface Call {
  nodeId: string;
  attempt: number;
  idempotencyKey: string;
  correlationId: string;
  input: unknown;
  config: unknown;
}

/** Records every executor call; `wrap` turns a plain function into a recorded executor. */
export class CallLog {
  readonly calls: Call[] = [];
  wrap(fn: (ctx: ExecutorContext, config: unknown, input: unknown) => unknown): NodeExecutor {
    return async (ctx, config, input) => {
      this.calls.push({ nodeId: ctx.nodeId, attempt: ctx.attempt, idempotencyKey: ctx.idempotencyKey, correlationId: ctx.correlationId, input, config });
      return (await fn(ctx, config, input)) as Awaited<ReturnType<NodeExecutor>>;
    };
  }
  of(nodeId: string): Call[] {
    return this.calls.filter((c) => c.nodeId === nodeId);
  }
  countsByNode(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.calls) counts[c.nodeId] = (counts[c.nodeId] ?? 0) + 1;
    return counts;
  }
}

export function retryable(message = 'upstream 503', extra: { status?: number; retryAfterMs?: number } = {}): NodeExecutionError {
  return new NodeExecutionError(message, { code: 'http_status', retryable: true, status: 503, ...extra });
}

export function permanent(message = 'upstream said 422', status = 422): NodeExecutionError {
  return new NodeExecutionError(message, { code: 'http_status', retryable: false, status });
}

/** One test's world: fake clock at a fixed epoch, memory store, recording logger, fixed jitter. */
export function harness(opts: { start?: number; random?: () => number } = {}) {
  const clock = new FakeClock(opts.start ?? 1_000_000);
  const store = new MemoryRunStore();
  const logger = new RecordingLogger();
  const random = opts.random ?? (() => 0);
  const run = (claimed: ClaimedRun, executors: ExecuteRunParams['executors'], extra: Partial<ExecuteRunParams> = {}): Promise<RunOutcome> =>
    executeRun({ run: claimed, store, executors, clock, logger, random, ...extra });
  return { clock, store, logger, random, run, claimedRun };
}

/**
 * Plays the worker: runs, and whenever the run parks, moves the clock to its wake time and claims it
 * again. Bounded, so an interpreter that parks forever fails the test instead of hanging it.
 */
export async function driveToEnd(
  h: ReturnType<typeof harness>,
  claimed: ClaimedRun,
  executors: ExecuteRunParams['executors'],
  maxSlices = 20,
): Promise<{ outcome: RunOutcome; wakes: number[] }> {
  const wakes: number[] = [];
  let outcome = await h.run(claimed, executors);
  while (outcome.kind === 'parked') {
    if (wakes.length >= maxSlices) throw new Error(`run still parked after ${maxSlices} slices (wakes: ${wakes.join(', ')})`);
    wakes.push(outcome.wakeAt);
    h.clock.set(Math.max(h.clock.now(), outcome.wakeAt));
    outcome = await h.run(h.store.claim(claimed), executors);
  }
  return { outcome, wakes };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets queued microtasks (executor starts, commits) run before the test looks. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/**
 * An executor whose calls stay open until the test releases them: shows how many run at once.
 * `release(n)` resolves the n oldest open calls with the result of `output(input)`.
 */
export class Gate {
  readonly open: { input: unknown; key: string; done: Deferred<void> }[] = [];
  maxOpen = 0;
  constructor(private readonly output: (input: unknown) => unknown = (input) => input) {}
  readonly executor: NodeExecutor = async (ctx, _config, input) => {
    const done = deferred<void>();
    this.open.push({ input, key: ctx.idempotencyKey, done });
    this.maxOpen = Math.max(this.maxOpen, this.open.length);
    await done.promise;
    return { output: this.output(input) };
  };
  release(n = this.open.length): void {
    for (const call of this.open.splice(0, n)) call.done.resolve();
  }
}
