export * from './ports';
export { systemClock } from './system-clock';
export {
  DEFAULT_MAX_CONCURRENT_STEPS,
  MAX_ACTIVATIONS_PER_RUN,
  executeRun,
  type ExecuteRunParams,
  type RunOutcome,
} from './interpreter';
export { deliverEvent, type DeliverEventOptions, type DeliverEventResult, type EventDelivery } from './deliver-event';
export { MAX_MAP_ITEMS } from './map-steps';
export { PURE_STEPS_MAX_DEFER_MS, PURE_STEPS_PER_COMMIT } from './pure-steps';
export { COMPENSATION_SUFFIX } from './node-step';
export { openWaits } from './run-state';
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
export { childRunKey } from './call-steps';
export { classifyError, type ClassifiedError } from './step-error';
