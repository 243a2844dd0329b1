import type { z } from 'zod';

/**
 * Turning zod issues into messages a designer user can act on: "url must not be empty",
 * "nodes[2].position.x must be a number, received a string". The phrases follow the field name,
 * which is also how the core kinds word their own schema messages ("must not be empty").
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a zod path below `base` as `nodes[2].config.url` or `headers["X-Key"]`. */
export function formatPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else {
      // Keys come from untrusted input; keep paths (and the messages quoting them) short.
      const text = String(key);
      out += `[${JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)}]`;
    }
  }
  return out;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  record: 'an object',
  literal: 'a literal',
};

function sizeUnit(origin: string): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array' || origin === 'set') return ' items';
  return '';
}

function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 20).map((v) => JSON.stringify(v) ?? String(v));
  return shown.join(', ') + (values.length > shown.length ? ', …' : '');
}

/**
 * Per-parse error map. Schema-level messages (e.g. the kinds' "must not be empty") take precedence
 * over it; anything it does not recognise falls back to zod's own wording.
 */
export const phraseErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'is required';
      const expected = TYPE_NAMES[iss.expected] ?? iss.expected;
      return `must be ${expected}, received ${describeValue(iss.input)}`;
    }
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'string' && min === 1) return 'must not be empty';
      if (iss.origin === 'array' && min === 1) return 'must have at least one item';
      const bound = iss.inclusive === false ? 'greater than' : 'at least';
      return iss.origin === 'number' || iss.origin === 'int'
        ? `must be ${bound} ${min}`
        : `must have ${bound} ${min}${sizeUnit(iss.origin)}`;
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      const bound = iss.inclusive === false ? 'less than' : 'at most';
      return iss.origin === 'number' || iss.origin === 'int'
        ? `must be ${bound} ${max}`
        : `must have ${bound} ${max}${sizeUnit(iss.origin)}`;
    }
    case 'invalid_value':
      return iss.values.length === 1 ? `must be ${listValues(iss.values)}` : `must be one of ${listValues(iss.values)}`;
    case 'invalid_format':
      return iss.format === 'regex' ? `does not match the pattern ${String(iss.pattern ?? '')}` : `must be a valid ${iss.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    case 'unrecognized_keys':
      return `has unknown keys ${listValues(iss.keys)}`;
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_union':
      return 'does not match any of the allowed shapes';
    default:
      return undefined;
  }
};

/**
 * safeParse whose failures carry the phrases above. Valid input (the common case, e.g. every save of
 * a correct draft) takes zod's fast path; only failures are parsed again with the error map.
 */
export function parseWithPhrases<T extends z.ZodType>(schema: T, value: unknown): z.ZodSafeParseResult<z.output<T>> {
  const first = schema.safeParse(value);
  return first.success ? first : schema.safeParse(value, { error: phraseErrorMap });
}

export interface FieldProblem {
  /** Path relative to the parsed value, as zod reports it. */
  path: readonly PropertyKey[];
  /** Every phrase for this field, joined: "must not be empty and does not match …". */
  phrase: string;
}

/**
 * One problem per failing field: zod may report several checks on the same field (min and regex),
 * which a form shows as one message.
 */
export function groupIssuesByField(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const byPath = new Map<string, { path: readonly PropertyKey[]; phrases: string[] }>();
  for (const issue of issues) {
    // Record-key issues point at the map; the offending key is more useful in the path.
    const badKey = issue.code === 'invalid_key' && typeof issue.input === 'string';
    const path = badKey ? [...issue.path, issue.input] : issue.path;
    // The key's own issues say what is wrong with it ("is not a valid HTTP header name").
    const phrases = issue.code === 'invalid_key' && issue.issues.length > 0 ? issue.issues.map((i) => i.message) : [issue.message];
    const key = JSON.stringify(path.map((p) => (typeof p === 'symbol' ? p.toString() : p)));
    const entry = byPath.get(key) ?? { path, phrases: [] };
    for (const phrase of phrases) if (!entry.phrases.includes(phrase)) entry.phrases.push(phrase);
    byPath.set(key, entry);
  }
  return [...byPath.values()].map((e) => ({ path: e.path, phrase: e.phrases.join(' and ') }));
}
