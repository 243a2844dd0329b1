/**
 * Caps the requests one worker has in flight against one account. NetSuite answers requests beyond
 * the account's concurrency limit with 429 CONCURRENCY_LIMIT_EXCEEDED; queueing them here turns those
 * refusals into a short wait. Waiters give up when their step is aborted.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (this.active < this.max) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.active += 1;
        resolve();
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }
}

/** One shared instance per key in the worker-wide session map. */
export function sharedLimiter(sessions: Map<string, unknown>, key: string, max: number): Limiter {
  const found = sessions.get(key);
  if (found instanceof Limiter) return found;
  const created = new Limiter(max);
  sessions.set(key, created);
  return created;
}
