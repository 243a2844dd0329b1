import type { Clock } from './ports';

/**
 * The real clock, shared by the worker and the benchmarks so both measure the same code. Besides
 * `sleep`, it offers `startTimer`: the per-step timeout timer without an AbortController, whose
 * creation and abort event cost more than a no-op step itself.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  startTimer: (ms, onFire) => {
    const timer = setTimeout(onFire, ms);
    return () => clearTimeout(timer);
  },
};
