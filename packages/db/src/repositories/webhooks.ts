import type { Prisma } from '../generated/prisma/client';
import type { DbClient } from './client';

export interface WebhookTarget {
  workflowId: string;
  workflowName: string;
  /** Null only if the route outlived its workflow's active version, which publish never leaves behind. */
  activeVersion: { id: string; version: number; graph: Prisma.JsonValue } | null;
}

/** Resolves POST /api/hooks/{tenant}/{path} to the workflow version that should run. */
export async function findWebhookTarget(db: DbClient, tenantId: string, path: string): Promise<WebhookTarget | null> {
  const route = await db.webhookRoute.findFirst({
    where: { tenantId, path },
    select: { workflow: { select: { id: true, name: true, activeVersionId: true } } },
  });
  if (!route) return null;
  const { workflow } = route;
  const activeVersion = workflow.activeVersionId
    ? await db.workflowVersion.findFirst({
        where: { tenantId, id: workflow.activeVersionId },
        select: { id: true, version: true, graph: true },
      })
    : null;
  return { workflowId: workflow.id, workflowName: workflow.name, activeVersion };
}

const idempotentRunSelect = {
  id: true,
  correlationId: true,
  payloadHash: true,
  status: true,
} satisfies Prisma.RunSelect;
export type IdempotentRun = Prisma.RunGetPayload<{ select: typeof idempotentRunSelect }>;

/** Run idempotency keys are unique per workflow: the same invoice number may start one run in each. */
export function findRunByIdempotencyKey(
  db: DbClient,
  tenantId: string,
  workflowId: string,
  idempotencyKey: string,
): Promise<IdempotentRun | null> {
  return db.run.findFirst({ where: { tenantId, workflowId, idempotencyKey }, select: idempotentRunSelect });
}
