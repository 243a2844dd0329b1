import amqp, { type Channel, type ConfirmChannel, type ConsumeMessage, type RecoveringChannelModel } from 'amqplib';
import { DEAD_LETTER_CAUSE_HEADER, ORIGINAL_MESSAGE_ID_HEADER, deadLetterSubject, tenantSubject, type EventBroker, type EventSubscription, type PublishResult, type SubscribeOptions } from './broker';

export interface AmqpBrokerOptions {
  /** amqp://guest:guest@127.0.0.1:5672 */
  url: string;
  /** The topic exchange every Switchyard routing key is published to; created when missing. */
  exchange?: string;
  prefetch?: number;
  /** Shown in the broker's connection list (`user_provided_name`). */
  connectionName?: string;
}

/**
 * RabbitMQ (AMQP 0-9-1): a durable topic exchange, routing key `switchyard.<tenantId>.<subject>`,
 * one durable quorum queue per workflow trigger bound to the tenant's key. Quorum queues count
 * redeliveries (`x-delivery-count`), which is what lets a poison message be recognised; publishes
 * are persistent and wait for the broker's confirm.
 */
export class AmqpEventBroker implements EventBroker {
  readonly name = 'rabbitmq' as const;
  private publisher: Promise<ConfirmChannel> | undefined;

  private constructor(
    private readonly connection: RecoveringChannelModel,
    private readonly exchange: string,
    private readonly prefetch: number,
  ) {}

  /**
   * Fails fast when the broker is unreachable at start; once connected, amqplib's recovery
   * reconnects with backoff after a lost connection. Channels do not survive that: the publisher is
   * reopened on next use and subscriptions report `isClosed()`, so their owner subscribes again.
   */
  static async connect(options: AmqpBrokerOptions): Promise<AmqpEventBroker> {
    const connection = await amqp.connect(options.url, {
      timeout: 2000,
      clientProperties: { connection_name: options.connectionName ?? 'switchyard' },
      recovery: { initialMaxRetries: 0, maxDelay: 5000 },
    });
    // Without a listener an 'error' event would crash the worker; the channel's own errors surface on calls.
    connection.on('error', () => undefined);
    const broker = new AmqpEventBroker(connection, options.exchange ?? 'switchyard.events', options.prefetch ?? 16);
    try {
      await broker.confirmChannel();
      return broker;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  private confirmChannel(): Promise<ConfirmChannel> {
    if (!this.publisher) {
      const opened = (async () => {
        const channel = await this.connection.createConfirmChannel();
        channel.on('error', () => undefined);
        channel.on('close', () => {
          if (this.publisher === opened) this.publisher = undefined;
        });
        await channel.assertExchange(this.exchange, 'topic', { durable: true });
        return channel;
      })();
      this.publisher = opened;
      opened.catch(() => {
        if (this.publisher === opened) this.publisher = undefined;
      });
    }
    return this.publisher;
  }

  publish(tenantId: string, subject: string, body: Uint8Array, messageId: string, headers: Record<string, string> = {}): Promise<PublishResult> {
    return this.send(tenantSubject(tenantId, subject), body, messageId, headers).then(() => ({ duplicate: false }));
  }

  private async send(routingKey: string, body: Uint8Array, messageId: string, headers: Record<string, string>): Promise<void> {
    const publisher = await this.confirmChannel();
    return new Promise((resolve, reject) => {
      publisher.publish(this.exchange, routingKey, Buffer.from(body), { messageId, persistent: true, contentType: 'application/json', headers }, (err: unknown) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
      );
    });
  }

  private async declare(channel: Channel, queue: string, routingKey: string): Promise<void> {
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(queue, this.exchange, routingKey);
  }

  async subscribe(options: SubscribeOptions): Promise<EventSubscription> {
    const channel = await this.connection.createChannel();
    let closed = false;
    channel.on('error', () => undefined);
    channel.on('close', () => {
      closed = true;
    });
    const routingKey = tenantSubject(options.tenantId, options.subject);
    const queue = `${routingKey}.${options.consumer}`;
    const deadLetters = deadLetterSubject(options.tenantId, options.subject);
    await this.declare(channel, queue, routingKey);
    // The tenant's dead letters are kept in their own queue, for inspection and replay.
    await this.declare(channel, `${deadLetters}.${options.consumer}`, deadLetters);
    await channel.prefetch(this.prefetch);
    const settle = (msg: ConsumeMessage) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(msg.properties.headers ?? {})) if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
      const messageId = typeof msg.properties.messageId === 'string' && msg.properties.messageId !== '' ? msg.properties.messageId : null;
      const prior = Number(msg.properties.headers?.['x-delivery-count'] ?? 0);
      return {
        event: { messageId, subject: msg.fields.routingKey, data: new Uint8Array(msg.content), headers, deliveryCount: (Number.isFinite(prior) ? prior : 0) + 1 },
        ack: () => Promise.resolve(channel.ack(msg)),
        retry: async (delayMs: number) => {
          // AMQP 0-9-1 has no delayed requeue; holding the message (unacked) for the delay spaces the attempts.
          await new Promise((r) => setTimeout(r, Math.min(delayMs, 5000)));
          channel.nack(msg, false, true);
        },
        deadLetter: async (cause: string) => {
          await this.send(deadLetters, msg.content, `dead-letter:${options.consumer}:${messageId ?? msg.fields.deliveryTag}`, {
            [DEAD_LETTER_CAUSE_HEADER]: cause.slice(0, 1000),
            [ORIGINAL_MESSAGE_ID_HEADER]: messageId ?? '',
          });
          channel.ack(msg);
        },
      };
    };
    const { consumerTag } = await channel.consume(queue, (msg) => {
      if (msg) void options.handler(settle(msg));
    });
    return {
      isClosed: () => closed,
      stop: async () => {
        await channel.cancel(consumerTag).catch(() => undefined);
        await channel.close().catch(() => undefined);
      },
    };
  }

  async forget(options: Pick<SubscribeOptions, 'tenantId' | 'subject' | 'consumer'>): Promise<void> {
    const channel = await this.connection.createChannel();
    try {
      await channel.deleteQueue(`${tenantSubject(options.tenantId, options.subject)}.${options.consumer}`);
      await channel.deleteQueue(`${deadLetterSubject(options.tenantId, options.subject)}.${options.consumer}`);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const publisher = this.publisher;
    this.publisher = undefined;
    await publisher?.then((p) => p.close()).catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

