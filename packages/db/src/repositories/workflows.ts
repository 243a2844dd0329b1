import type { Graph } from '@switchyard/workflow';
import { toJsonValue } from '../prisma-json';
import type { Prisma } from '../generated/prisma/client';
import { isUniqueViolation, type DbClient } from './client';

// Every query below has the tenant in its `where`: a workflow id from another tenant reads as "not found".

const workflowListSelect = {
  id: true,
  name: true,
  description: true,
  draftRevision: true,
  activeVersionId: true,
  updatedAt: true,
  hooks: { select: { path: true }, orderBy: { createdAt: 'asc' }, take: 1 },
} satisfies Prisma.WorkflowSelect;

export interface WorkflowListItem {
  id: string;
  name: string;
  description: string;
  draftRevision: number;
  activeVersion: number | null;
  webhookPath: string | null;
  updatedAt: Date;
}

export async function listWorkflows(db: DbClient, tenantId: string): Promise<WorkflowListItem[]> {
  const rows = await db.workflow.findMany({ where: { tenantId }, select: workflowListSelect, orderBy: { updatedAt: 'desc' } });
  const activeIds = rows.flatMap((r) => (r.activeVersionId ? [r.activeVersionId] : []));
  // activeVersionId is a plain column (no relation, to avoid a cycle with workflow_versions), so the
  // version numbers come from one extra query rather than one per workflow.
  const versions = activeIds.length
    ? await db.workflowVersion.findMany({ where: { tenantId, id: { in: activeIds } }, select: { id: true, version: true } })
    : [];
  const versionById = new Map(versions.map((v) => [v.id, v.version]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    draftRevision: r.draftRevision,
    activeVersion: r.activeVersionId ? (versionById.get(r.activeVersionId) ?? null) : null,
    webhookPath: r.hooks[0]?.path ?? null,
    updatedAt: r.updatedAt,
  }));
}

export const versionSummarySelect = { id: true, version: true, note: true, publishedAt: true } satisfies Prisma.WorkflowVersionSelect;
export type VersionSummary = Prisma.WorkflowVersionGetPayload<{ select: typeof versionSummarySelect }>;

const workflowDetailSelect = {
  id: true,
  name: true,
  description: true,
  draftGraph: true,
  draftRevision: true,
  activeVersionId: true,
  versions: { select: versionSummarySelect, orderBy: { version: 'desc' } },
} satisfies Prisma.WorkflowSelect;
export type WorkflowDetail = Prisma.WorkflowGetPayload<{ select: typeof workflowDetailSelect }>;

export function getWorkflow(db: DbClient, tenantId: string, id: string): Promise<WorkflowDetail | null> {
  return db.workflow.findFirst({ where: { id, tenantId }, select: workflowDetailSelect });
}

export type CreateWorkflowResult = { ok: true; id: string } | { ok: false; conflict: 'name' };

export async function createWorkflow(
  db: DbClient,
  tenantId: string,
  input: { name: string; description: string; draftGraph: Graph },
): Promise<CreateWorkflowResult> {
  try {
    const row = await db.workflow.create({
      data: { tenantId, name: input.name, description: input.description, draftGraph: toJsonValue(input.draftGraph) },
      select: { id: true },
    });
    return { ok: true, id: row.id };
  } catch (error) {
    // (tenant_id, name) is the only unique key a caller can collide with.
    if (isUniqueViolation(error)) return { ok: false, conflict: 'name' };
    throw error;
  }
}

export type SaveDraftResult =
  | { status: 'saved'; revision: number }
  | { status: 'not_found' }
  | { status: 'conflict'; currentRevision: number };

/**
 * Optimistic concurrency: the UPDATE only matches while the stored revision is the one the editor
 * loaded, so two tabs saving at once cannot silently overwrite each other.
 */
export async function saveDraft(
  db: DbClient,
  tenantId: string,
  input: { id: string; graph: Graph; expectedRevision: number },
): Promise<SaveDraftResult> {
  const { count } = await db.workflow.updateMany({
    where: { id: input.id, tenantId, draftRevision: input.expectedRevision },
    data: { draftGraph: toJsonValue(input.graph), draftRevision: { increment: 1 } },
  });
  if (count === 1) return { status: 'saved', revision: input.expectedRevision + 1 };
  const current = await db.workflow.findFirst({ where: { id: input.id, tenantId }, select: { draftRevision: true } });
  return current ? { status: 'conflict', currentRevision: current.draftRevision } : { status: 'not_found' };
}

export function listVersions(db: DbClient, tenantId: string, workflowId: string): Promise<VersionSummary[]> {
  return db.workflowVersion.findMany({ where: { tenantId, workflowId }, select: versionSummarySelect, orderBy: { version: 'desc' } });
}

const versionDetailSelect = { ...versionSummarySelect, graph: true } satisfies Prisma.WorkflowVersionSelect;
export type VersionDetail = Prisma.WorkflowVersionGetPayload<{ select: typeof versionDetailSelect }>;

export function getVersion(db: DbClient, tenantId: string, workflowId: string, version: number): Promise<VersionDetail | null> {
  return db.workflowVersion.findFirst({ where: { tenantId, workflowId, version }, select: versionDetailSelect });
}

export async function workflowExists(db: DbClient, tenantId: string, id: string): Promise<boolean> {
  return (await db.workflow.count({ where: { id, tenantId } })) === 1;
}
