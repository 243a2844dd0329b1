export { claimedRun } from './claimed-run';
export { FakeClock } from './fake-clock';
export { MemoryRunStore, SimulatedCrashError, type CommittedEntry, type MemoryRunStoreOptions } from './memory-run-store';
export { RecordingLogger, type LogLevel, type LogLine } from './recording-logger';
