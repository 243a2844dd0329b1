import { NodeExecutionError, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { evaluateNodeExpression, optionalExpression, type ExpressionBudget } from '../kinds/expression-budget';
import { CORRELATION_HEADER } from './headers';
import type { EventBrokers } from './broker';
import { eventPublish } from './kinds';

/**
 * `event.publish`: the message id is the step idempotency key, so a step retried after a lost
 * acknowledgement publishes the same id and JetStream (within its duplicate window) or the
 * consumer's ingress de-duplication keeps one message. An unreachable broker is a retryable error.
 */
export function createEventPublishExecutor(brokers: EventBrokers, budget: ExpressionBudget): NodeExecutor {
  return defineExecutor(eventPublish, async (ctx, config, input) => {
    const broker = brokers[config.broker];
    if (!broker) {
      throw new NodeExecutionError(`event.publish: no ${config.broker} broker is configured on this worker (set SWITCHYARD_${config.broker === 'nats' ? 'NATS_URL' : 'AMQP_URL'})`, {
        code: 'broker_unavailable',
        retryable: true,
      });
    }
    const expression = optionalExpression(config.payload);
    const body = expression === undefined ? input : await evaluateNodeExpression(ctx, budget, 'payload', expression, input);
    const messageId = ctx.idempotencyKey;
    try {
      const result = await broker.publish(ctx.tenantId, config.subject, new TextEncoder().encode(JSON.stringify(body ?? null)), messageId, { [CORRELATION_HEADER]: ctx.correlationId });
      return { output: { broker: config.broker, subject: config.subject, messageId, duplicate: result.duplicate, ...(result.sequence !== undefined ? { sequence: result.sequence } : {}) } };
    } catch (err) {
      throw new NodeExecutionError(`event.publish to ${config.broker} subject ${config.subject} failed: ${err instanceof Error ? err.message : String(err)}`, {
        code: 'broker_unavailable',
        retryable: true,
      });
    }
  });
}
