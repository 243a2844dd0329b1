import type jsonata from 'jsonata';
import {
  compileMappingExpression,
  DEFAULT_MAPPING_MAX_DEPTH,
  DEFAULT_MAPPING_TIMEOUT_MS,
  evaluateMappingExpression,
  ExpressionFailure,
  type ExpressionBudget,
} from './expressions';
import { createMappingFunctions } from './functions';
import { emptyOverlay, resolveFields, type ResolvedField } from './overlay';
import type { MappingDefinition, MappingError, MappingResult, TenantMappingOverlay } from './types';

export interface ApplyMappingOptions {
  overlay?: TenantMappingOverlay;
  /**
   * Time budget for the whole mapping. Each expression is compiled with it as JSONata's `timeout`,
   * and evaluation stops once the mapping as a whole has spent it.
   */
  timeoutMs?: number;
  /** JSONata `stack` depth per expression. */
  maxDepth?: number;
  /** Injected clock for tests; defaults to Date.now. */
  now?: () => number;
}

/** A 5,000-line invoice with one bad column would otherwise produce 5,000 errors. */
export const MAX_REPORTED_MAPPING_ERRORS = 100;

interface RunState {
  mapping: string;
  budget: ExpressionBudget;
  deadline: number;
  now: () => number;
  functions: Record<string, unknown>;
  compiled: Map<string, jsonata.Expression>;
  errors: MappingError[];
  /** Set once the budget is spent: nothing more is evaluated. */
  stopped: boolean;
}

/**
 * Runs a mapping (default fields with the tenant's overrides applied) over `input`. Every expression is
 * parsed before anything is evaluated, so a tenant's syntax error is reported even when the input
 * would never reach that field. Errors name the mapping and the target field; evaluation carries on
 * after a failing field so one preview shows every problem, except after a budget overrun.
 * Does not validate the input or the output: see previewMapping for the full pipeline.
 */
export async function applyMapping(mapping: MappingDefinition, input: unknown, options: ApplyMappingOptions = {}): Promise<MappingResult> {
  const overlay = options.overlay ?? emptyOverlay();
  const { fields, errors } = resolveFields(mapping.id, mapping.fields, overlay.fieldOverrides);
  if (errors.length > 0) return { ok: false, errors };

  const now = options.now ?? Date.now;
  const budget = { timeoutMs: options.timeoutMs ?? DEFAULT_MAPPING_TIMEOUT_MS, maxDepth: options.maxDepth ?? DEFAULT_MAPPING_MAX_DEPTH };
  const state: RunState = {
    mapping: mapping.id,
    budget,
    deadline: now() + budget.timeoutMs,
    now,
    functions: createMappingFunctions(overlay),
    compiled: new Map(),
    errors: [],
    stopped: false,
  };
  compileAll(state, fields, '');
  if (state.errors.length > 0) return { ok: false, errors: state.errors };

  const payload: Record<string, unknown> = {};
  await evaluateFields(state, fields, input, { root: input }, payload, '');
  return state.errors.length > 0 ? { ok: false, errors: state.errors } : { ok: true, payload };
}

function compileAll(state: RunState, fields: readonly ResolvedField[], prefix: string): void {
  for (const field of fields) {
    const name = `${prefix}${field.key}`;
    if (field.kind === 'expression') compileOne(state, field.expression, name, field.origin);
    else {
      compileOne(state, field.each, name, field.origin);
      compileAll(state, field.fields, `${name}[].`);
    }
  }
}

function compileOne(state: RunState, expression: string, field: string, origin: 'default' | 'override'): void {
  if (state.compiled.has(expression)) return;
  try {
    state.compiled.set(expression, compileMappingExpression(expression, state.budget));
  } catch (err) {
    const message = err instanceof ExpressionFailure ? err.message : String(err);
    state.errors.push({ mapping: state.mapping, field, stage: 'mapping', origin, message });
  }
}

async function evaluate(state: RunState, expression: string, input: unknown, bindings: Record<string, unknown>, field: string, origin: 'default' | 'override'): Promise<{ ok: true; value: unknown } | { ok: false }> {
  if (state.stopped) return { ok: false };
  if (state.now() > state.deadline) {
    state.stopped = true;
    report(state, { mapping: state.mapping, field, stage: 'mapping', origin, message: `not evaluated: the mapping spent its ${state.budget.timeoutMs} ms budget before reaching this field` });
    return { ok: false };
  }
  const compiled = state.compiled.get(expression);
  if (compiled === undefined) return { ok: false };
  try {
    return { ok: true, value: await evaluateMappingExpression(compiled, input, { ...state.functions, ...bindings }, state.budget) };
  } catch (err) {
    const failure = err instanceof ExpressionFailure ? err : new ExpressionFailure(err instanceof Error ? err.message : String(err), 'error');
    if (failure.kind === 'timeout') state.stopped = true;
    report(state, { mapping: state.mapping, field, stage: 'mapping', origin, message: failure.message });
    return { ok: false };
  }
}

async function evaluateFields(
  state: RunState,
  fields: readonly ResolvedField[],
  input: unknown,
  bindings: Record<string, unknown>,
  target: Record<string, unknown>,
  prefix: string,
): Promise<void> {
  for (const field of fields) {
    const name = `${prefix}${field.key}`;
    if (field.kind === 'expression') {
      const result = await evaluate(state, field.expression, input, bindings, name, field.origin);
      if (result.ok) place(state, target, field.path, result.value, name, field.origin);
      continue;
    }
    const selected = await evaluate(state, field.each, input, bindings, name, field.origin);
    if (!selected.ok || selected.value === undefined || selected.value === null) continue;
    // JSONata returns a lone match as a value rather than a one-element list.
    const elements = Array.isArray(selected.value) ? selected.value : [selected.value];
    const rows: Record<string, unknown>[] = [];
    for (const [index, element] of elements.entries()) {
      const row: Record<string, unknown> = {};
      await evaluateFields(state, field.fields, element, { ...bindings, index }, row, `${name}[${index}].`);
      rows.push(row);
    }
    place(state, target, field.path, rows, name, field.origin);
  }
}

/** Sets `value` at `path`, creating objects on the way; undefined leaves the field out. */
function place(state: RunState, target: Record<string, unknown>, path: readonly string[], value: unknown, field: string, origin: 'default' | 'override'): void {
  if (value === undefined) return;
  let node = target;
  for (const [depth, segment] of path.slice(0, -1).entries()) {
    const next = node[segment];
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    } else if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const parent = path.slice(0, depth + 1).join('.');
      report(state, { mapping: state.mapping, field, stage: 'mapping', origin, message: `cannot be set: "${parent}" already holds a ${Array.isArray(next) ? 'list' : typeof next}, not an object` });
      return;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

function report(state: RunState, error: MappingError): void {
  if (state.errors.length < MAX_REPORTED_MAPPING_ERRORS) {
    state.errors.push(error);
    return;
  }
  if (state.errors.length > MAX_REPORTED_MAPPING_ERRORS) return;
  state.stopped = true;
  state.errors.push({ mapping: state.mapping, field: '', stage: 'mapping', message: `stopped after ${MAX_REPORTED_MAPPING_ERRORS} errors; fix these and preview again` });
}
