import { stepIdempotencyKey } from '@switchyard/workflow';
import type { ClaimedRun, Clock, ExecutorRegistry, Logger, RunStore } from './ports';
import type { EngineDefaultsOverride } from './policy';
import type { GraphIndex } from './run-state';

/** Everything one executeRun call works with; built once, passed to the step helpers. */
export interface RunContext {
  run: ClaimedRun;
  store: RunStore;
  executors: ExecutorRegistry;
  clock: Clock;
  /** Bound with tenantId, runId and correlationId. */
  log: Logger;
  graph: GraphIndex;
  defaults: EngineDefaultsOverride;
  random: () => number;
  /** Kinds whose successful steps may be group-committed (ExecuteRunParams.pureKinds). */
  pureKinds: ReadonlySet<string>;
}

/**
 * Deterministic per activation, so a retry (or a re-execution after a crash) of the same activation
 * sends the same key and the target can drop the duplicate, while a second activation of the same node
 * gets its own. The run's ingress idempotency key is preferred over its id so that a duplicate run of
 * the same business event cannot repeat effects either.
 */
export function activationIdempotencyKey(run: Pick<ClaimedRun, 'id' | 'idempotencyKey'>, nodeId: string, activationId: string): string {
  return stepIdempotencyKey(run.idempotencyKey ?? run.id, nodeId, activationId);
}
