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
} from './types';
export { TERMINAL_STATUSES } from './types';

export { DatabaseConfigError, redactUrl } from './database-url';
export { openDatabase, resolveDatabaseConfig } from './database';
export type { Database, DatabaseConfig, DatabaseKind, OpenDatabaseOptions } from './database';
export { startEmbeddedPostgres } from './embedded';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded';
export { migrate } from './migrations/migrate';
export type { MigrateOptions, MigrateResult } from './migrations/migrate';

export { PgRunStore, NEVER } from './run-store';
export { RUNS_CHANNEL, claimRuns, enqueueRun, releaseRun, renewLeases, triggerNodeOf } from './dispatch';
export type { ClaimOptions, EnqueueRunInput, EnqueueRunResult } from './dispatch';
export { listenForRuns, waitForRunResponse } from './notify';
export type { ListenOptions, RunResponseOutcome, RunsListener, WaitOptions } from './notify';

// The generated Prisma client (prisma/schema.prisma → src/generated/prisma). The generated
// `RunStatus` enum is not re-exported: the engine-shaped `RunStatus` above is the same union.
export { PrismaClient, Prisma } from './generated/prisma/client';
export { toJsonValue } from './prisma-json';
export type { Tenant, Workflow, WorkflowVersion, WebhookRoute, Run, Step } from './generated/prisma/client';

// Tenant-scoped reads and writes for the API (every function takes the tenant id).
export * from './repositories';
