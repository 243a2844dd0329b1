import jsonata from 'jsonata';
import { MappingFunctionError } from './functions';

export const DEFAULT_MAPPING_TIMEOUT_MS = 1_000;
/** JSONata evaluation frames, not user calls: 2,000 allows a few hundred levels of recursion. */
export const DEFAULT_MAPPING_MAX_DEPTH = 2_000;

export interface ExpressionBudget {
  /** Wall-clock budget per expression (JSONata's `timeout` option). */
  timeoutMs: number;
  /** Evaluation depth (JSONata's `stack` option), which stops runaway recursion. */
  maxDepth: number;
}

/** What went wrong with one expression, already phrased for the person who wrote it. */
export class ExpressionFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'parse' | 'timeout' | 'error',
  ) {
    super(message);
    this.name = 'ExpressionFailure';
  }
}

interface JsonataFailure {
  code?: string;
  message?: string;
  position?: number;
  token?: string;
}

// Parsing is cheap but not free, and previews re-run the same default expressions constantly. The
// budget is a compile-time option in JSONata, so it is part of the key. Map order makes it an LRU.
const CACHE_LIMIT = 2_000;
const cache = new Map<string, jsonata.Expression>();

export function compileMappingExpression(expression: string, budget: ExpressionBudget): jsonata.Expression {
  const key = `${budget.timeoutMs}:${budget.maxDepth}:${expression}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(expression, { timeout: budget.timeoutMs, stack: budget.maxDepth });
  } catch (err) {
    const failure = asFailure(err);
    throw new ExpressionFailure(`does not parse: ${failure.message ?? String(err)}${where(failure)}`, 'parse');
  }
  cache.set(key, compiled);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return compiled;
}

/** Evaluates and returns plain JSON data (JSONata's sequence flags and functions stripped), or undefined. */
export async function evaluateMappingExpression(
  compiled: jsonata.Expression,
  input: unknown,
  bindings: Record<string, unknown>,
  budget: ExpressionBudget,
): Promise<unknown> {
  let result: unknown;
  try {
    result = await compiled.evaluate(input, bindings);
  } catch (err) {
    throw describeEvaluationError(err, budget);
  }
  if (result === undefined) return undefined;
  if (isJsonataFunction(result)) throw new ExpressionFailure('returned a function, not data', 'error');
  return JSON.parse(JSON.stringify(result, (_key, value: unknown) => (isJsonataFunction(value) ? undefined : value))) as unknown;
}

function describeEvaluationError(err: unknown, budget: ExpressionBudget): ExpressionFailure {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new ExpressionFailure('recursed too deeply (JavaScript stack exhausted) and was stopped', 'timeout');
  }
  if (err instanceof MappingFunctionError) return new ExpressionFailure(err.message, 'error');
  const failure = asFailure(err);
  if (failure.code === 'D1012') return new ExpressionFailure(`ran longer than its ${budget.timeoutMs} ms budget and was stopped${where(failure)}`, 'timeout');
  if (failure.code === 'D1011') {
    return new ExpressionFailure(`exceeded the evaluation depth limit of ${budget.maxDepth} and was stopped${where(failure)} (non-terminating recursion?)`, 'timeout');
  }
  const message = failure.message ?? (err instanceof Error ? err.message : String(err));
  // $error("...") is the mapping author's own message, complete as written.
  if (failure.code === 'D3137') return new ExpressionFailure(message, 'error');
  const code = failure.code !== undefined ? ` [${failure.code}]` : '';
  return new ExpressionFailure(`${message}${code}${where(failure)}`, 'error');
}

function asFailure(err: unknown): JsonataFailure {
  return typeof err === 'object' && err !== null ? (err as JsonataFailure) : {};
}

function where(failure: JsonataFailure): string {
  if (typeof failure.position !== 'number') return '';
  const token = typeof failure.token === 'string' && failure.token !== '(end)' ? ` near "${failure.token}"` : '';
  return ` at position ${failure.position}${token}`;
}

function isJsonataFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const flags = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return flags._jsonata_lambda === true || flags._jsonata_function === true;
}
