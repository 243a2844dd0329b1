import { transform, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { evaluateNodeExpression, type ExpressionBudget } from './expression-budget';

export function createTransformExecutor(budget: ExpressionBudget): NodeExecutor {
  return defineExecutor(transform, async (ctx, config, input) => {
    const result = await evaluateNodeExpression(ctx, budget, 'expression', config.expression, input);
    // "No match" is undefined in JSONata; null keeps the step output explicit in the run history.
    return { output: result === undefined ? null : result };
  });
}
