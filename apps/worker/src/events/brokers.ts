import { AmqpEventBroker, NatsEventBroker, type EventBrokers } from '@switchyard/connectors';
import type { Logger } from '@switchyard/engine';

export interface EventBrokerEnv {
  /** SWITCHYARD_NATS_URL, e.g. 127.0.0.1:4222 */
  natsUrl: string | undefined;
  /** SWITCHYARD_AMQP_URL, e.g. amqp://guest:guest@127.0.0.1:5672 */
  amqpUrl: string | undefined;
}

/**
 * Connects the brokers the environment names. A broker that is configured but unreachable is
 * logged and left out (its triggers are not consumed and its publish steps retry), so the worker
 * still runs every other workflow.
 */
export async function connectEventBrokers(env: EventBrokerEnv, logger: Logger): Promise<{ brokers: EventBrokers; close(): Promise<void> }> {
  const brokers: EventBrokers = {};
  if (env.natsUrl) {
    try {
      brokers.nats = await NatsEventBroker.connect({ servers: env.natsUrl });
      logger.info({ servers: env.natsUrl }, 'NATS JetStream connected');
    } catch (err) {
      logger.warn({ servers: env.natsUrl, err: String(err) }, 'NATS JetStream is unreachable: event triggers and publishes on nats are unavailable');
    }
  }
  if (env.amqpUrl) {
    const shown = env.amqpUrl.replace(/\/\/[^@/]*@/, '//***@');
    try {
      brokers.rabbitmq = await AmqpEventBroker.connect({ url: env.amqpUrl });
      logger.info({ url: shown }, 'RabbitMQ connected');
    } catch (err) {
      logger.warn({ url: shown, err: String(err) }, 'RabbitMQ is unreachable: event triggers and publishes on rabbitmq are unavailable');
    }
  }
  return {
    brokers,
    close: async () => {
      for (const b of Object.values(brokers)) await b.close().catch(() => undefined);
    },
  };
}
