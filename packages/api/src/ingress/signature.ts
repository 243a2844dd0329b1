import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { asPlatform, claimWebhookDelivery, openWebhookSecrets, purgeWebhookDeliveries } from '@switchyard/db';
import { authenticateApiKey, bearerTokenOf } from '../security/api-keys';
import { serverKeyring } from '../security/keyring';
import type { ApiDatabase } from '../trpc';

// Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (Unix
// seconds) and `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256>` entries), the HMAC
// taken over `${id}.${timestamp}.${raw body}` with the base64-decoded part of a `whsec_` secret.

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const MAX_MESSAGE_ID_LENGTH = 200;

export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

function secretBytes(secret: string): Buffer {
  const base64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  return Buffer.from(base64, 'base64');
}

function bodyBytes(body: Uint8Array | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function hmac(secret: string, id: string, timestamp: string, body: Uint8Array | string): Buffer {
  return createHmac('sha256', secretBytes(secret)).update(`${id}.${timestamp}.`, 'utf8').update(bodyBytes(body)).digest();
}

/** The `webhook-signature` value a sender puts on a delivery (used by tests and by outbound webhooks). */
export function signWebhook(input: { secret: string; id: string; timestamp: number; body: Uint8Array | string }): string {
  return `v1,${hmac(input.secret, input.id, String(input.timestamp), input.body).toString('base64')}`;
}

export type SignatureFailure = 'missing_header' | 'bad_timestamp' | 'stale_timestamp' | 'future_timestamp' | 'bad_signature' | 'replayed_id';

export type VerifyResult = { ok: true; messageId: string } | { ok: false; failure: SignatureFailure; reason: string };

export interface VerifyInput {
  /** Live secrets, newest first: during a rotation either one verifies. */
  secrets: readonly string[];
  headers: Record<string, string>;
  rawBody: Uint8Array | string;
  /** Milliseconds since the epoch (injectable for tests). */
  now?: number;
  toleranceSeconds?: number;
}

/**
 * Checks headers, timestamp window and signature (not replay: that needs the database). Every
 * candidate signature is compared against every secret with timingSafeEqual, without stopping at
 * the first match, so timing reveals neither which entry nor which secret matched.
 */
export function verifyWebhookSignature(input: VerifyInput): VerifyResult {
  const id = input.headers['webhook-id'];
  const timestamp = input.headers['webhook-timestamp'];
  const signature = input.headers['webhook-signature'];
  for (const [name, value] of [['webhook-id', id], ['webhook-timestamp', timestamp], ['webhook-signature', signature]] as const) {
    if (!value?.trim()) return { ok: false, failure: 'missing_header', reason: `the ${name} header is missing: this route requires signed deliveries (Standard Webhooks)` };
  }
  if (id!.length > MAX_MESSAGE_ID_LENGTH) return { ok: false, failure: 'missing_header', reason: `the webhook-id header is longer than ${MAX_MESSAGE_ID_LENGTH} characters` };
  if (!/^\d{1,12}$/.test(timestamp!.trim())) {
    return { ok: false, failure: 'bad_timestamp', reason: 'the webhook-timestamp header must be whole seconds since the Unix epoch' };
  }
  const seconds = Number(timestamp!.trim());
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (seconds < nowSeconds - tolerance) {
    return { ok: false, failure: 'stale_timestamp', reason: `the webhook-timestamp is more than ${tolerance} seconds in the past` };
  }
  if (seconds > nowSeconds + tolerance) {
    return { ok: false, failure: 'future_timestamp', reason: `the webhook-timestamp is more than ${tolerance} seconds in the future` };
  }

  const candidates = signature!
    .split(' ')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  let matched = false;
  for (const secret of input.secrets) {
    const expected = hmac(secret, id!, timestamp!.trim(), input.rawBody);
    for (const candidate of candidates) {
      // Lengths differ only for garbage; timingSafeEqual needs equal lengths, so compare against itself then.
      const equal = candidate.length === expected.length ? timingSafeEqual(candidate, expected) : !timingSafeEqual(expected, expected);
      matched = equal || matched;
    }
  }
  if (!matched) {
    return {
      ok: false,
      failure: 'bad_signature',
      reason: candidates.length === 0 ? 'the webhook-signature header has no v1 signature' : 'no webhook-signature entry matches the body with this route’s secret',
    };
  }
  return { ok: true, messageId: id! };
}

export type DeliveryAuth =
  | { ok: true; via: 'none' | 'signature' | 'api-key'; actor: string }
  | { ok: false; status: 401 | 403; reason: string };

export interface AuthorizeDeliveryInput {
  tenantId: string;
  workflowId: string;
  headers: Record<string, string>;
  rawBody: Uint8Array | string;
  now?: number;
}

/** Purges old message ids now and then, not on every delivery. */
let lastPurge = 0;

/**
 * Decides whether a delivery may start a run. A route with a signing secret requires a valid
 * Standard Webhooks signature whose id was not seen before, or an `Authorization: Bearer sy_…` key
 * of the tenant with the `ingress` scope. A route without secrets is open (the demo routes), but a
 * presented key that is wrong is still refused.
 */
export async function authorizeWebhookDelivery(db: ApiDatabase, input: AuthorizeDeliveryInput): Promise<DeliveryAuth> {
  const bearer = bearerTokenOf(input.headers);
  if (bearer !== null) {
    const key = await authenticateApiKey(db, input.headers, { scope: 'ingress', tenantId: input.tenantId });
    return key.ok ? { ok: true, via: 'api-key', actor: key.actor } : { ok: false, status: key.status, reason: key.reason };
  }
  const secrets = await openWebhookSecrets(db.prisma, () => serverKeyring(db), input.tenantId, input.workflowId);
  if (secrets.length === 0) return { ok: true, via: 'none', actor: 'anonymous' };

  const verified = verifyWebhookSignature({ secrets, headers: input.headers, rawBody: input.rawBody, now: input.now });
  if (!verified.ok) return { ok: false, status: 401, reason: verified.reason };
  if (!(await claimWebhookDelivery(db.pool, input.tenantId, input.workflowId, verified.messageId))) {
    return { ok: false, status: 401, reason: `webhook-id ${JSON.stringify(verified.messageId)} was already accepted: each delivery id is accepted once` };
  }
  await purgeDeliveriesNowAndThen(db, input.now ?? Date.now());
  return { ok: true, via: 'signature', actor: 'webhook-signature' };
}

/** Forgets accepted message ids whose timestamps can no longer pass, at most once a minute per process. */
export async function purgeDeliveriesNowAndThen(db: ApiDatabase, now: number): Promise<void> {
  if (now - lastPurge <= 60_000) return;
  lastPurge = now;
  // Twice the tolerance: an id must be remembered as long as its timestamp could still pass.
  // Expired ids of every tenant, not only the tenant whose delivery happens to run the purge.
  await asPlatform('retention', () => purgeWebhookDeliveries(db.pool, new Date(now - 2 * SIGNATURE_TOLERANCE_SECONDS * 1000)));
}

export type DeliveryCheck =
  /** `secretIds`/`messageId` go to enqueueWebhookRun, which checks and records them with the run. */
  | { ok: true; via: 'none' | 'signature' | 'api-key'; secretIds: string[] | null; messageId: string | null }
  | { ok: false; status: 401 | 403; reason: string; failure?: SignatureFailure };

/**
 * authorizeWebhookDelivery for the hot path: the route's secrets come from the ingress cache and the
 * webhook-id is not claimed here but by the enqueue statement, in the same transaction as the run.
 * An API key is still checked against the database on every delivery (revocation is immediate).
 */
export async function checkDelivery(
  db: ApiDatabase,
  input: { tenantId: string; secrets: readonly { id: string; secret: string }[]; headers: Record<string, string>; rawBody: Uint8Array | string; now?: number },
): Promise<DeliveryCheck> {
  if (bearerTokenOf(input.headers) !== null) {
    const key = await authenticateApiKey(db, input.headers, { scope: 'ingress', tenantId: input.tenantId });
    return key.ok ? { ok: true, via: 'api-key', secretIds: null, messageId: null } : { ok: false, status: key.status, reason: key.reason };
  }
  if (input.secrets.length === 0) return { ok: true, via: 'none', secretIds: [], messageId: null };
  const verified = verifyWebhookSignature({ secrets: input.secrets.map((s) => s.secret), headers: input.headers, rawBody: input.rawBody, now: input.now });
  if (!verified.ok) return { ok: false, status: 401, reason: verified.reason, failure: verified.failure };
  return { ok: true, via: 'signature', secretIds: input.secrets.map((s) => s.id), messageId: verified.messageId };
}
