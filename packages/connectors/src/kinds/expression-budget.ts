import type { ExecutorContext } from '@switchyard/workflow';
import { evaluateExpression } from '../jsonata/evaluate';

export interface ExpressionBudget {
  timeoutMs: number;
  maxDepth: number;
}

/**
 * Evaluates a node's expression with the bindings every kind shares: `$` is the node input and
 * `$trigger` the run's trigger payload. `field` names the config field in error messages.
 */
export function evaluateNodeExpression(
  ctx: ExecutorContext,
  budget: ExpressionBudget,
  field: string,
  expression: string,
  input: unknown,
): Promise<unknown> {
  return evaluateExpression(expression, input, { trigger: ctx.trigger }, { ...budget, field });
}

/**
 * Optional expression fields mean "use the input" when left empty; the designer's form submits an
 * emptied field as "" rather than omitting it, and "" is not valid JSONata.
 */
export function optionalExpression(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
