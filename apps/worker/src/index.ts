export { Worker, type WorkerOptions } from './worker';
export { systemClock } from '@switchyard/engine';
export { readWorkerEnv, ConfigError, type WorkerEnv } from './env';
export { createLogger } from './logger';
export { startDemoReceiver, type DemoReceiver } from './demo/receiver';
export { seedDemo, invoiceSyncGraph } from './demo/seed';
export { ResilienceGuard, outcomeOf, type CallOutcome, type CallTarget, type ResilienceGuardOptions } from './resilience-guard';
export { guardedExecutors, httpTarget, DEFAULT_GUARDED_KINDS, type TargetOf } from './guarded-executors';
