import type { Clock, ExecutorRegistry, Logger } from '@switchyard/engine';

/** What the in-process step scenarios give the engine: a real clock, a silent logger, no-op executors. */

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
};

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/**
 * The chain's nodes are `transform` nodes (so the graph validates as published) run by an executor
 * that returns its input: what is left is the interpreter's own cost per step.
 */
export const noopExecutors: ExecutorRegistry = {
  'trigger.manual': async (_ctx, _config, input) => ({ output: input }),
  transform: async (_ctx, _config, input) => ({ output: input }),
};
