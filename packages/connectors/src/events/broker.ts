import type { EventBrokerName } from './kinds';

/** The root of every Switchyard subject (NATS) and routing key (RabbitMQ). */
export const SUBJECT_ROOT = 'switchyard';

/** `switchyard.<tenantId>.<subject>`: the tenant's namespace on the shared bus. */
export function tenantSubject(tenantId: string, subject: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new TypeError(`tenantSubject: ${JSON.stringify(tenantId)} is not a tenant id`);
  return `${SUBJECT_ROOT}.${tenantId.toLowerCase()}.${subject}`;
}

/** Where a tenant's poison messages go: `switchyard.<tenantId>.dead-letter.<subject>`. */
export function deadLetterSubject(tenantId: string, subject: string): string {
  return tenantSubject(tenantId, `dead-letter.${subject}`);
}

export const DEAD_LETTER_CAUSE_HEADER = 'Switchyard-Dead-Letter-Cause';
export const ORIGINAL_MESSAGE_ID_HEADER = 'Switchyard-Original-Message-Id';

export interface PublishResult {
  /** The broker already had a message with this id (JetStream duplicate window). */
  duplicate: boolean;
  /** Stream sequence (NATS) when the broker gives one. */
  sequence?: number;
}

export interface IncomingEvent {
  /** The message id: `Nats-Msg-Id` / AMQP `message-id`, else the broker's stable id for this message; null when it has none. */
  messageId: string | null;
  subject: string;
  data: Uint8Array;
  headers: Record<string, string>;
  /** 1 on the first delivery. */
  deliveryCount: number;
}

/**
 * One delivery, settled exactly once: `ack` after the run is durably queued, `retry` to have the
 * broker deliver it again later, `deadLetter` to park it (with its id and the cause) on the tenant's
 * dead-letter subject and stop redelivery.
 */
export interface EventDelivery {
  event: IncomingEvent;
  ack(): Promise<void>;
  retry(delayMs: number): Promise<void>;
  deadLetter(cause: string): Promise<void>;
}

export interface EventSubscription {
  stop(): Promise<void>;
  /** True once the broker side is gone (a lost connection): the owner should subscribe again. */
  isClosed?(): boolean;
}

export interface SubscribeOptions {
  tenantId: string;
  subject: string;
  /** Durable consumer / queue name; one per workflow trigger so each workflow sees every message. */
  consumer: string;
  /** Upper bound on deliveries the broker makes before giving up on its own. */
  maxDeliveries: number;
  handler(delivery: EventDelivery): Promise<void>;
}

export interface EventBroker {
  readonly name: EventBrokerName;
  publish(tenantId: string, subject: string, body: Uint8Array, messageId: string, headers?: Record<string, string>): Promise<PublishResult>;
  subscribe(options: SubscribeOptions): Promise<EventSubscription>;
  /** Deletes the durable consumer / queues of a subscription (a trigger that is gone for good). */
  forget(options: Pick<SubscribeOptions, 'tenantId' | 'subject' | 'consumer'>): Promise<void>;
  close(): Promise<void>;
}

export type EventBrokers = Partial<Record<EventBrokerName, EventBroker>>;

/** Consumer names may only use characters both brokers accept in names. */
export function consumerName(parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_-]/g, '-');
}
