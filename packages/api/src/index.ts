import { appRouter } from './routers/root';
import { createCallerFactory } from './trpc';

export { appRouter, type AppRouter } from './routers/root';
export {
  createContext,
  createContextInner,
  TENANT_HEADER,
  type ApiDatabase,
  type Context,
  type CreateContextOptions,
} from './trpc';
export { GraphIssuesError } from './errors';
export { handleWebhook, MAX_WEBHOOK_BODY_BYTES, type WebhookRequest, type WebhookResponse } from './ingress/webhook';
export { healthCheck, healthHttpStatus, type HealthReport } from './health';
export { getServerDatabase } from './server-database';
export { createMetricsRegistry, renderMetrics, type BusinessMetrics, type MetricsOutput } from './metrics';
export { businessKeysOf } from './ingress/business-keys';

/** Calls procedures without HTTP: `createCaller(createContextInner({ db, tenantSlug }))`. */
export const createCaller = createCallerFactory(appRouter);
