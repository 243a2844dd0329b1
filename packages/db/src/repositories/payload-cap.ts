/**
 * Oversized JSON in run history is replaced by a marker that says so and how big it was, instead of
 * being stored (and shipped to every browser that opens the run) in full.
 */

/** Default cap for one recorded value (a step's input, output or error; a run's result). */
export const DEFAULT_PAYLOAD_CAP_BYTES = 256 * 1024;

export interface TruncatedPayload {
  $truncated: true;
  /** UTF-8 size of the JSON that was not stored. */
  bytes: number;
}

export function isTruncatedPayload(value: unknown): value is TruncatedPayload {
  return typeof value === 'object' && value !== null && (value as { $truncated?: unknown }).$truncated === true;
}

/**
 * The value itself when its JSON fits in `maxBytes`, else `{ "$truncated": true, "bytes": N }`.
 * `undefined` stays `undefined` (SQL NULL for the caller).
 */
export function capPayload<T>(value: T, maxBytes: number = DEFAULT_PAYLOAD_CAP_BYTES): T | TruncatedPayload {
  if (!Number.isInteger(maxBytes) || maxBytes < 64) throw new TypeError(`capPayload: maxBytes must be a whole number of at least 64 (got ${String(maxBytes)})`);
  if (value === undefined) return value;
  const json = JSON.stringify(value);
  // Characters are at most 3 UTF-8 bytes each in JSON text (astral ones are 2 chars, 4 bytes): skip
  // the byte count when even the worst case fits.
  if (json === undefined || json.length * 3 <= maxBytes) return value;
  const bytes = Buffer.byteLength(json, 'utf8');
  return bytes <= maxBytes ? value : { $truncated: true, bytes };
}
