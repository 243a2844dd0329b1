import { asPlatform, listTenants } from '@switchyard/db';
import { signedInProcedure } from '../trpc';

/**
 * The tenants the signed-in user may open, with their role in each (the tenant picker needs it
 * before a tenant is chosen). A platform admin sees every tenant, as a tenant admin.
 */
export const tenantsRouter = {
  list: signedInProcedure.query(async ({ ctx }) => {
    if (ctx.user.platformAdmin) return (await listTenants(ctx.db.prisma)).map((t) => ({ ...t, role: 'tenant_admin' as const }));
    // The user's memberships span tenants: read in the narrow 'sign-in' platform scope (RLS).
    const rows = await asPlatform('sign-in', () =>
      ctx.db.prisma.membership.findMany({
        where: { userId: ctx.user.id },
        select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
        orderBy: { tenant: { name: 'asc' } },
      }),
    );
    return rows.map((m) => ({ ...m.tenant, role: m.role }));
  }),
};
