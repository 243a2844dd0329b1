import { router } from '../trpc';
import { apiKeysRouter } from './api-keys';
import { auditRouter } from './audit';
import { approvalsRouter, eventsRouter } from './control/events';
import { deadLettersRouter } from './control/dead-letters';
import { policiesRouter } from './control/policies';
import { breakersRouter, schedulesRouter } from './control/schedules';
import { dashboardsRouter } from './dashboards';
import { connectionsRouter } from './connections';
import { designerRouter } from './designer';
import { mappingsRouter } from './mappings';
import { onboardingRouter } from './onboarding/index';
import { runsRouter } from './runs';
import { statusOutRouter } from './status-out/index';
import { templatesRouter } from './templates';
import { tenantsRouter } from './tenants';
import { usersRouter } from './users';
import { webhooksRouter } from './webhooks';
import { workflowsRouter } from './workflows';

export const appRouter = router({
  tenants: tenantsRouter,
  users: usersRouter,
  workflows: workflowsRouter,
  runs: runsRouter,
  dashboards: dashboardsRouter,
  designer: designerRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
  webhooks: webhooksRouter,
  connections: connectionsRouter,
  mappings: mappingsRouter,
  templates: templatesRouter,
  events: eventsRouter,
  approvals: approvalsRouter,
  policies: policiesRouter,
  deadLetters: deadLettersRouter,
  schedules: schedulesRouter,
  breakers: breakersRouter,
  onboarding: onboardingRouter,
  statusOut: statusOutRouter,
});

export type AppRouter = typeof appRouter;
