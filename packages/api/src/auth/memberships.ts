import type { Prisma, PrismaClient } from '@switchyard/db';
import type { TenantRole } from './roles';

type Db = PrismaClient | Prisma.TransactionClient;

/** The user's role in the tenant, or null when they are not a member. */
export async function findMembershipRole(prisma: Db, userId: string, tenantId: string): Promise<TenantRole | null> {
  const row = await prisma.membership.findUnique({ where: { userId_tenantId: { userId, tenantId } }, select: { role: true } });
  return row?.role ?? null;
}
