import { enqueueWebhookRun, listWebhookSecrets, waitForRunResponse, withTenant } from '@switchyard/db';
import { CORRELATION_ID_HEADER, resolveCorrelationId, resolveTraceparent, type HttpResponseSpec } from '@switchyard/workflow';
import type { ApiDatabase } from '../trpc';
import { parseJsonSafely } from '../security/safe-json';
import { businessKeysOf } from './business-keys';
import { checkContract } from './contract';
import { checkIngressRateLimit } from './rate-limit';
import { idempotencyKeyOf, normalizeHeaders, payloadHash, type HeaderInput } from './request';
import { forgetRoute, lookupRoute, lookupTenant, type IngressRoute } from './route-cache';
import { checkDelivery, purgeDeliveriesNowAndThen } from './signature';

/** Bodies above 1 MiB are refused before parsing: trigger payloads are stored with every run. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookRequest {
  tenantSlug: string;
  path: string;
  headers: HeaderInput;
  rawBody: Uint8Array | string;
}

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function reply(status: number, body: unknown, headers: Record<string, string> = {}): WebhookResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body };
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

function parseJsonBody(raw: Uint8Array | string): Parsed {
  let text: string;
  try {
    // fatal: invalid UTF-8 is a client error, not something to replace with U+FFFD and store.
    text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8' };
  }
  if (text.trim() === '') return { ok: false, reason: 'the body is empty; send a JSON document' };
  try {
    // Drops __proto__/constructor/prototype keys: stored payloads never carry them (hardening).
    return { ok: true, value: parseJsonSafely(text) };
  } catch (error) {
    return { ok: false, reason: `the body is not JSON: ${(error as Error).message}` };
  }
}

function byteLength(raw: Uint8Array | string): number {
  return typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
}

/**
 * `POST /api/hooks/{tenantSlug}/{path}`, framework-agnostic: verifies the route, dedupes by
 * idempotency key and enqueues a run of the route's active version. Answers 202 with the run id, or
 * for a synchronous trigger the respond node's response (202 when it does not come in time).
 *
 * The hot path costs one database transaction: tenant, route, version and secrets come from the
 * route cache, the signature is checked in memory, rate-limit tokens are drawn in batches, and one
 * statement (enqueueWebhookRun) re-checks the cached facts, records the webhook-id and inserts the
 * run. If the facts changed, nothing was written and the delivery is handled again from fresh data.
 */
export async function handleWebhook(db: ApiDatabase, request: WebhookRequest): Promise<WebhookResponse> {
  // Row-level security: the whole delivery is handled in the tenant's scope (tenant-scope.ts); the
  // tenant comes from a per-process cache, so this costs no query on the hot path.
  const tenant = await lookupTenant(db, request.tenantSlug);
  if (!tenant) return reply(404, { error: `unknown tenant ${JSON.stringify(request.tenantSlug)}` });
  return withTenant(tenant.id, () => handleTenantWebhook(db, request));
}

async function handleTenantWebhook(db: ApiDatabase, request: WebhookRequest): Promise<WebhookResponse> {
  const size = byteLength(request.rawBody);
  if (size > MAX_WEBHOOK_BODY_BYTES) {
    return reply(413, { error: `the body is ${size} bytes; webhooks accept at most ${MAX_WEBHOOK_BODY_BYTES} bytes` });
  }
  const headers = normalizeHeaders(request.headers);
  let rateChecked = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const lookup = await lookupRoute(db, request.tenantSlug, request.path, { fresh: attempt > 0 });
    if (lookup.kind === 'no-tenant') return reply(404, { error: `unknown tenant ${JSON.stringify(request.tenantSlug)}` });
    const tenant = lookup.kind === 'route' ? lookup.route.tenant : lookup.tenant;
    if (!rateChecked) {
      const limited = await checkIngressRateLimit(db, tenant.id);
      if (!limited.ok) return reply(429, { error: limited.reason }, { 'retry-after': String(limited.retryAfterSeconds) });
      rateChecked = true;
    }
    if (lookup.kind === 'no-route') {
      return reply(404, { error: `no published workflow of tenant ${JSON.stringify(tenant.slug)} listens on ${JSON.stringify(request.path)}` });
    }
    let route = lookup.route;

    // Signature (or ingress API key) before the body is even parsed: an unauthenticated delivery starts nothing.
    let auth = await checkDelivery(db, { tenantId: tenant.id, secrets: route.secrets, headers, rawBody: request.rawBody });
    if (!auth.ok && auth.failure === 'bad_signature' && (await secretsChanged(db, route))) {
      // The sender already uses a secret rotated in after the cache was filled.
      const reloaded = await lookupRoute(db, request.tenantSlug, request.path, { fresh: true });
      if (reloaded.kind !== 'route') continue;
      route = reloaded.route;
      auth = await checkDelivery(db, { tenantId: tenant.id, secrets: route.secrets, headers, rawBody: request.rawBody });
    }
    if (!auth.ok) return reply(auth.status, { error: auth.reason }, auth.status === 401 ? { 'www-authenticate': 'Bearer realm="switchyard", Standard-Webhooks' } : {});

    const parsed = parseJsonBody(request.rawBody);
    if (!parsed.ok) return reply(400, { error: parsed.reason });
    const trigger = route.trigger;
    // Contract at the edge: a payload that does not match the declared canonical schema starts nothing.
    let payload = parsed.value;
    let contractHeaders: Record<string, string> = {};
    if (trigger?.contract) {
      const checked = checkContract(trigger.contract, headers, parsed.value);
      if (!checked.ok) return reply(checked.status, checked.body);
      payload = checked.payload;
      contractHeaders = checked.headers;
    }
    const keyLookup = idempotencyKeyOf(headers, payload, trigger?.idempotencyKeyPath);
    if (!keyLookup.ok) return reply(400, { error: keyLookup.reason });
    const idempotencyKey = keyLookup.key;
    const hash = payloadHash(payload);

    const outcome = await enqueueWebhookRun(db.pool, {
      tenantId: tenant.id,
      workflowId: route.workflowId,
      versionId: route.versionId,
      path: request.path,
      secretIds: auth.secretIds,
      messageId: auth.messageId,
      trigger: 'webhook',
      correlationId: resolveCorrelationId(headers),
      traceparent: resolveTraceparent(headers) ?? null,
      idempotencyKey,
      payloadHash: hash,
      payload,
      businessKeys: businessKeysOf(payload, trigger?.businessKeyPaths, idempotencyKey),
    });
    if (outcome.kind === 'stale') {
      forgetRoute(db, request.tenantSlug, request.path);
      continue;
    }
    if (outcome.kind === 'replayed-delivery') {
      return reply(401, { error: `webhook-id ${JSON.stringify(auth.messageId)} was already accepted: each delivery id is accepted once` });
    }
    if (auth.messageId !== null) await purgeDeliveriesNowAndThen(db, Date.now());
    const run = outcome.run;
    if (!run.created && run.payloadHash !== hash) return keyConflict(run.runId, idempotencyKey!, run.payloadHash, hash);
    const answered = await answer(db, tenant.id, run, trigger);
    return { ...answered, headers: { ...answered.headers, ...contractHeaders } };
  }
  return reply(503, { error: 'the route changed repeatedly while this delivery was being accepted; nothing was started, send it again' }, { 'retry-after': '1' });
}

/** Route or version changed under a delivery this many times in a row: give up with a 503 (nothing was written). */
const MAX_ATTEMPTS = 3;
/** Whether the route's live secrets differ from the cached ones (one indexed read, only after a bad signature). */
async function secretsChanged(db: ApiDatabase, route: IngressRoute): Promise<boolean> {
  const live = await listWebhookSecrets(db.prisma, route.tenant.id, route.workflowId);
  const cached = new Set(route.secrets.map((s) => s.id));
  return live.length !== cached.size || live.some((s) => !cached.has(s.id));
}

async function answer(
  db: ApiDatabase,
  tenantId: string,
  run: { runId: string; correlationId: string; created: boolean },
  trigger: IngressRoute['trigger'],
): Promise<WebhookResponse> {
  const accepted = { runId: run.runId, correlationId: run.correlationId };
  const correlationHeader: Record<string, string> = { [CORRELATION_ID_HEADER]: run.correlationId };
  const extra: Record<string, string> = run.created ? {} : { 'idempotent-replayed': 'true' };
  if (!trigger?.synchronous) return reply(run.created ? 202 : 200, accepted, { ...correlationHeader, ...extra });

  // A replayed synchronous request gets the original run's answer, not a second run.
  const outcome = await waitForRunResponse(db.pool, tenantId, run.runId, trigger.responseTimeoutMs);
  switch (outcome.kind) {
    case 'response': {
      // Written by the respond node's executor; guarded anyway since it is JSON from the database.
      const spec = (outcome.response ?? {}) as Partial<HttpResponseSpec>;
      const status = typeof spec.status === 'number' ? spec.status : 200;
      return { status, headers: { ...JSON_HEADERS, ...spec.headers, ...correlationHeader, ...extra }, body: spec.body ?? null };
    }
    case 'finished':
      if (outcome.status === 'succeeded') {
        // The run ended without reaching a respond node (e.g. a condition routed around it).
        return reply(200, { ...accepted, status: outcome.status, result: outcome.result }, { ...correlationHeader, ...extra });
      }
      return reply(502, { runId: run.runId, error: outcome.error ?? { message: `the run ended as ${outcome.status} before responding` } }, {
        ...correlationHeader,
        ...extra,
      });
    case 'timeout':
    case 'not-found':
      return reply(202, accepted, { ...correlationHeader, ...extra });
  }
}

function keyConflict(runId: string, idempotencyKey: string, existingHash: string | null, hash: string): WebhookResponse {
  return reply(409, {
    error: 'this idempotency key was already used with a different payload',
    idempotencyKey,
    runId,
    existingPayloadHash: existingHash,
    payloadHash: hash,
  });
}
