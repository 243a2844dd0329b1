import jsonata from 'jsonata';
import type { ClassifiedError } from './step-error';

/**
 * The engine evaluates two kinds of expressions itself: a map's `items` and a wait's `key`. Both are
 * evaluated once and their results committed to the run state, so a resumed run never re-evaluates
 * (an expression using `$now()` cannot change its mind after a crash). Budgets as in the connectors:
 * JSONata checks them on every evaluation step.
 */
export const EXPRESSION_TIMEOUT_MS = 1_000;
export const EXPRESSION_MAX_DEPTH = 2_000;

export type EvaluationResult = { ok: true; value: unknown } | { ok: false; error: ClassifiedError };

interface JsonataFailure {
  code?: string;
  message?: string;
  position?: number;
}

/** `$` is `input`, `$trigger` the run's trigger payload. `label` (e.g. `map "each" items`) prefixes errors. */
export async function evaluate(expression: string, input: unknown, trigger: unknown, label: string): Promise<EvaluationResult> {
  try {
    const compiled = jsonata(expression, { timeout: EXPRESSION_TIMEOUT_MS, stack: EXPRESSION_MAX_DEPTH });
    const value: unknown = await compiled.evaluate(input, { trigger });
    // Round-trip: drops JSONata's sequence flags so the stored value is plain JSON; undefined = no match.
    return { ok: true, value: value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown) };
  } catch (err) {
    const failure: JsonataFailure = typeof err === 'object' && err !== null ? (err as JsonataFailure) : {};
    const message = failure.message ?? (err instanceof Error ? err.message : String(err));
    const where = typeof failure.position === 'number' ? ` at position ${failure.position}` : '';
    const code = failure.code ? ` [${failure.code}]` : '';
    return { ok: false, error: { code: 'expression_error', message: `${label}: ${message}${code}${where}`, retryable: false } };
  }
}

/** "an object", "a string", "nothing (no match)": for messages that say what came instead. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the expression matched no data)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
