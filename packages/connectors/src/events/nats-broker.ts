import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/transport-node';
import { DEAD_LETTER_CAUSE_HEADER, ORIGINAL_MESSAGE_ID_HEADER, SUBJECT_ROOT, deadLetterSubject, tenantSubject, type EventBroker, type EventSubscription, type IncomingEvent, type PublishResult, type SubscribeOptions } from './broker';

export interface NatsBrokerOptions {
  servers: string | string[];
  /** The JetStream stream holding every Switchyard subject; created when missing. */
  stream?: string;
  /** How long JetStream remembers message ids for de-duplication; default 2 minutes. */
  duplicateWindowMs?: number;
  /** How long a delivery may stay unacknowledged before JetStream redelivers it. */
  ackWaitMs?: number;
  connectTimeoutMs?: number;
}

/**
 * NATS JetStream: one stream over `switchyard.>` (file storage, so accepted messages survive a
 * broker restart), one durable pull consumer per workflow trigger filtered to the tenant's subject,
 * explicit acks. Publishing sets `Nats-Msg-Id`, so a retried publish inside the duplicate window is
 * stored once.
 */
export class NatsEventBroker implements EventBroker {
  readonly name = 'nats' as const;
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly ackWaitMs: number,
  ) {}

  static async connect(options: NatsBrokerOptions): Promise<NatsEventBroker> {
    const nc = await connect({ servers: options.servers, timeout: options.connectTimeoutMs ?? 2000, name: 'switchyard' });
    try {
      const jsm = await jetstreamManager(nc);
      const stream = options.stream ?? 'SWITCHYARD_EVENTS';
      // Messages are kept a week: long enough to replay, bounded so the broker's disk is too.
      const config = { name: stream, subjects: [`${SUBJECT_ROOT}.>`], duplicate_window: nanos(options.duplicateWindowMs ?? 120_000), max_age: nanos(7 * 86_400_000) };
      try {
        await jsm.streams.info(stream);
      } catch {
        await jsm.streams.add(config);
      }
      return new NatsEventBroker(nc, jetstream(nc), jsm, stream, options.ackWaitMs ?? 30_000);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  async publish(tenantId: string, subject: string, body: Uint8Array, messageId: string, headers: Record<string, string> = {}): Promise<PublishResult> {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(headers)) h.set(k, v);
    // JetStream de-duplicates by id across the whole stream, so the id is namespaced by tenant: one
    // tenant's ids can never suppress another's messages.
    const ack = await this.js.publish(tenantSubject(tenantId, subject), body, { msgID: `${tenantId.toLowerCase()}/${messageId}`, headers: h });
    return { duplicate: ack.duplicate, sequence: ack.seq };
  }

  async subscribe(options: SubscribeOptions): Promise<EventSubscription> {
    const filter = tenantSubject(options.tenantId, options.subject);
    const settings = {
      filter_subject: filter,
      ack_wait: nanos(this.ackWaitMs),
      // One more than ours, so our own count decides when a message is dead-lettered.
      max_deliver: options.maxDeliveries + 1,
    };
    try {
      await this.jsm.consumers.add(this.stream, {
        durable_name: options.consumer,
        ack_policy: AckPolicy.Explicit,
        // A new trigger starts with the messages published from now on, like a webhook route does;
        // an existing durable consumer keeps its position whatever this says.
        deliver_policy: DeliverPolicy.New,
        ...settings,
      });
    } catch (err) {
      // The durable consumer exists with other settings (a new maxDeliveries): update it in place, keeping its position.
      await this.jsm.consumers.update(this.stream, options.consumer, settings).catch(() => {
        throw err;
      });
    }
    const consumer = await this.js.consumers.get(this.stream, options.consumer);
    const messages = await consumer.consume({ max_messages: 16 });
    const loop = (async () => {
      for await (const m of messages) {
        await options.handler(this.delivery(m, options));
      }
    })();
    return {
      stop: async () => {
        await messages.close();
        await loop.catch(() => undefined);
      },
    };
  }

  private delivery(m: JsMsg, options: SubscribeOptions) {
    const headers: Record<string, string> = {};
    for (const [k, values] of m.headers ?? []) if (values[0] !== undefined) headers[k] = values[0];
    // Without a Nats-Msg-Id the stream sequence identifies the message across redeliveries.
    const raw = m.headers?.get('Nats-Msg-Id') ?? '';
    const own = `${options.tenantId.toLowerCase()}/`;
    const event: IncomingEvent = {
      messageId: (raw.startsWith(own) ? raw.slice(own.length) : raw) || `${this.stream}:${m.seq}`,
      subject: m.subject,
      data: m.data,
      headers,
      deliveryCount: m.info.deliveryCount,
    };
    return {
      event,
      ack: async () => {
        // ackAck waits for the server to confirm, so "acked" means acked.
        await m.ackAck();
      },
      retry: (delayMs: number) => {
        m.nak(delayMs);
        return Promise.resolve();
      },
      deadLetter: async (cause: string) => {
        const h = natsHeaders();
        h.set(DEAD_LETTER_CAUSE_HEADER, cause.slice(0, 1000).replace(/[\r\n]+/g, ' '));
        h.set(ORIGINAL_MESSAGE_ID_HEADER, event.messageId ?? '');
        await this.js.publish(deadLetterSubject(options.tenantId, options.subject), m.data, { headers: h, msgID: `${own}dead-letter:${options.consumer}:${event.messageId ?? m.seq}` });
        m.term(cause.slice(0, 200));
      },
    };
  }

  async forget(options: Pick<SubscribeOptions, 'tenantId' | 'subject' | 'consumer'>): Promise<void> {
    await this.jsm.consumers.delete(this.stream, options.consumer).catch(() => false);
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
