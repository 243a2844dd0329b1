import { listTenants } from '@switchyard/db';
import { publicProcedure } from '../trpc';

/** Public: the tenant picker needs the list before a tenant is chosen. */
export const tenantsRouter = {
  list: publicProcedure.query(({ ctx }) => listTenants(ctx.db.prisma)),
};
