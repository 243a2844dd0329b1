import type { ClaimedRun, RunCommit, RunState, RunStore, StepRecord } from '../ports';

export interface CommittedEntry {
  runId: string;
  leaseToken: number;
  commit: RunCommit;
}

/** Failure simulations; commit calls are numbered from 1. Each one also hits every later call. */
export interface MemoryRunStoreOptions {
  /** Commit #n is written, then the call throws: the worker died right after the transaction. */
  crashAfterCommit?: number;
  /** Commit #n throws and writes nothing: the worker died before its transaction committed. */
  crashBeforeCommit?: number;
  /** Commit #n returns 'lease-lost' and writes nothing: another worker took the run over. */
  leaseLostAtCommit?: number;
}

export class SimulatedCrashError extends Error {
  constructor(commitNumber: number) {
    super(`simulated crash at commit #${commitNumber}`);
    this.name = 'SimulatedCrashError';
  }
}

/**
 * RunStore for tests: keeps every accepted commit (deep-copied, as a database would) and fences
 * commits by lease token like the SQL store does. `claim()` plays the worker's claim: it hands out
 * the run with its last committed state and a new token, which invalidates the previous holder.
 */
export class MemoryRunStore implements RunStore {
  readonly commits: CommittedEntry[] = [];
  /** Every commit call, accepted or not, for asserting that nothing was attempted after a stop. */
  attempts = 0;
  private readonly leases = new Map<string, number>();
  /** Simulation commit numbers count from here (reset by `simulate`). */
  private failuresFrom = 1;
  private readonly opts: MemoryRunStoreOptions;

  constructor(opts: MemoryRunStoreOptions = {}) {
    this.opts = { ...opts };
  }

  /**
   * Replaces the failure simulation mid-test (e.g. `simulate({})` after a crash lets the next worker
   * succeed); numbering restarts at the next commit call.
   */
  simulate(opts: MemoryRunStoreOptions): void {
    this.opts.crashAfterCommit = opts.crashAfterCommit;
    this.opts.crashBeforeCommit = opts.crashBeforeCommit;
    this.opts.leaseLostAtCommit = opts.leaseLostAtCommit;
    this.failuresFrom = this.attempts + 1;
  }

  commit(runId: string, leaseToken: number, commit: RunCommit): Promise<'ok' | 'lease-lost'> {
    this.attempts += 1;
    const n = this.attempts - this.failuresFrom + 1;
    const { crashAfterCommit, crashBeforeCommit, leaseLostAtCommit } = this.opts;
    if ((crashBeforeCommit !== undefined && n >= crashBeforeCommit) || (crashAfterCommit !== undefined && n > crashAfterCommit)) {
      return Promise.reject(new SimulatedCrashError(this.attempts));
    }
    if (leaseLostAtCommit !== undefined && n >= leaseLostAtCommit) return Promise.resolve('lease-lost');
    const held = this.leases.get(runId);
    if (held !== undefined && held !== leaseToken) return Promise.resolve('lease-lost');
    this.leases.set(runId, leaseToken);
    this.commits.push({ runId, leaseToken, commit: structuredClone(commit) });
    if (crashAfterCommit !== undefined && n === crashAfterCommit) return Promise.reject(new SimulatedCrashError(this.attempts));
    return Promise.resolve('ok');
  }

  /** Takes the run over as a new worker would: same run, last committed state, next lease token. */
  claim(run: ClaimedRun): ClaimedRun {
    const token = Math.max(this.leases.get(run.id) ?? run.leaseToken, run.leaseToken) + 1;
    this.leases.set(run.id, token);
    const last = this.latest(run.id);
    return { ...run, state: last ? structuredClone(last.state) : null, leaseToken: token };
  }

  commitsOf(runId: string): RunCommit[] {
    return this.commits.filter((c) => c.runId === runId).map((c) => c.commit);
  }

  latest(runId: string): RunCommit | undefined {
    return this.commitsOf(runId).at(-1);
  }

  stateOf(runId: string): RunState | null {
    return this.latest(runId)?.state ?? null;
  }

  steps(runId: string): StepRecord[] {
    return this.commitsOf(runId).flatMap((c) => c.steps);
  }
}
