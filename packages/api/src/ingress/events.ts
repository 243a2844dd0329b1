import { z } from 'zod';
import { deliverRunEvent, findTenantBySlug, findWebhookTarget, releaseWebhookDelivery, withTenant, type DeliverRunEventInput } from '@switchyard/db';
import { CORRELATION_ID_HEADER } from '@switchyard/workflow';
import type { ApiDatabase } from '../trpc';
import { authenticateApiKey, bearerTokenOf } from '../security/api-keys';
import { parseJsonSafely } from '../security/safe-json';
import { checkIngressRateLimit } from './rate-limit';
import { normalizeHeaders, type HeaderInput } from './request';
import { authorizeWebhookDelivery } from './signature';

/**
 * Events and approval decisions over HTTP, for runs parked on wait.event / approval nodes:
 *
 * - `POST /api/events/{tenant}`: tenant-wide; needs `Authorization: Bearer sy_…` with the `events` scope.
 * - `POST /api/events/{tenant}/{hook path}`: only runs of the workflow listening on that webhook path;
 *   authorised exactly like run ingress on that route (Standard Webhooks signature with the route's
 *   secret, or an API key, here with the `events` scope; a route without secrets is open).
 *
 * The body names the waits: `key` (what the wait's key expression gave, e.g. an order number) and/or
 * `correlationId` (the run's; also taken from the X-Correlation-Id header). 202 lists the runs
 * reached; 404 says nothing was waiting (the event is not kept, so a sender's retry can still land
 * once the run reaches its wait, and a signed retry's webhook-id is accepted again).
 */

export const MAX_EVENT_BODY_BYTES = 256 * 1024;

const nonEmpty = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const EventBodySchema = z
  .strictObject({
    kind: z.enum(['event', 'approval']).default('event'),
    key: nonEmpty(500).optional(),
    correlationId: nonEmpty(200).optional(),
    decision: z.enum(['approved', 'rejected']).optional(),
    comment: z.string().max(2000).optional(),
    runId: z.guid('must be a run id').optional(),
    payload: z.unknown().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'approval' && body.decision === undefined) {
      ctx.addIssue({ code: 'custom', path: ['decision'], message: 'is required for an approval: "approved" or "rejected"' });
    }
    if (body.kind === 'event' && (body.decision !== undefined || body.comment !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [body.decision !== undefined ? 'decision' : 'comment'], message: 'is only for approvals (kind "approval")' });
    }
  });

export interface EventRequest {
  tenantSlug: string;
  /** The webhook route path, or empty for the tenant-wide endpoint. */
  path: string;
  headers: HeaderInput;
  rawBody: Uint8Array | string;
}

export interface EventResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const reply = (status: number, body: unknown, headers: Record<string, string> = {}): EventResponse => ({ status, headers: { ...JSON_HEADERS, ...headers }, body });

export async function handleEventWebhook(db: ApiDatabase, request: EventRequest): Promise<EventResponse> {
  const size = typeof request.rawBody === 'string' ? Buffer.byteLength(request.rawBody, 'utf8') : request.rawBody.byteLength;
  if (size > MAX_EVENT_BODY_BYTES) return reply(413, { error: `the body is ${size} bytes; events accept at most ${MAX_EVENT_BODY_BYTES} bytes` });
  const tenant = await findTenantBySlug(db.prisma, request.tenantSlug);
  if (!tenant) return reply(404, { error: `unknown tenant ${JSON.stringify(request.tenantSlug)}` });
  // Everything after the tenant is known runs scoped to it (row-level security, tenant-scope.ts).
  return withTenant(tenant.id, () => handleTenantEvent(db, request, tenant));
}

async function handleTenantEvent(db: ApiDatabase, request: EventRequest, tenant: { id: string; slug: string }): Promise<EventResponse> {
  const limited = await checkIngressRateLimit(db, tenant.id);
  if (!limited.ok) return reply(429, { error: limited.reason }, { 'retry-after': String(limited.retryAfterSeconds) });
  const headers = normalizeHeaders(request.headers);

  // Who may deliver, before the body is parsed: an unauthenticated event wakes nothing.
  let workflowId: string | undefined;
  let messageId: string | null = null;
  if (request.path === '') {
    if (bearerTokenOf(headers) === null) {
      return reply(401, { error: 'events for the whole tenant need an API key with the events scope (Authorization: Bearer sy_…); signed deliveries go to /api/events/{tenant}/{hook path}' }, { 'www-authenticate': 'Bearer realm="switchyard"' });
    }
  } else {
    const target = await findWebhookTarget(db.prisma, tenant.id, request.path);
    if (!target) return reply(404, { error: `no workflow of tenant ${JSON.stringify(tenant.slug)} listens on ${JSON.stringify(request.path)}` });
    workflowId = target.workflowId;
  }
  if (bearerTokenOf(headers) !== null) {
    const key = await authenticateApiKey(db, headers, { scope: 'events', tenantId: tenant.id });
    if (!key.ok) return reply(key.status, { error: key.reason }, key.status === 401 ? { 'www-authenticate': 'Bearer realm="switchyard"' } : {});
  } else {
    // Same verification (and webhook-id bookkeeping) as run ingress on this route.
    const auth = await authorizeWebhookDelivery(db, { tenantId: tenant.id, workflowId: workflowId!, headers, rawBody: request.rawBody });
    if (!auth.ok) return reply(auth.status, { error: auth.reason }, auth.status === 401 ? { 'www-authenticate': 'Bearer realm="switchyard", Standard-Webhooks' } : {});
    if (auth.via === 'signature') messageId = headers['webhook-id'] ?? null;
  }

  const forget = async () => {
    if (messageId !== null && workflowId !== undefined) await releaseWebhookDelivery(db.pool, tenant.id, workflowId, messageId);
  };
  const parsed = parseBody(request.rawBody);
  if (!parsed.ok) {
    await forget();
    return reply(400, { error: parsed.reason });
  }
  const body = EventBodySchema.safeParse(parsed.value);
  const correlationId = body.success ? (body.data.correlationId ?? headers[CORRELATION_ID_HEADER]?.trim() ?? undefined) : undefined;
  const issues = body.success ? [] : body.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
  if (body.success && body.data.key === undefined && !correlationId) {
    issues.push({ path: 'key', message: `give the key the run waits with, or its correlationId (in the body or the ${CORRELATION_ID_HEADER} header)` });
  }
  if (!body.success || issues.length > 0) {
    await forget();
    return reply(400, { error: 'the event is invalid', issues });
  }

  const data = body.data;
  const input: DeliverRunEventInput = {
    tenantId: tenant.id,
    kind: data.kind,
    ...(data.key !== undefined ? { key: data.key } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(workflowId !== undefined ? { workflowId } : {}),
    ...(data.runId !== undefined ? { runId: data.runId } : {}),
  };
  if (data.kind === 'approval') {
    input.decision = data.decision!;
    // The same shape as an approval decided through the API (approvals.decide).
    input.payload = { decision: data.decision, comment: data.comment ?? null, decidedAt: new Date().toISOString(), ...(data.payload === undefined ? {} : { data: data.payload }) };
  } else {
    input.payload = data.payload ?? null;
  }
  const result = await deliverRunEvent(db.pool, input);
  if (result.status === 'invalid') {
    await forget();
    return reply(400, { error: 'the event is invalid', issues: result.errors.map((e) => ({ path: e.field, message: e.message })) });
  }
  if (result.runs.length === 0) {
    await forget();
    const what = data.kind === 'approval' ? 'an approval' : 'an event';
    const by = [data.key !== undefined ? `key ${JSON.stringify(data.key)}` : null, correlationId ? `correlation id ${JSON.stringify(correlationId)}` : null].filter(Boolean).join(' and ');
    const scope = request.path === '' ? `tenant ${JSON.stringify(tenant.slug)}` : `the workflow on ${JSON.stringify(request.path)}`;
    return reply(404, { error: `no run of ${scope} is waiting for ${what} with ${by} (not there yet, timed out, or already delivered)` });
  }
  return reply(202, { delivered: result.runs });
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

function parseBody(raw: Uint8Array | string): Parsed {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8' };
  }
  if (text.trim() === '') return { ok: false, reason: 'the body is empty; send a JSON object such as {"key": "SO-1", "payload": {…}}' };
  try {
    return { ok: true, value: parseJsonSafely(text) };
  } catch (error) {
    return { ok: false, reason: `the body is not JSON: ${(error as Error).message}` };
  }
}
