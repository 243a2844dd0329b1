// @switchyard/db: the data layer. Prisma client (adapter-pg) for general access, hand-written SQL
// for the hot paths (dispatch and the engine's RunStore), the offline migrate runner, and the
// embedded PGlite server. Migration diffing (a dev tool) is the `pnpm db:diff` CLI, not exported.

export type {
  Activation,
  ClaimedRun,
  CommitOutcome,
  RunCommit,
  RunState,
  RunStatus,
  StepError,
  StepRecord,
  StepStatus,
  QueuedDelivery,
  WaitRegistration,
  WaitKind,
  ApprovalDecision,
  ChildRunOutcome,
  ChildRunRequest,
} from './types';
export { DEAD_LETTER_STATUSES, LIVE_STATUSES, TERMINAL_STATUSES } from './types';

export { DatabaseConfigError, redactUrl } from './database-url';
export { openDatabase, resolveDatabaseConfig } from './database';
export type { Database, DatabaseConfig, DatabaseKind, OpenDatabaseOptions } from './database';
export { startEmbeddedPostgres } from './embedded';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded';
export { migrate } from './migrations/migrate';
export type { MigrateOptions, MigrateResult } from './migrations/migrate';

export { PgRunStore, NEVER, RUN_DONE_CHANNEL, deadLetterReasonOf, type DeadLetterReason } from './run-store';
export { startChildRuns } from './child-runs';
export { deliverRunEvent, type DeliverRunEventInput, type DeliverRunEventResult, type DeliveredTo } from './run-waits';
export { RUNS_CHANNEL, claimRuns, enqueueRun, insertRun, releaseRun, renewLeases, triggerNodeOf } from './dispatch';
export type { ClaimOptions, DispatchedRun, EnqueueRunInput, EnqueueRunResult, InsertRunExtras } from './dispatch';
export { cancelRun, replayRun } from './run-control';
export type { CancelRunResult, ReplayRefusal, ReplayRunInput, ReplayRunResult } from './run-control';
export { seedReplayState, downstreamOf, type SeedReplayInput } from './replay-seed';

// Policies: schemas, pure inheritance, and the shared rate limits and breakers the worker enforces.
export * from './policy/schema';
export * from './policy/resolve';
export { takeToken, type TakeResult, type TakeTokenInput } from './resilience/rate-limit';
export {
  DEFAULT_TRIAL_TIMEOUT_MS,
  checkBreaker,
  listBreakers,
  recordBreakerOutcome,
  recordBreakerSuccesses,
  type BreakerKey,
  type BreakerSnapshot,
  type CheckBreakerInput,
  type RecordOutcomeInput,
  type RecordSuccessesInput,
} from './resilience/breaker';
export * from './resilience/breaker-state';

// Schedules: cron slots in a time zone, and the scheduler step workers run.
export { checkCron, isValidTimeZone, nextSlot, upcomingSlots, type CronCheck } from './schedule/cron';
export { fireDueSchedules, type FireOptions, type FiredSlot } from './schedule/fire';
export { listenForRuns, waitForRunResponse } from './notify';
export type { ListenOptions, RunResponseOutcome, RunsListener, WaitOptions } from './notify';

// The generated Prisma client (prisma/schema.prisma → src/generated/prisma). The generated
// `RunStatus` enum is not re-exported: the engine-shaped `RunStatus` above is the same union.
export { PrismaClient, Prisma } from './generated/prisma/client';
export { toJsonValue } from './prisma-json';
export type { Tenant, Workflow, WorkflowVersion, WebhookRoute, Run, Step } from './generated/prisma/client';

// Tenant-scoped reads and writes for the API (every function takes the tenant id).
export * from './repositories';
export * from './repositories/policies';
export * from './repositories/dead-letters';
export * from './repositories/dead-letter-discard';
export * from './repositories/schedules';
export * from './repositories/test-versions';

// Run history at scale: filtered lists and key search, business keys at ingress, dashboards,
// scrape-time metrics, retention purge and the payload cap.
export * from './repositories/run-history';
export * from './repositories/run-keys';
export * from './repositories/ingress-enqueue';
export * from './repositories/dashboards';
export * from './repositories/sla-breaches';
export * from './repositories/metrics';
export * from './repositories/retention';
export * from './repositories/payload-cap';

// Connections (credentials encrypted at rest) and tenant mapping overlays.
export * from './secrets';
export * from './repositories/connections';
export * from './repositories/tenant-mappings';

// Governance: API keys, webhook signing secrets and message ids, audit log.
export * from './repositories/governance';
export * from './repositories/related-runs';
export * from './repositories/webhook-message-release';

// Status out: subscriptions, the run status outbox fan-out and the delivery queue.
export * from './repositories/status-out';
export { inTransaction, type SqlClient } from './sql';

// Tenant isolation in depth: the scope every statement of an app-role pool runs in (RLS).
export { APP_ROLE, PLATFORM_REASONS, asPlatform, currentScope, withTenant, type DbScope, type PlatformReason } from './tenant-scope';
