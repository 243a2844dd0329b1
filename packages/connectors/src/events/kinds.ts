import { defineNodeKind } from '@switchyard/workflow';
import { z } from 'zod';

/**
 * Browser-safe: the event-bus node kinds. The brokers are the platform's (NATS JetStream or
 * RabbitMQ, configured on the worker), and every subject lives under the tenant's own prefix
 * (`switchyard.<tenantId>.<subject>`), so a workflow can neither read nor write another tenant's events.
 */

export const EVENT_BROKERS = ['nats', 'rabbitmq'] as const;
export type EventBrokerName = (typeof EVENT_BROKERS)[number];

/** Dot-separated tokens of letters, digits, `_` and `-`: valid as a NATS subject and an AMQP routing key. */
export const eventSubject = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be dot-separated tokens of letters, digits, "_" and "-" (no wildcards)')
  .meta({ title: 'Subject', description: 'Inside the tenant\'s namespace, e.g. orders.created.' });

const brokerField = z.enum(EVENT_BROKERS).default('nats').meta({ title: 'Broker' });

export const EventTriggerConfigSchema = z.object({
  broker: brokerField,
  subject: eventSubject,
  idempotencyKeyPath: z
    .string()
    .max(200)
    .optional()
    .meta({ title: 'Idempotency key path', description: 'Dot path into the message body; the broker message id when empty.' }),
  businessKeyPaths: z.array(z.string().min(1).max(200)).max(10).default([]).meta({ title: 'Business key paths' }),
  maxDeliveries: z.number().int().min(1).max(100).default(5).meta({ title: 'Max deliveries', description: 'After this many failed attempts to accept a message it is dead-lettered.' }),
});
export type EventTriggerConfig = z.infer<typeof EventTriggerConfigSchema>;

export const EventPublishConfigSchema = z.object({
  broker: brokerField,
  subject: eventSubject,
  payload: z.string().max(20_000).optional().meta({ title: 'Payload', description: 'JSONata over the input giving the message body; empty sends the input.' }),
});
export type EventPublishConfig = z.infer<typeof EventPublishConfigSchema>;

export const eventTrigger = defineNodeKind<EventTriggerConfig>()({
  kind: 'trigger.event',
  version: 1,
  category: 'trigger',
  displayName: 'Event trigger',
  description: 'Starts a run for each message on a tenant subject (NATS JetStream) or queue (RabbitMQ); acknowledged once the run is durably queued.',
  icon: 'radio',
  configSchema: EventTriggerConfigSchema,
  defaultConfig: { broker: 'nats', subject: 'events', businessKeyPaths: [], maxDeliveries: 5 },
  isTrigger: true,
  outputs: ['out'],
});

export const eventPublish = defineNodeKind<EventPublishConfig>()({
  kind: 'event.publish',
  version: 1,
  category: 'action',
  displayName: 'Publish event',
  description: 'Publishes a JSON message on a tenant subject; the step idempotency key is the message id, so a retried step is deduplicated.',
  icon: 'send',
  configSchema: EventPublishConfigSchema,
  defaultConfig: { broker: 'nats', subject: 'events' },
  isTrigger: false,
  outputs: ['out', 'error'],
});
