import { z } from 'zod';
import { DASHBOARD_RANGES, loadDashboard, type DashboardRange } from '@switchyard/db';
import { platformAdminProcedure, tenantProcedure } from '../trpc';

const ranges = Object.keys(DASHBOARD_RANGES) as [DashboardRange, ...DashboardRange[]];
const rangeInput = z.object({ range: z.enum(ranges).default('24h') });

export const dashboardsRouter = {
  /** The selected tenant's dashboard: throughput series, success rate, durations per workflow, retries, backlog, endpoints. */
  tenant: tenantProcedure.input(rangeInput).query(({ ctx, input }) => loadDashboard(ctx.db.pool, { tenantIds: [ctx.tenant.id], range: input.range })),

  /**
   * The same figures across all tenants, with "which tenants are behind" ordered furthest behind
   * first. Platform scope: platform admins only.
   */
  platform: platformAdminProcedure.input(rangeInput).query(async ({ ctx, input }) => {
    const tenants = await ctx.db.prisma.tenant.findMany({ select: { id: true } });
    return loadDashboard(ctx.db.pool, { tenantIds: tenants.map((t) => t.id), range: input.range });
  }),
};
