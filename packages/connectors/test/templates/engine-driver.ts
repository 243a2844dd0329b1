import { executeRun, type ClaimedRun, type Clock, type ExecutorRegistry, type RunOutcome } from '@switchyard/engine';
import { claimedRun, MemoryRunStore, RecordingLogger } from '@switchyard/engine/testing';
import type { Graph } from '@switchyard/workflow';

/**
 * Real time for everything but durable timers: when a run parks (retry backoff, Retry-After), the
 * clock jumps to its wake-up instead of the test sleeping, as a worker claiming it later would see.
 */
export class SkippingClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  skipTo(at: number): void {
    this.offset += Math.max(0, at - this.now());
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
}

export interface DriveResult {
  outcome: RunOutcome;
  /** Slices of executeRun it took (claims, as workers would). */
  slices: number;
  /** The run as last claimed, to resume it (e.g. after delivering an event). */
  run: ClaimedRun;
}

type Env = { store: MemoryRunStore; executors: ExecutorRegistry; clock: SkippingClock; logger: RecordingLogger; tenantId?: string };

/**
 * Runs one workflow run through the real engine until it finishes or waits for an event: claim,
 * execute, and when it parks on a timer, jump the clock and claim it again.
 */
export async function drive(env: Env, graph: Graph, payload: unknown, runId: string, idempotencyKey: string | null = null): Promise<DriveResult> {
  const run = env.store.claim(claimedRun(graph, { id: runId, tenantId: env.tenantId ?? 'tenant-1', correlationId: `corr-${runId}`, idempotencyKey, triggerPayload: payload }));
  return resume(env, run);
}

/** Goes on with a claimed run until it finishes or waits for an event. */
export async function resume(env: Env, claimed: ClaimedRun): Promise<DriveResult> {
  let run = claimed;
  for (let slices = 1; slices <= 200; slices++) {
    const outcome = await executeRun({ run, store: env.store, executors: env.executors, clock: env.clock, logger: env.logger });
    if (outcome.kind !== 'parked') return { outcome, slices, run };
    env.clock.skipTo(outcome.wakeAt);
    run = env.store.claim(run);
  }
  throw new Error(`run ${claimed.id} did not finish in 200 slices`);
}

/** Delivers an event to a waiting run (as the API's inbox would) and resumes it. */
export function deliver(env: Env, waiting: ClaimedRun, key: string, payload: unknown): Promise<DriveResult> {
  const run = env.store.claim(waiting);
  run.deliveries = [{ id: `delivery-${key}`, kind: 'event', key, payload, receivedAt: env.clock.now() }];
  return resume(env, run);
}

export { MemoryRunStore, RecordingLogger };
