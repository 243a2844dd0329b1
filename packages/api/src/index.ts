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
  type SignedInContext,
  type TenantContext,
} from './trpc';
export { GraphIssuesError } from './errors';
export { handleWebhook, MAX_WEBHOOK_BODY_BYTES, type WebhookRequest, type WebhookResponse } from './ingress/webhook';
export { createIngressHandler, matchWebhookRequest, type IngressHandlerOptions } from './ingress/node-http';
export { EventBodySchema, handleEventWebhook, MAX_EVENT_BODY_BYTES, type EventRequest, type EventResponse } from './ingress/events';
export { healthCheck, healthHttpStatus, type HealthReport } from './health';
export { getServerDatabase } from './server-database';
export { createMetricsRegistry, renderMetrics, type BusinessMetrics, type MetricsOutput } from './metrics';
export { businessKeysOf } from './ingress/business-keys';

// Governance: signed webhooks, ingress rate limit, API keys and the REST run-status read, safe JSON.
export {
  authorizeWebhookDelivery,
  generateWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  SIGNATURE_TOLERANCE_SECONDS,
  type DeliveryAuth,
  type SignatureFailure,
  type VerifyResult,
} from './ingress/signature';
export { checkIngressRateLimit, ingressRateLimit, DEFAULT_INGRESS_RATE_LIMIT, INGRESS_RATE_ENV, type IngressLimit } from './ingress/rate-limit';
export { API_KEY_SCOPES, authenticateApiKey, generateApiKey, hashApiKey, type ApiKeyAuth, type ApiKeyScope } from './security/api-keys';
export { handleRunStatusRequest, type RunStatusResponse } from './security/run-status';
export { handlePortalStatusRequest } from './status-out/portal-status';
export { parseJsonSafely, stripDangerousKeys } from './security/safe-json';
export { ANONYMOUS_ACTOR, actorOf, apiKeyActor } from './security/actor';

// Sign-in (better-auth, sessions in the database) and per-tenant roles.
export { authFor, sessionUserOf } from './auth/server-auth';
export { bootstrapFirstAdmin, ensureFirstAdmin, signInInstructions, ADMIN_EMAIL_ENV, ADMIN_PASSWORD_ENV, DEFAULT_ADMIN_EMAIL, type FirstAdminResult } from './auth/first-admin';
export { createPasswordUser } from './auth/users';
export { mayReadMetrics, METRICS_TOKEN_ENV } from './auth/metrics-access';
export { TENANT_ROLES, ROLE_LABELS, roleAtLeast, type SessionUser, type TenantRole } from './auth/roles';

/** Calls procedures without HTTP: `createCaller(createContextInner({ db, tenantSlug }))`. */
export const createCaller = createCallerFactory(appRouter);
