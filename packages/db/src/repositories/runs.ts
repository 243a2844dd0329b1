import type { Prisma, RunStatus } from '../generated/prisma/client';
import type { DbClient } from './client';

// Every query below has the tenant in its `where`: a run id from another tenant reads as "not found".

const runSummarySelect = {
  id: true,
  workflowId: true,
  workflow: { select: { name: true } },
  version: { select: { version: true } },
  status: true,
  trigger: true,
  correlationId: true,
  idempotencyKey: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  error: true,
} satisfies Prisma.RunSelect;
type RunSummaryRow = Prisma.RunGetPayload<{ select: typeof runSummarySelect }>;

export interface RunSummary {
  id: string;
  workflowId: string;
  workflowName: string;
  version: number;
  status: RunStatus;
  trigger: string;
  correlationId: string;
  idempotencyKey: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: Prisma.JsonValue | null;
}

function toSummary(row: RunSummaryRow): RunSummary {
  const { workflow, version, ...rest } = row;
  return {
    ...rest,
    workflowName: workflow.name,
    version: version.version,
    durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
  };
}

/** Position in the (created_at desc, id desc) order: the page starts strictly after it. */
export interface RunKey {
  createdAt: Date;
  id: string;
}

export interface RunListFilter {
  workflowId?: string;
  status?: RunStatus;
  correlationId?: string;
  limit: number;
  after?: RunKey;
}

/**
 * Keyset pagination over the (tenant_id[, workflow_id | status], created_at desc, id desc) indexes:
 * stable under concurrent inserts, unlike OFFSET.
 */
export async function listRuns(db: DbClient, tenantId: string, filter: RunListFilter): Promise<{ items: RunSummary[]; next: RunKey | null }> {
  const where: Prisma.RunWhereInput = {
    tenantId,
    ...(filter.workflowId ? { workflowId: filter.workflowId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.correlationId ? { correlationId: filter.correlationId } : {}),
    ...(filter.after
      ? {
          OR: [
            { createdAt: { lt: filter.after.createdAt } },
            { createdAt: filter.after.createdAt, id: { lt: filter.after.id } },
          ],
        }
      : {}),
  };
  const rows = await db.run.findMany({
    where,
    select: runSummarySelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    next: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

const stepSelect = {
  id: true,
  nodeId: true,
  attempt: true,
  status: true,
  port: true,
  input: true,
  output: true,
  error: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  retryAt: true,
  idempotencyKey: true,
} satisfies Prisma.StepSelect;
export type StepRecordRow = Prisma.StepGetPayload<{ select: typeof stepSelect }>;

const runDetailSelect = {
  ...runSummarySelect,
  versionId: true,
  triggerPayload: true,
  result: true,
  response: true,
  attempts: true,
  businessKeys: true,
  replayOfId: true,
  parentRunId: true,
  version: { select: { version: true, graph: true } },
  steps: { select: stepSelect, orderBy: [{ startedAt: 'asc' }, { attempt: 'asc' }] },
} satisfies Prisma.RunSelect;

export interface RunDetail extends RunSummary {
  versionId: string;
  triggerPayload: Prisma.JsonValue;
  result: Prisma.JsonValue | null;
  response: Prisma.JsonValue | null;
  attempts: number;
  /** Exact-match search keys recorded at ingress (idempotency key, business keys). */
  businessKeys: string[];
  /** The run this one replays, and the run whose workflow.call started it. */
  replayOfId: string | null;
  parentRunId: string | null;
  /** The pinned version's graph, so node ids can be shown with their labels and kinds. */
  graph: Prisma.JsonValue;
  steps: StepRecordRow[];
}

export async function getRun(db: DbClient, tenantId: string, id: string): Promise<RunDetail | null> {
  const row = await db.run.findFirst({ where: { id, tenantId }, select: runDetailSelect });
  if (!row) return null;
  const { steps, triggerPayload, result, response, attempts, versionId, businessKeys, replayOfId, parentRunId } = row;
  return {
    ...toSummary(row),
    versionId,
    triggerPayload,
    result,
    response,
    attempts,
    businessKeys,
    replayOfId,
    parentRunId,
    graph: row.version.graph,
    steps,
  };
}

const activeVersionSelect = { id: true, name: true, activeVersionId: true } satisfies Prisma.WorkflowSelect;

export interface RunnableWorkflow {
  id: string;
  name: string;
  activeVersion: { id: string; version: number; graph: Prisma.JsonValue } | null;
}

/** The workflow and the version new runs start on (null before the first publish). */
export async function getRunnableWorkflow(db: DbClient, tenantId: string, workflowId: string): Promise<RunnableWorkflow | null> {
  const workflow = await db.workflow.findFirst({ where: { id: workflowId, tenantId }, select: activeVersionSelect });
  if (!workflow) return null;
  const activeVersion = workflow.activeVersionId
    ? await db.workflowVersion.findFirst({
        where: { id: workflow.activeVersionId, tenantId },
        select: { id: true, version: true, graph: true },
      })
    : null;
  return { id: workflow.id, name: workflow.name, activeVersion };
}
