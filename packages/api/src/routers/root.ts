import { router } from '../trpc';
import { dashboardsRouter } from './dashboards';
import { designerRouter } from './designer';
import { runsRouter } from './runs';
import { tenantsRouter } from './tenants';
import { workflowsRouter } from './workflows';

export const appRouter = router({
  tenants: tenantsRouter,
  workflows: workflowsRouter,
  runs: runsRouter,
  dashboards: dashboardsRouter,
  designer: designerRouter,
});

export type AppRouter = typeof appRouter;
