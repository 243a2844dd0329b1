import type pg from 'pg';
import { executeRun, systemClock, type Clock, type ExecutorRegistry, type Logger } from '@switchyard/engine';
import { PgRunStore, claimRuns, fireDueSchedules, listenForRuns, purgeExpiredHistory, releaseRun, renewLeases, withTenant, type DispatchedRun } from '@switchyard/db';
import { PURE_NODE_KINDS } from '@switchyard/connectors';
import { guardedExecutors } from './guarded-executors';
import { ResilienceGuard } from './resilience-guard';

export interface WorkerOptions {
  pool: pg.Pool;
  /** Connection string for the LISTEN client (a dedicated connection outside the pool). */
  databaseUrl: string;
  executors: ExecutorRegistry;
  logger: Logger;
  workerId: string;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  /** LISTEN for new runs (PostgreSQL). Off on the embedded PGlite, whose socket cannot deliver NOTIFY. */
  listen?: boolean;
  clock?: Clock;
  /**
   * Tenant rate limits and circuit breakers around outbound calls (default: a guard on this pool).
   * `false` runs the executors as given.
   */
  guard?: ResilienceGuard | false;
  /** Fire due cron schedules (default true); every worker may: a slot still fires once. */
  schedules?: boolean;
  /** How often to look for due schedule slots (default 1000 ms). */
  scheduleIntervalMs?: number;
  /**
   * How often to delete finished runs past their retention window (the policies' retentionDays);
   * default 15 minutes, 0 turns it off. Workers may overlap: batches skip each other's rows.
   */
  retentionIntervalMs?: number;
}

interface ActiveRun {
  run: DispatchedRun;
  drain: AbortController;
  done: Promise<void>;
}


/**
 * Claims runs from Postgres with leases and interprets them. Stateless: any number of workers share
 * the queue through `FOR UPDATE SKIP LOCKED`; a crashed worker's runs are re-claimed when its leases
 * expire, and the fencing token makes its late commits harmless.
 */
export class Worker {
  private readonly active = new Map<string, ActiveRun>();
  private readonly store: PgRunStore;
  private readonly clock: Clock;
  private readonly executors: ExecutorRegistry;
  private scheduleTimer: NodeJS.Timeout | null = null;
  private firing: Promise<void> | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private purging: Promise<void> | null = null;
  private stopping = false;
  private wakeLoop: (() => void) | null = null;
  /** A wake-up that arrived while the loop was claiming (not sleeping): the next sleep is skipped. */
  private wakePending = false;
  private loopDone: Promise<void> | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private listener: { close(): Promise<void> } | null = null;

  constructor(private readonly opts: WorkerOptions) {
    this.store = new PgRunStore(opts.pool);
    this.clock = opts.clock ?? systemClock;
    this.executors = opts.guard === false ? opts.executors : guardedExecutors(opts.executors, opts.guard ?? new ResilienceGuard(opts.pool));
  }

  get activeCount(): number {
    return this.active.size;
  }

  async start(): Promise<void> {
    if (this.opts.listen !== false) {
      try {
        // New runs wake the loop at once; polling remains the safety net (and serves due timers).
        this.listener = await listenForRuns(this.opts.databaseUrl, () => this.wake(), {
          onError: (err) => this.opts.logger.warn({ err: err.message }, 'LISTEN connection lost; polling only'),
        });
      } catch (err) {
        this.opts.logger.warn({ err: errorMessage(err) }, 'LISTEN unavailable; falling back to polling');
      }
    }
    this.renewTimer = setInterval(() => void this.renew(), Math.max(250, Math.floor(this.opts.leaseMs / 3)));
    if (this.opts.schedules !== false) {
      this.scheduleTimer = setInterval(() => void this.fireSchedules(), this.opts.scheduleIntervalMs ?? 1000);
    }
    const retentionMs = this.opts.retentionIntervalMs ?? 15 * 60_000;
    if (retentionMs > 0) this.retentionTimer = setInterval(() => void this.purgeHistory(), retentionMs);
    this.loopDone = this.loop();
    this.opts.logger.info({ workerId: this.opts.workerId, concurrency: this.opts.concurrency }, 'worker started');
  }

  /** Stops claiming, lets running runs finish their current step, releases the rest, then returns. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake();
    if (this.scheduleTimer) clearInterval(this.scheduleTimer);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await this.firing;
    await this.purging;
    await this.loopDone;
    for (const entry of this.active.values()) entry.drain.abort(new Error('worker draining'));
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
    if (this.renewTimer) clearInterval(this.renewTimer);
    await this.listener?.close().catch(() => undefined);
    this.opts.logger.info({ workerId: this.opts.workerId }, 'worker stopped');
  }

  private wake(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = null;
    if (wake) wake();
    else this.wakePending = true;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.wakePending = false;
      const free = this.opts.concurrency - this.active.size;
      let claimed: DispatchedRun[] = [];
      if (free > 0) {
        try {
          claimed = await claimRuns(this.opts.pool, { workerId: this.opts.workerId, limit: free, leaseMs: this.opts.leaseMs });
          failures = 0;
        } catch (err) {
          failures += 1;
          this.opts.logger.error({ err: errorMessage(err), failures }, 'claiming runs failed; retrying');
        }
        for (const run of claimed) this.launch(run);
      }
      // A full batch means there is probably more work queued: claim again without waiting.
      if ((claimed.length > 0 && claimed.length === free) || this.wakePending) continue;
      const waitMs = failures > 0 ? Math.min(this.opts.pollMs * 2 ** failures, 10_000) : this.opts.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeLoop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private launch(run: DispatchedRun): void {
    const drain = new AbortController();
    // The engine binds tenant, run and correlation ids to its own log lines.
    const logger = this.opts.logger;
    // Row-level security: a run's steps, commits and executors see its tenant's rows only; the
    // claim, leases, timers and schedules around it are the pool's 'dispatch' scope (start.ts).
    const done = withTenant(run.tenantId, () =>
      executeRun({
        run,
        store: this.store,
        executors: this.executors,
        clock: this.clock,
        logger,
        signal: drain.signal,
        // Tenant and workflow retry/timeout overrides; the engine applies node policies on top.
        defaults: run.policyDefaults,
        // The trigger step rides with the first step's commit: one transaction less per run.
        deferTriggerCommit: true,
        // Transforms, conditions and validations are group-committed (engine: ExecuteRunParams.pureKinds).
        pureKinds: PURE_NODE_KINDS,
      }),
    )
      .then(async (outcome) => {
        if (outcome.kind === 'aborted') await releaseRun(this.opts.pool, run.id, run.leaseToken);
        logger.debug({ runId: run.id, outcome }, "run slice ended");
      })
      .catch((err: unknown) => {
        // The lease will expire and another worker (or this one) resumes from the last commit.
        logger.error({ runId: run.id, err: errorMessage(err) }, "run interrupted by an infrastructure error");
      })
      .finally(() => {
        this.active.delete(run.id);
        this.wake();
      });
    this.active.set(run.id, { run, drain, done });
  }

  /** The scheduler step: starts runs for due cron slots, then wakes the claim loop for them. */
  private async fireSchedules(): Promise<void> {
    if (this.firing || this.stopping) return;
    this.firing = (async () => {
      try {
        const fired = await fireDueSchedules(this.opts.pool);
        for (const slot of fired) {
          if (slot.runId === null) this.opts.logger.warn({ scheduleId: slot.scheduleId, slot: slot.slot, err: slot.error }, 'schedule slot not started');
          else this.opts.logger.info({ scheduleId: slot.scheduleId, slot: slot.slot, runId: slot.runId }, 'schedule slot fired');
        }
        if (fired.some((slot) => slot.runId !== null)) this.wake();
      } catch (err) {
        this.opts.logger.warn({ err: errorMessage(err) }, 'firing schedules failed; trying again on the next tick');
      } finally {
        this.firing = null;
      }
    })();
    await this.firing;
  }

  private async purgeHistory(): Promise<void> {
    if (this.purging || this.stopping) return;
    this.purging = (async () => {
      try {
        const purged = await purgeExpiredHistory(this.opts.pool);
        if (purged.runs > 0) this.opts.logger.info({ runs: purged.runs, steps: purged.steps, more: purged.more }, 'expired run history purged');
      } catch (err) {
        this.opts.logger.warn({ err: errorMessage(err) }, 'purging expired history failed; trying again on the next tick');
      } finally {
        this.purging = null;
      }
    })();
    await this.purging;
  }

  private async renew(): Promise<void> {
    if (this.active.size === 0) return;
    const ids = [...this.active.keys()];
    try {
      const held = new Set(await renewLeases(this.opts.pool, this.opts.workerId, ids, this.opts.leaseMs));
      for (const id of ids) {
        // Lost lease: stop between steps; fencing already rejects anything this worker would write.
        if (!held.has(id)) this.active.get(id)?.drain.abort(new Error('lease lost'));
      }
    } catch (err) {
      this.opts.logger.warn({ err: errorMessage(err) }, 'lease renewal failed');
    }
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
