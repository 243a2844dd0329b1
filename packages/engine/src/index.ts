export * from './ports';
export { MAX_ACTIVATIONS_PER_RUN, executeRun, type ExecuteRunParams, type RunOutcome } from './interpreter';
export {
  PLATFORM_DEFAULTS,
  computeBackoffMs,
  effectivePolicy,
  mergeDefaults,
  resolvePolicy,
  retryDelayMs,
  type EffectivePolicy,
  type EngineDefaults,
  type EngineDefaultsOverride,
  type ExplainedValue,
  type PolicySource,
  type ResolvedPolicy,
} from './policy';
export { activationIdempotencyKey } from './run-context';
export { classifyError, type ClassifiedError } from './step-error';
