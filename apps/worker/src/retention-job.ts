import type pg from 'pg';
import type { Logger } from '@switchyard/engine';
import { purgeExpiredHistory, type PurgeResult } from '@switchyard/db';
import { ConfigError } from './env';
import type { WorkerMetrics } from './metrics';

/**
 * Runs the retention purge periodically. Every worker may run it: the purge takes runs with
 * SKIP LOCKED, so two workers purging at once split the work instead of blocking each other.
 * When a pass stops at its batch budget with more expired history left, the next pass follows soon.
 */

export const DEFAULT_PURGE_INTERVAL_MS = 10 * 60_000;
const CATCH_UP_DELAY_MS = 1_000;

/** WORKER_PURGE_INTERVAL_MS: 0 turns the purge off in this process; default 10 minutes. */
export function readPurgeInterval(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKER_PURGE_INTERVAL_MS?.trim();
  if (!raw) return DEFAULT_PURGE_INTERVAL_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || (ms !== 0 && ms < 1000) || ms > 86_400_000) {
    throw new ConfigError(`WORKER_PURGE_INTERVAL_MS=${JSON.stringify(raw)} is not valid: use 0 (off) or milliseconds from 1000 to 86400000.`);
  }
  return ms;
}

export interface RetentionJob {
  /** One pass now (also what the timer runs). */
  runOnce(): Promise<PurgeResult | null>;
  stop(): Promise<void>;
}

export function startRetentionJob(opts: { pool: pg.Pool; logger: Logger; intervalMs: number; metrics?: WorkerMetrics; tenantLabel?: (id: string) => Promise<string> }): RetentionJob {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<PurgeResult | null> | null = null;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped || opts.intervalMs === 0) return;
    timer = setTimeout(() => void runOnce(), ms);
    timer.unref();
  };

  const runOnce = (): Promise<PurgeResult | null> => {
    if (running) return running;
    running = (async () => {
      try {
        const result = await purgeExpiredHistory(opts.pool);
        if (result.runs > 0) opts.logger.info({ runs: result.runs, steps: result.steps, tenants: result.tenants.length, more: result.more }, 'retention purge deleted expired run history');
        for (const t of result.tenants) opts.metrics?.purgedRuns.inc({ tenant: (await opts.tenantLabel?.(t.tenantId)) ?? t.tenantId }, t.runs);
        schedule(result.more ? CATCH_UP_DELAY_MS : opts.intervalMs);
        return result;
      } catch (err) {
        opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'retention purge failed; trying again on the next pass');
        schedule(opts.intervalMs);
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  // The first pass waits a little: start-up (migrations, the first claims) comes first.
  schedule(Math.min(opts.intervalMs, 30_000));
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
