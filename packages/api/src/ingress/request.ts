import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export type HeaderInput = Headers | Record<string, string | string[] | undefined>;

/** Lower-cased single-valued headers, from a fetch Headers object or a Node-style record. */
export function normalizeHeaders(headers: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, name) => {
      out[name.toLowerCase()] = value;
    });
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * sha256 of the RFC 8785 canonical JSON: two deliveries that differ only in key order or whitespace
 * are the same payload, so a retry from a sender that re-serialises is not mistaken for a new request.
 */
export function payloadHash(body: unknown): string {
  return createHash('sha256')
    .update(canonicalize(body) ?? 'null')
    .digest('hex');
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export type KeyLookup = { ok: true; key: string | null } | { ok: false; reason: string };

/**
 * The run's idempotency key: the `Idempotency-Key` header wins; otherwise the value at the trigger's
 * `idempotencyKeyPath` (dotted, with numeric segments for array items: `invoice.lines.0.id`).
 */
export function idempotencyKeyOf(headers: Record<string, string>, body: unknown, keyPath: string | undefined): KeyLookup {
  const header = headers['idempotency-key']?.trim();
  if (header) {
    if (header.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      return { ok: false, reason: `Idempotency-Key header is ${header.length} characters; at most ${MAX_IDEMPOTENCY_KEY_LENGTH} are allowed` };
    }
    return { ok: true, key: header };
  }
  if (!keyPath) return { ok: true, key: null };
  let value: unknown = body;
  for (const segment of keyPath.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) {
      return { ok: false, reason: `the body has no value at ${JSON.stringify(keyPath)}, which this webhook uses as its idempotency key` };
    }
    value = (value as Record<string, unknown>)[segment];
  }
  if ((typeof value !== 'string' || value === '') && !(typeof value === 'number' && Number.isFinite(value))) {
    return { ok: false, reason: `the value at ${JSON.stringify(keyPath)} must be a non-empty string or a number to serve as the idempotency key` };
  }
  const key = String(value);
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return { ok: false, reason: `the value at ${JSON.stringify(keyPath)} is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` };
  }
  return { ok: true, key };
}
