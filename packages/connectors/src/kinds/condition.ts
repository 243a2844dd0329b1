import { condition, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { evaluateNodeExpression, type ExpressionBudget } from './expression-budget';

export function createConditionExecutor(budget: ExpressionBudget): NodeExecutor {
  return defineExecutor(condition, async (ctx, config, input) => {
    const result = await evaluateNodeExpression(ctx, budget, 'expression', config.expression, input);
    // The input flows on unchanged: a condition routes, it does not reshape.
    return { output: input, port: jsonataBoolean(result) ? 'true' : 'false' };
  });
}

/**
 * JSONata's own truthiness ($boolean), so that `items[price > 10]` and `$boolean(...)` written in the
 * designer route the same way: empty strings, 0, null, empty arrays/objects and no match are false;
 * an array is true when any member is.
 */
export function jsonataBoolean(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => jsonataBoolean(item));
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}
