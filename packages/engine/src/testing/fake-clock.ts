import type { Clock } from '../ports';

interface Sleeper {
  due: number;
  seq: number;
  resolve: () => void;
}

/**
 * Manual time. `sleep` resolves only when `advance`/`set` moves time past its due point, so timeout
 * and backoff behaviour is tested exactly and instantly. `whenSleeping` lets a test wait until the
 * code under test has armed a timer before moving time.
 */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        due: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notifyWaiters();
    });
  }

  /** Timers armed and not yet due or cancelled. */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** Resolves once at least `count` sleeps are pending. */
  whenSleeping(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Moves time forward, waking due sleepers in due order (each sees `now()` equal to its due time). */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`FakeClock.advance: ms must be >= 0, got ${ms}`);
    this.set(this.current + ms);
  }

  set(time: number): void {
    if (time < this.current) throw new Error(`FakeClock.set: time cannot go backwards (${time} < ${this.current})`);
    for (;;) {
      const next = this.sleepers.filter((s) => s.due <= time).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.current = next.due;
      next.resolve();
    }
    this.current = time;
  }

  private notifyWaiters(): void {
    const ready = this.waiters.filter((w) => this.sleepers.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.sleepers.length < w.count);
    for (const w of ready) w.resolve();
  }
}
