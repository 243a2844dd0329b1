import { router } from '../trpc';
import { runsRouter } from './runs';
import { tenantsRouter } from './tenants';
import { workflowsRouter } from './workflows';

export const appRouter = router({
  tenants: tenantsRouter,
  workflows: workflowsRouter,
  runs: runsRouter,
});

export type AppRouter = typeof appRouter;
