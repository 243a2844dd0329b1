import type { Graph } from '@switchyard/workflow';
import { toJsonValue } from '../prisma-json';
import type { PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './client';

/**
 * Test versions: the designer runs a draft without publishing it by storing the draft's graph as a
 * hidden version and enqueuing a run on it. Runs pin a version row (runs.version_id), so a test run
 * needs one; the schema has no flag column, so test versions are the rows with a *negative* number
 * (-1, -2, …). Published versions count up from 1, `publishVersion` takes max + 1 (negatives never
 * win), nothing makes a test version active, and the API hides them from version lists.
 */
export const TEST_VERSION_NOTE_PREFIX = 'Test run of the draft';

export function isTestVersion(version: number): boolean {
  return version < 1;
}

export type CreateTestVersionResult = { status: 'created' | 'reused'; versionId: string; version: number } | { status: 'not_found' };

/**
 * Stores `graph` as the workflow's newest test version, or reuses the newest one when it was made
 * from the same graph (`fingerprint`, e.g. a hash of the canonical JSON): clicking "Run test" again
 * on an unchanged draft adds no row.
 */
export async function createTestVersion(
  prisma: PrismaClient,
  tenantId: string,
  input: { workflowId: string; graph: Graph; fingerprint: string },
): Promise<CreateTestVersionResult> {
  const note = `${TEST_VERSION_NOTE_PREFIX} · ${input.fingerprint}`;
  // Two test runs started at once may pick the same number; the unique (workflow, version) key makes
  // one of them fail, and it simply tries again with the next number.
  for (let attempt = 0; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const workflow = await tx.workflow.findFirst({ where: { id: input.workflowId, tenantId }, select: { id: true } });
        if (!workflow) return { status: 'not_found' as const };
        const newest = await tx.workflowVersion.findFirst({
          where: { tenantId, workflowId: input.workflowId, version: { lt: 1 } },
          orderBy: { version: 'asc' },
          select: { id: true, version: true, note: true },
        });
        if (newest && newest.note === note) return { status: 'reused' as const, versionId: newest.id, version: newest.version };
        const version = Math.min(newest?.version ?? 0, 0) - 1;
        const created = await tx.workflowVersion.create({
          data: { tenantId, workflowId: input.workflowId, version, graph: toJsonValue(input.graph), note },
          select: { id: true },
        });
        return { status: 'created' as const, versionId: created.id, version };
      });
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}
