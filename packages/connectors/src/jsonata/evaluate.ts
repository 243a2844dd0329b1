import jsonata from 'jsonata';
import { NodeExecutionError } from '@switchyard/workflow';
import { LruCache } from './lru-cache';

export const DEFAULT_EXPRESSION_TIMEOUT_MS = 1_000;
/**
 * Counted in JSONata evaluation frames (each AST node entered), not in user function calls: a
 * non-tail-recursive function uses a handful of frames per call, so 2,000 allows a few hundred levels.
 */
export const DEFAULT_EXPRESSION_MAX_DEPTH = 2_000;
const CACHE_SIZE = 1_000;

export interface EvaluateOptions {
  /** Wall-clock budget for one evaluation. */
  timeoutMs: number;
  /** Maximum nesting of evaluation frames (stops runaway recursion). */
  maxDepth: number;
  /** The config field the expression came from, e.g. `expression` or `body`; named in errors. */
  field: string;
}

/** The error object JSONata throws: a plain object, not an Error instance. */
interface JsonataFailure {
  code?: string;
  message?: string;
  position?: number;
  token?: string;
}

// Budgets are compile-time options in JSONata, so they are part of the cache key.
const compiled = new LruCache<string, jsonata.Expression>(CACHE_SIZE);

export function clearExpressionCache(): void {
  compiled.clear();
}

export function expressionCacheSize(): number {
  return compiled.size;
}

/**
 * Parses (or fetches from the cache) an expression. Throws `expression_error` naming the field and
 * JSONata's position on a syntax error; the designer can call this to validate without evaluating.
 */
export function compileExpression(expression: string, options: EvaluateOptions): jsonata.Expression {
  const key = `${options.timeoutMs}:${options.maxDepth}:${expression}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  let expr: jsonata.Expression;
  try {
    // JSONata >= 2.2 implements the "timebox" guard natively: `timeout` and `stack` are checked on
    // every evaluation step with a clock and a depth counter kept per evaluate() call. The older
    // recipe (expr.assign('__evaluate_entry'/'__evaluate_exit') with counters in a closure) shares the
    // counters between concurrent evaluations of one compiled expression, which breaks with a cache.
    expr = jsonata(expression, { timeout: options.timeoutMs, stack: options.maxDepth });
  } catch (err) {
    throw toNodeError(err, options);
  }
  compiled.set(key, expr);
  return expr;
}

/**
 * Evaluates a JSONata expression with `$` = input and the given bindings (names without `$`).
 * Returns plain JSON data (JSONata sequences flattened to arrays), or undefined when nothing matched.
 */
export async function evaluateExpression(
  expression: string,
  input: unknown,
  bindings: Record<string, unknown>,
  options: EvaluateOptions,
): Promise<unknown> {
  const expr = compileExpression(expression, options);
  let result: unknown;
  try {
    result = await expr.evaluate(input, bindings);
  } catch (err) {
    throw toNodeError(err, options);
  }
  return toJsonValue(result, options.field);
}

function toJsonValue(result: unknown, field: string): unknown {
  if (result === undefined) return undefined;
  if (isJsonataFunction(result)) {
    throw new NodeExecutionError(`${field}: the expression returned a function, not data`, {
      code: 'expression_error',
      retryable: false,
    });
  }
  // The round-trip drops JSONata's internal sequence flags and any nested lambdas (which hold their
  // closure environment, a circular structure), so the engine stores exactly what a later step reads.
  try {
    return JSON.parse(JSON.stringify(result, (_key, value: unknown) => (isJsonataFunction(value) ? undefined : value))) as unknown;
  } catch (err) {
    throw new NodeExecutionError(
      `${field}: the expression result cannot be stored as JSON (${err instanceof Error ? err.message : String(err)})`,
      { code: 'expression_error', retryable: false },
    );
  }
}

/** JSONata lambdas and built-ins are objects flagged `_jsonata_lambda` / `_jsonata_function`. */
function isJsonataFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const flags = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return flags._jsonata_lambda === true || flags._jsonata_function === true;
}

function toNodeError(err: unknown, options: EvaluateOptions): NodeExecutionError {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new NodeExecutionError(
      `${options.field}: the expression recursed too deeply (JavaScript stack exhausted); rewrite recursion as tail calls`,
      { code: 'expression_timeout', retryable: false },
    );
  }
  const failure: JsonataFailure = typeof err === 'object' && err !== null ? (err as JsonataFailure) : {};
  const where = describePosition(failure);
  if (failure.code === 'D1012') {
    return new NodeExecutionError(
      `${options.field}: the expression ran longer than its ${options.timeoutMs} ms budget and was stopped${where}`,
      { code: 'expression_timeout', retryable: false },
    );
  }
  if (failure.code === 'D1011') {
    return new NodeExecutionError(
      `${options.field}: the expression exceeded the evaluation depth limit of ${options.maxDepth} and was stopped${where} (non-terminating recursion?)`,
      { code: 'expression_timeout', retryable: false },
    );
  }
  const message = failure.message ?? (err instanceof Error ? err.message : String(err));
  const code = failure.code ? ` [${failure.code}]` : '';
  return new NodeExecutionError(`${options.field}: ${message}${code}${where}`, {
    code: 'expression_error',
    retryable: false,
  });
}

function describePosition(failure: JsonataFailure): string {
  if (typeof failure.position !== 'number') return '';
  const token = typeof failure.token === 'string' && failure.token !== '(end)' ? ` near "${failure.token}"` : '';
  return ` at position ${failure.position}${token}`;
}
