/**
 * A value for a `$n::jsonb` parameter. node-postgres would turn a JS array into a Postgres array
 * literal, so JSON is always serialised here; `undefined` becomes SQL NULL.
 */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects a malformed id with the field named, instead of a Postgres "invalid input syntax" error. */
export function assertUuid(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new TypeError(`${field} must be a UUID (got ${JSON.stringify(value)})`);
  }
}
