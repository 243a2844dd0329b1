import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Correlation ids and step idempotency keys. Both end up in HTTP headers of outbound calls and in
 * log lines, so both are kept to a conservative character set and length.
 */

export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const TRACEPARENT_HEADER = 'traceparent';
export const MAX_CORRELATION_ID_LENGTH = 128;

export type HeaderSource = Record<string, string | string[] | undefined> | Headers;

/** Visible ASCII except `,`, which joins repeated header values (`Headers.get` returns "a, b"). */
const CORRELATION_ID = /^[\x21-\x2B\x2D-\x7E]+$/;

/** W3C Trace Context `traceparent`: version-traceid-parentid-flags, lower-case hex. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

function isHeaders(source: HeaderSource): source is Headers {
  return typeof (source as Headers).get === 'function' && typeof (source as Headers).has === 'function';
}

/** All values of a header, case-insensitively, whether from a fetch `Headers` or a Node header object. */
function headerValues(source: HeaderSource, name: string): string[] {
  if (isHeaders(source)) {
    const value = source.get(name);
    return value === null ? [] : [value];
  }
  const values: string[] = [];
  for (const key of Object.keys(source)) {
    if (key.toLowerCase() !== name) continue;
    const value = source[key];
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) values.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  return values;
}

/** The caller's correlation id when it is usable as is; undefined otherwise (then we make our own). */
export function sanitizeCorrelationId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Repeated headers arrive joined by commas; the first occurrence is the caller's.
  const first = value.split(',')[0]!.trim();
  if (first.length === 0 || first.length > MAX_CORRELATION_ID_LENGTH) return undefined;
  return CORRELATION_ID.test(first) ? first : undefined;
}

/**
 * The trace id of a valid `traceparent`, or undefined. Rejects version `ff`, all-zero trace and
 * parent ids, upper-case hex, and version-00 headers with extra fields, as the spec requires.
 */
export function traceIdFromTraceparent(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match;
  if (version === 'ff') return undefined;
  if (version === '00' && rest !== undefined) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  return traceId;
}

/**
 * The W3C trace context to continue: the one valid `traceparent` header, as version 00 (later
 * versions' extra fields are dropped, as the spec allows), or undefined (none, several, invalid).
 */
export function resolveTraceparent(headers: HeaderSource): string | undefined {
  const values = headerValues(headers, TRACEPARENT_HEADER);
  if (values.length !== 1 || values[0]!.includes(',')) return undefined;
  const value = values[0]!.trim();
  if (traceIdFromTraceparent(value) === undefined) return undefined;
  const [, traceId, parentId, flags] = value.split('-');
  return `00-${traceId}-${parentId}-${flags}`;
}

function randomUuid(): string {
  // Web Crypto: available in browsers and in Node ≥ 19 as a global.
  return crypto.randomUUID();
}

/**
 * The run's correlation id: the caller's `X-Correlation-Id` when it is printable and at most 128
 * characters, else the trace id of a valid W3C `traceparent`, else a new UUID.
 */
export function resolveCorrelationId(headers: HeaderSource, newId: () => string = randomUuid): string {
  for (const value of headerValues(headers, CORRELATION_ID_HEADER)) {
    const id = sanitizeCorrelationId(value);
    if (id !== undefined) return id;
  }
  // Several traceparent headers make the context ambiguous: start a new trace, as the W3C test suite expects.
  const traceparents = headerValues(headers, TRACEPARENT_HEADER);
  if (traceparents.length === 1 && !traceparents[0]!.includes(',')) {
    const traceId = traceIdFromTraceparent(traceparents[0]);
    if (traceId !== undefined) return traceId;
  }
  return newId();
}

/** Keys longer than this are hashed; many APIs cap Idempotency-Key at 255 characters. */
export const MAX_READABLE_IDEMPOTENCY_KEY = 200;

/** Percent-encodes everything outside `[A-Za-z0-9._~-]`, so `:` only ever appears as the separator. */
const HEADER_SAFE_PART = /^[A-Za-z0-9._~-]*$/;

function encodePart(part: string): string {
  // Ids and iterations are nearly always header-safe already: skip the byte-by-byte pass for them.
  if (HEADER_SAFE_PART.test(part)) return part;
  return Array.from(utf8ToBytes(part), (byte) => {
    const ch = String.fromCharCode(byte);
    return /[A-Za-z0-9._~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/**
 * The idempotency key of one activation (run + node + iteration), identical on every retry and on
 * every worker, so the target can drop duplicates. Readable (`run:node:iteration`) when short, else
 * `sha256-<hex>` of the readable form; both are header-safe and the two forms cannot collide (the
 * readable one always contains `:`).
 */
export function stepIdempotencyKey(runKey: string, nodeId: string, iteration: string): string {
  const readable = [runKey, nodeId, iteration].map(encodePart).join(':');
  if (readable.length <= MAX_READABLE_IDEMPOTENCY_KEY) return readable;
  return `sha256-${bytesToHex(sha256(utf8ToBytes(readable)))}`;
}
