import type { ExecutorRegistry, Logger } from '@switchyard/engine';
export { systemClock } from '@switchyard/engine';
/** What the in-process step scenarios give the engine: a real clock, a silent logger, no-op executors. */


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
