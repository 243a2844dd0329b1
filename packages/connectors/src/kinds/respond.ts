import { respond, type HttpResponseSpec, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { evaluateNodeExpression, optionalExpression, type ExpressionBudget } from './expression-budget';

export function createRespondExecutor(budget: ExpressionBudget): NodeExecutor {
  return defineExecutor(respond, async (ctx, config, input) => {
    const expression = optionalExpression(config.body);
    const body = expression === undefined ? input : await evaluateNodeExpression(ctx, budget, 'body', expression, input);
    const response: HttpResponseSpec = {
      status: config.status,
      headers: { ...config.headers },
      body: body === undefined ? null : body,
    };
    // The same spec is the step output (visible in run history) and the webhook's synchronous answer.
    return { output: response, response };
  });
}
