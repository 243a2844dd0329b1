import { formatPath, parseWithPhrases } from '@switchyard/workflow';
import type { z } from 'zod';
import { CANONICAL_NAMES, canonicalVersions, getCanonicalSchema, isCanonicalName } from './registry';

export interface FieldError {
  /** Dotted path into the payload, e.g. `lines[2].quantity`; empty for the payload as a whole. */
  path: string;
  message: string;
}

export type ValidationResult<T = unknown> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** One error per failing field, with zod's checks on the same field joined into one message. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const byPath = new Map<string, string[]>();
  for (const issue of issues) {
    // Unknown keys are reported on the object; naming each key as its own field is what a form needs.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) addMessage(byPath, formatPath('', [...issue.path, key]), 'is not a field of this object');
      continue;
    }
    // Record-key issues point at the map; the offending key, with what is wrong with it, is more useful.
    // (zod 4.6 already puts the key in the path; older releases gave it as `input`.)
    if (issue.code === 'invalid_key') {
      const key = issue.input;
      const path = typeof key === 'string' && issue.path[issue.path.length - 1] !== key ? [...issue.path, key] : issue.path;
      const messages = issue.issues.length > 0 ? issue.issues.map((i) => i.message) : [issue.message];
      for (const message of messages) addMessage(byPath, formatPath('', path), message);
      continue;
    }
    addMessage(byPath, formatPath('', issue.path), issue.message);
  }
  return [...byPath.entries()].map(([path, messages]) => ({ path, message: messages.join(' and ') }));
}

function addMessage(byPath: Map<string, string[]>, path: string, message: string): void {
  const messages = byPath.get(path) ?? [];
  if (!messages.includes(message)) messages.push(message);
  byPath.set(path, messages);
}

/** Parses with a schema and reports field errors (`{ path, message }`) instead of throwing. */
export function validateWith<T extends z.ZodType>(schema: T, payload: unknown): ValidationResult<z.output<T>> {
  const result = parseWithPhrases(schema, payload);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: toFieldErrors(result.error.issues) };
}

/**
 * Validates a payload against canonical object `name` at `version`. An unknown name or version is
 * reported as an error on the payload as a whole, never thrown, because both usually come from
 * user-edited configuration.
 */
export function validateCanonical(name: string, version: number, payload: unknown): ValidationResult {
  if (!isCanonicalName(name)) {
    return { ok: false, errors: [{ path: '', message: `unknown canonical object "${name}"; known: ${CANONICAL_NAMES.join(', ')}` }] };
  }
  const schema = getCanonicalSchema(name, version);
  if (schema === undefined) {
    return { ok: false, errors: [{ path: '', message: `${name} has no version ${version}; versions: ${canonicalVersions(name).join(', ')}` }] };
  }
  return validateWith(schema, payload);
}
