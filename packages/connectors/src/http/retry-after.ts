/** A server asking for more than this is treated as asking for this; the retry policy still caps attempts. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns milliseconds to
 * wait, clamped to [0, cap], or undefined when absent or unparseable (the engine's backoff applies).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, capMs = MAX_RETRY_AFTER_MS): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, capMs);
  // Only date-looking values: Date.parse accepts bare numbers like "1.5" as years.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - nowMs, 0), capMs);
}
