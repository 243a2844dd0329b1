import { connect as tcpConnect } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AmqpEventBroker,
  createConnectorExecutors,
  DEAD_LETTER_CAUSE_HEADER,
  NatsEventBroker,
  ORIGINAL_MESSAGE_ID_HEADER,
  type EventBroker,
  type EventDelivery,
} from '@switchyard/connectors';
import type { Graph } from '@switchyard/workflow';
import { consumerFor, EventTriggerHost, type ActiveEventTrigger } from '../src/events/event-triggers';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow } from './support';

/**
 * Event triggers end to end on the real brokers and PostgreSQL: a message becomes exactly one run
 * (redeliveries and republished ids find it), the run's publish node puts its result back on the
 * bus, and poison messages land on the tenant's dead-letter subject with their id and cause.
 */
const NATS = process.env.SWITCHYARD_TEST_NATS_URL ?? '127.0.0.1:4222';
const AMQP = process.env.SWITCHYARD_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

async function listening(what: string, host: string, port: number): Promise<boolean> {
  const ok = await new Promise<boolean>((resolve) => {
    const s = tcpConnect({ host, port, timeout: 1500 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
  if (!ok) console.warn(`skipping ${what} event-trigger tests: nothing answers at ${host}:${port} (see .ci/run)`);
  return ok;
}

const hasPostgres = await postgresAvailable();
const hasNats = await listening('NATS', '127.0.0.1', Number(NATS.split(':')[1] ?? 4222));
const hasRabbit = await listening('RabbitMQ', new URL(AMQP).hostname, Number(new URL(AMQP).port || 5672));

const cases: Array<['nats' | 'rabbitmq', boolean, () => Promise<EventBroker>]> = [
  ['nats', hasNats, () => NatsEventBroker.connect({ servers: NATS, ackWaitMs: 2000 })],
  ['rabbitmq', hasRabbit, () => AmqpEventBroker.connect({ url: AMQP })],
];

const node = (id: string, kind: string, config: Record<string, unknown> = {}) => ({ id, kind, position: { x: 0, y: 0 }, config });
const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!hasPostgres).each(cases)('event trigger on %s (PostgreSQL)', (broker, available, open) => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let bus: EventBroker;
  let worker: Worker;
  let host: EventTriggerHost;
  let ids: { tenantId: string; workflowId: string; versionId: string };
  const seen: Record<string, EventDelivery[]> = { accepted: [], dead: [] };
  const cleanup: Array<{ tenantId: string; subject: string; consumer: string }> = [];

  beforeAll(async () => {
    if (!available) return;
    env = await createTestDatabase(`sy_events_${broker}`);
    bus = await open();
    const graph: Graph = {
      schemaVersion: 1,
      settings: {},
      nodes: [
        node('in', 'trigger.event', { broker, subject: 'orders.created', businessKeyPaths: ['number'], maxDeliveries: 3 }),
        node('shape', 'transform', { expression: '{ "order": number, "status": "accepted" }' }),
        node('out', 'event.publish', { broker, subject: 'orders.accepted' }),
      ],
      edges: [
        { id: 'e1', source: 'in', sourcePort: 'out', target: 'shape' },
        { id: 'e2', source: 'shape', sourcePort: 'out', target: 'out' },
      ],
    };
    ids = await publishWorkflow(env.db, `events-${broker}`, graph);
    for (const [name, subject] of [
      ['accepted', 'orders.accepted'],
      ['dead', 'dead-letter.orders.created'],
    ] as const) {
      const consumer = `test_${name}_${randomUUID().slice(0, 8)}`;
      cleanup.push({ tenantId: ids.tenantId, subject, consumer });
      await bus.subscribe({ tenantId: ids.tenantId, subject, consumer, maxDeliveries: 1, handler: async (d) => (seen[name]!.push(d), d.ack()) });
    }
    const logger = createLogger(process.env.TEST_LOG ?? 'silent');
    worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: createConnectorExecutors({ eventBrokers: { [broker]: bus } }),
      logger,
      workerId: `events-${broker}`,
      concurrency: 4,
      leaseMs: 5000,
      pollMs: 20,
    });
    await worker.start();
    host = new EventTriggerHost({ pool: env.db.pool, brokers: { [broker]: bus }, logger, refreshMs: 200, retryDelayMs: 20 });
    await host.start();
  });
  afterAll(async () => {
    const triggers = host?.active() ?? [];
    await host?.stop();
    await worker?.stop();
    if (bus) {
      for (const c of cleanup) await bus.forget(c);
      for (const t of triggers) await bus.forget({ tenantId: t.tenantId, subject: t.config.subject, consumer: consumerFor(t) });
      await bus.close();
    }
    await env?.drop();
  });

  const runsOf = async () =>
    (await env.db.pool.query<{ id: string; status: string; idempotency_key: string; business_keys: string[] }>('SELECT id, status, idempotency_key, business_keys FROM runs WHERE tenant_id = $1 ORDER BY created_at', [ids.tenantId])).rows;

  it.skipIf(!available)('turns a message into one run, even when the same message id arrives twice, and publishes the result', async () => {
    expect(host.active()).toHaveLength(1);
    await bus.publish(ids.tenantId, 'orders.created', bytes({ number: 'SO-1' }), 'order-msg-1');
    await bus.publish(ids.tenantId, 'orders.created', bytes({ number: 'SO-1' }), 'order-msg-1');
    const accepted = await until('the published result', async () => seen.accepted![0]);
    expect(JSON.parse(new TextDecoder().decode(accepted.event.data))).toEqual({ order: 'SO-1', status: 'accepted' });
    const runs = await until('a finished run', async () => {
      const r = await runsOf();
      return r.length === 1 && r[0]?.status === 'succeeded' ? r : undefined;
    });
    expect(runs[0]).toMatchObject({ idempotency_key: 'order-msg-1', business_keys: expect.arrayContaining(['order-msg-1', 'SO-1']) });
    // The duplicate was acknowledged against the same run, so nothing is redelivered later.
    await new Promise((r) => setTimeout(r, 300));
    expect(await runsOf()).toHaveLength(1);
  });

  it.skipIf(!available)('dead-letters an unparseable message and a reused id with another payload, with the id and cause', async () => {
    await bus.publish(ids.tenantId, 'orders.created', bytes('{not json'), 'order-msg-2');
    const reused = await bus.publish(ids.tenantId, 'orders.created', bytes({ number: 'SO-9' }), 'order-msg-1');
    // JetStream itself drops a repeated Nats-Msg-Id inside its duplicate window; RabbitMQ delivers it and ingress refuses it.
    expect(reused.duplicate).toBe(broker === 'nats');
    const expected = broker === 'nats' ? 1 : 2;
    await until('the dead letters', async () => (seen.dead!.length >= expected ? true : undefined));
    const causes = seen.dead!.map((d) => [d.event.headers[ORIGINAL_MESSAGE_ID_HEADER], d.event.headers[DEAD_LETTER_CAUSE_HEADER]]);
    expect(causes).toContainEqual(['order-msg-2', expect.stringMatching(/^message order-msg-2: the body is not JSON/)]);
    if (broker === 'rabbitmq') {
      expect(causes).toContainEqual(['order-msg-1', expect.stringMatching(/idempotency key "order-msg-1" was already used by run .* with a different payload/)]);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.dead).toHaveLength(expected);
    expect(await runsOf()).toHaveLength(1);
  });
});

describe.skipIf(!hasPostgres)('event trigger acknowledgement', () => {
  const trigger: ActiveEventTrigger = {
    tenantId: randomUUID(),
    workflowId: randomUUID(),
    versionId: randomUUID(),
    nodeId: 'in',
    config: { broker: 'nats', subject: 'x', businessKeyPaths: [], maxDeliveries: 2 },
  };
  function delivery(deliveryCount: number, messageId: string | null = 'm-1') {
    const settled: string[] = [];
    const d: EventDelivery = {
      event: { messageId, subject: 'x', data: bytes({ a: 1 }), headers: {}, deliveryCount },
      ack: () => (settled.push('ack'), Promise.resolve()),
      retry: () => (settled.push('retry'), Promise.resolve()),
      deadLetter: (cause) => (settled.push(`dead: ${cause}`), Promise.resolve()),
    };
    return { d, settled };
  }

  it('never acknowledges a message whose run could not be queued: retries, then dead-letters with the cause', async () => {
    // A real pool to a database that does not exist: every enqueue fails the way an outage would.
    const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/sy_missing_${randomUUID().slice(0, 8)}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    const host = new EventTriggerHost({ pool, brokers: {}, logger: createLogger('silent') });
    try {
      const first = delivery(1);
      await host.accept(trigger, first.d);
      expect(first.settled).toEqual(['retry']);
      const last = delivery(2);
      await host.accept(trigger, last.d);
      expect(last.settled).toHaveLength(1);
      expect(last.settled[0]).toMatch(/^dead: message m-1: no run could be queued after 2 deliveries: .*does not exist/);
      const anonymous = delivery(1, null);
      await host.accept(trigger, anonymous.d);
      expect(anonymous.settled[0]).toMatch(/has no message id/);
    } finally {
      await pool.end();
    }
  });
});
