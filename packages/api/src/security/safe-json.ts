/**
 * JSON parsing for untrusted input (webhook bodies). `JSON.parse` itself does not pollute, but it
 * creates own properties named `__proto__`, `constructor` and `prototype`, and a later spread, merge
 * or JSONata transform that copies them can reach Object.prototype. Dropping those keys at ingress
 * means no stored payload ever carries them.
 */
const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isDangerousKey(key: string): boolean {
  return DANGEROUS_KEYS.has(key);
}

/** `JSON.parse` that drops `__proto__`, `constructor` and `prototype` keys at every depth. Throws SyntaxError like JSON.parse. */
export function parseJsonSafely(text: string): unknown {
  // A reviver that returns undefined deletes the property from its holder. The fast path skips the
  // reviver (which costs a callback per value) when no such key can be in the text.
  if (!/"(?:__proto__|constructor|prototype)"|\\u/i.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => (DANGEROUS_KEYS.has(key) ? undefined : value));
}

/** The same for a value that was parsed elsewhere (tRPC inputs): a deep copy without the dangerous keys. */
export function stripDangerousKeys(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 200) return value;
  if (Array.isArray(value)) return value.map((v) => stripDangerousKeys(v, depth + 1));
  // Only plain objects carry JSON keys: Dates (and anything else a transformer revived) pass as they are.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!DANGEROUS_KEYS.has(key)) out[key] = stripDangerousKeys((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}
