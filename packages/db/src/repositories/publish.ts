import type { Graph } from '@switchyard/workflow';
import { toJsonValue } from '../prisma-json';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './client';

export interface PublishInput {
  workflowId: string;
  /** The draft revision that was validated: publishing fails if the draft moved on since. */
  draftRevision: number;
  graph: Graph;
  note: string;
  /** The webhook trigger's path, or null when the graph has no webhook trigger. */
  webhookPath: string | null;
}

export type PublishResult =
  | { status: 'published'; versionId: string; version: number }
  | { status: 'not_found' }
  | { status: 'draft_changed'; currentRevision: number }
  | { status: 'path_taken'; path: string; workflowName: string }
  | { status: 'concurrent_publish' };

/** Thrown inside the transaction to roll it back with a result the caller can report. */
class Abort extends Error {
  constructor(readonly result: PublishResult) {
    super(result.status);
  }
}

/**
 * Publishes a validated draft: the immutable version (number = max + 1), the workflow's active
 * version and its webhook route change together or not at all.
 */
export async function publishVersion(
  prisma: PrismaClient,
  tenantId: string,
  input: PublishInput,
  /** Runs inside the publish transaction once the version is written (the audit entry), so both commit or neither. */
  afterPublish?: (tx: Prisma.TransactionClient, published: { versionId: string; version: number }) => Promise<void>,
): Promise<PublishResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const workflow = await tx.workflow.findFirst({ where: { id: input.workflowId, tenantId }, select: { draftRevision: true } });
      if (!workflow) throw new Abort({ status: 'not_found' });
      if (workflow.draftRevision !== input.draftRevision) {
        throw new Abort({ status: 'draft_changed', currentRevision: workflow.draftRevision });
      }
      if (input.webhookPath !== null) {
        const owner = await findPathOwner(tx, tenantId, input.webhookPath);
        if (owner && owner.id !== input.workflowId) {
          throw new Abort({ status: 'path_taken', path: input.webhookPath, workflowName: owner.name });
        }
      }

      // Test versions (designer test runs of the draft) have numbers below 1 and are not counted.
      const { _max } = await tx.workflowVersion.aggregate({ where: { tenantId, workflowId: input.workflowId, version: { gt: 0 } }, _max: { version: true } });
      const version = (_max.version ?? 0) + 1;
      const created = await tx.workflowVersion.create({
        data: { tenantId, workflowId: input.workflowId, version, graph: toJsonValue(input.graph), note: input.note },
        select: { id: true },
      });
      // Fenced by the revision so a save that lands between our read and this write aborts the publish.
      const { count } = await tx.workflow.updateMany({
        where: { id: input.workflowId, tenantId, draftRevision: input.draftRevision },
        data: { activeVersionId: created.id },
      });
      if (count !== 1) {
        const now = await tx.workflow.findFirst({ where: { id: input.workflowId, tenantId }, select: { draftRevision: true } });
        throw new Abort(now ? { status: 'draft_changed', currentRevision: now.draftRevision } : { status: 'not_found' });
      }

      // A workflow answers on at most one path: the one of its active version.
      await tx.webhookRoute.deleteMany({
        where: { tenantId, workflowId: input.workflowId, ...(input.webhookPath !== null ? { path: { not: input.webhookPath } } : {}) },
      });
      if (input.webhookPath !== null) {
        await tx.webhookRoute.upsert({
          where: { tenantId_path: { tenantId, path: input.webhookPath } },
          create: { tenantId, workflowId: input.workflowId, path: input.webhookPath },
          update: {},
        });
      }
      await afterPublish?.(tx, { versionId: created.id, version });
      return { status: 'published' as const, versionId: created.id, version };
    });
  } catch (error) {
    if (error instanceof Abort) return error.result;
    if (isUniqueViolation(error)) return explainUniqueViolation(prisma, tenantId, input);
    throw error;
  }
}

async function findPathOwner(db: Prisma.TransactionClient | PrismaClient, tenantId: string, path: string) {
  const route = await db.webhookRoute.findFirst({
    where: { tenantId, path },
    select: { workflow: { select: { id: true, name: true } } },
  });
  return route?.workflow ?? null;
}

/** A unique violation means another transaction won a race: say which one, after the fact. */
async function explainUniqueViolation(prisma: PrismaClient, tenantId: string, input: PublishInput): Promise<PublishResult> {
  if (input.webhookPath !== null) {
    const owner = await findPathOwner(prisma, tenantId, input.webhookPath);
    if (owner && owner.id !== input.workflowId) return { status: 'path_taken', path: input.webhookPath, workflowName: owner.name };
  }
  return { status: 'concurrent_publish' };
}
