import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmqpEventBroker } from '../../src/events/amqp-broker';
import { DEAD_LETTER_CAUSE_HEADER, ORIGINAL_MESSAGE_ID_HEADER, type EventBroker, type EventDelivery } from '../../src/events/broker';
import { NatsEventBroker } from '../../src/events/nats-broker';
import { AMQP_URL, NATS_URL, eventually, reachable } from './support';

const hasNats = await reachable('NATS JetStream', NATS_URL);
const hasRabbit = await reachable('RabbitMQ', new URL(AMQP_URL).host);

const cases: Array<[string, boolean, () => Promise<EventBroker>]> = [
  ['NATS JetStream', hasNats, () => NatsEventBroker.connect({ servers: NATS_URL, ackWaitMs: 2000 })],
  ['RabbitMQ', hasRabbit, () => AmqpEventBroker.connect({ url: AMQP_URL })],
];

const text = (d: Uint8Array) => new TextDecoder().decode(d);
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe.each(cases)('%s adapter on the real broker', (_name, available, open) => {
  let broker: EventBroker;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const forgotten: Array<{ tenantId: string; subject: string; consumer: string }> = [];

  beforeAll(async () => {
    if (available) broker = await open();
  });
  afterAll(async () => {
    if (!broker) return;
    for (const f of forgotten) await broker.forget(f);
    await broker.close();
  });

  async function collect(tenantId: string, subject: string, onDelivery: (d: EventDelivery, all: EventDelivery[]) => Promise<void>, maxDeliveries = 3) {
    const consumer = `t_${randomUUID().slice(0, 8)}`;
    const seen: EventDelivery[] = [];
    forgotten.push({ tenantId, subject, consumer });
    const sub = await broker.subscribe({
      tenantId,
      subject,
      consumer,
      maxDeliveries,
      handler: async (d) => {
        seen.push(d);
        await onDelivery(d, seen);
      },
    });
    return { seen, sub, consumer };
  }

  it.skipIf(!available)('delivers a tenant\'s messages with their id and headers, and only to that tenant\'s subscribers', async () => {
    const a = await collect(tenantA, 'orders.created', (d) => d.ack());
    const b = await collect(tenantB, 'orders.created', (d) => d.ack());
    await broker.publish(tenantA, 'orders.created', bytes({ n: 1 }), 'msg-1', { 'X-Correlation-Id': 'corr-1' });
    await eventually('tenant A delivery', () => a.seen.length === 1);
    expect(a.seen[0]?.event).toMatchObject({ messageId: 'msg-1', deliveryCount: 1, headers: { 'X-Correlation-Id': 'corr-1' } });
    expect(text(a.seen[0]!.event.data)).toBe('{"n":1}');
    await new Promise((r) => setTimeout(r, 200));
    expect(b.seen).toHaveLength(0);
    await a.sub.stop();
    await b.sub.stop();
  });

  it.skipIf(!available)('redelivers a message that was not accepted, counting deliveries', async () => {
    const c = await collect(tenantA, 'invoices.posted', async (d) => (d.event.deliveryCount < 3 ? d.retry(50) : d.ack()));
    await broker.publish(tenantA, 'invoices.posted', bytes({ n: 2 }), 'msg-2');
    await eventually('third delivery', () => c.seen.length === 3, 10_000);
    expect(c.seen.map((d) => d.event.deliveryCount)).toEqual([1, 2, 3]);
    expect(new Set(c.seen.map((d) => d.event.messageId))).toEqual(new Set(['msg-2']));
    await c.sub.stop();
  });

  it.skipIf(!available)('dead-letters a poison message with its id and cause, and stops redelivering it', async () => {
    const dead = await collect(tenantA, 'dead-letter.payments', (d) => d.ack());
    const c = await collect(tenantA, 'payments', (d) => d.deadLetter('body is not JSON: Unexpected token'));
    await broker.publish(tenantA, 'payments', new TextEncoder().encode('{oops'), 'msg-3');
    await eventually('dead letter', () => dead.seen.length === 1, 10_000);
    expect(dead.seen[0]?.event.headers).toMatchObject({ [DEAD_LETTER_CAUSE_HEADER]: 'body is not JSON: Unexpected token', [ORIGINAL_MESSAGE_ID_HEADER]: 'msg-3' });
    expect(text(dead.seen[0]!.event.data)).toBe('{oops');
    await new Promise((r) => setTimeout(r, 300));
    expect(c.seen).toHaveLength(1);
    await c.sub.stop();
    await dead.sub.stop();
  });
});

describe.skipIf(!hasNats)('NATS JetStream publishing', () => {
  it('stores a message published twice with the same id once (duplicate window)', async () => {
    const broker = await NatsEventBroker.connect({ servers: NATS_URL });
    try {
      const tenant = randomUUID();
      const id = `dup-${randomUUID()}`;
      const first = await broker.publish(tenant, 'x', bytes(1), id);
      const second = await broker.publish(tenant, 'x', bytes(1), id);
      expect(first.duplicate).toBe(false);
      expect(second).toMatchObject({ duplicate: true, sequence: first.sequence });
    } finally {
      await broker.close();
    }
  });
});

describe.skipIf(!hasRabbit)('RabbitMQ connection loss', () => {
  it('reconnects; a lost subscription says so and a new one receives, and publishing works again', async () => {
    const name = `sy-recovery-${randomUUID().slice(0, 8)}`;
    const broker = await AmqpEventBroker.connect({ url: AMQP_URL, connectionName: name });
    const tenant = randomUUID();
    const consumer = `t_${randomUUID().slice(0, 8)}`;
    const got: string[] = [];
    const subscribe = () => broker.subscribe({ tenantId: tenant, subject: 'r', consumer, maxDeliveries: 3, handler: async (d) => (got.push(d.event.messageId ?? ''), d.ack()) });
    try {
      const first = await subscribe();
      const { execFileSync } = await import('node:child_process');
      const list = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8' });
      const line = list.split('\n').find((l) => l.includes(name));
      expect(line, 'our connection is listed').toBeDefined();
      execFileSync('rabbitmqctl', ['-q', 'close_connection', line!.split('\t')[0]!, 'test: connection loss']);
      await eventually('the subscription to notice', () => first.isClosed?.() === true, 10_000);
      await first.stop();
      const second = await subscribe();
      await broker.publish(tenant, 'r', bytes({}), 'after-loss');
      await eventually('delivery after reconnect', () => got.includes('after-loss'), 10_000);
      await second.stop();
    } finally {
      await broker.forget({ tenantId: tenant, subject: 'r', consumer });
      await broker.close();
    }
  });
});

describe.skipIf(!hasNats)('NATS durable consumers', () => {
  it('keeps a durable consumer when its trigger settings change', async () => {
    const broker = await NatsEventBroker.connect({ servers: NATS_URL, ackWaitMs: 2000 });
    const tenant = randomUUID();
    const consumer = `t_${randomUUID().slice(0, 8)}`;
    try {
      const got: string[] = [];
      const handler = async (d: EventDelivery) => (got.push(d.event.messageId ?? ''), d.ack());
      const first = await broker.subscribe({ tenantId: tenant, subject: 's', consumer, maxDeliveries: 3, handler });
      await first.stop();
      await broker.publish(tenant, 's', bytes(1), 'while-away');
      const second = await broker.subscribe({ tenantId: tenant, subject: 's', consumer, maxDeliveries: 7, handler });
      await eventually('the message published while no one listened', () => got.includes('while-away'));
      await second.stop();
    } finally {
      await broker.forget({ tenantId: tenant, subject: 's', consumer });
      await broker.close();
    }
  });
});
