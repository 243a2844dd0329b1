import { router } from '../trpc';
import { designerRouter } from './designer';
import { runsRouter } from './runs';
import { tenantsRouter } from './tenants';
import { workflowsRouter } from './workflows';

export const appRouter = router({
  tenants: tenantsRouter,
  workflows: workflowsRouter,
  runs: runsRouter,
  designer: designerRouter,
});

export type AppRouter = typeof appRouter;
