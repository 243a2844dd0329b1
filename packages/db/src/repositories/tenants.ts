import type { Prisma } from '../generated/prisma/client';
import type { DbClient } from './client';

export const tenantSummarySelect = { id: true, slug: true, name: true } satisfies Prisma.TenantSelect;
export type TenantSummary = Prisma.TenantGetPayload<{ select: typeof tenantSummarySelect }>;

/** Tenants are the root of scoping, so these two reads are the only ones without a tenant id. */
export function listTenants(db: DbClient): Promise<TenantSummary[]> {
  return db.tenant.findMany({ select: tenantSummarySelect, orderBy: { name: 'asc' } });
}

export function findTenantBySlug(db: DbClient, slug: string): Promise<TenantSummary | null> {
  return db.tenant.findUnique({ where: { slug }, select: tenantSummarySelect });
}
