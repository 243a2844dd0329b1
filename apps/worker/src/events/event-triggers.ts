import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { consumerName, CORRELATION_HEADER, type EventBrokers, type EventDelivery, type EventSubscription } from '@switchyard/connectors';
import { EventTriggerConfigSchema, type EventTriggerConfig } from '@switchyard/connectors/metadata';
import { enqueueRunWithKeys } from '@switchyard/db';
import type { Logger } from '@switchyard/engine';
import { loadActiveTriggers, type ActiveTrigger } from '../triggers/active-triggers';

/** One `trigger.event` node of a workflow's active version. */
export type ActiveEventTrigger = ActiveTrigger<EventTriggerConfig>;

export interface EventTriggerHostOptions {
  pool: pg.Pool;
  brokers: EventBrokers;
  logger: Logger;
  /** How often published versions are re-read to start and stop consumers; default 5 s. */
  refreshMs?: number;
  /** Delay before a message whose run could not be queued is offered again; default 1 s. */
  retryDelayMs?: number;
}

const MAX_KEY_LENGTH = 200;

/**
 * Reads every active version's `trigger.event` nodes (platform-wide, like the run claim) and keeps
 * one broker consumer per node. Semantics, the same on both brokers:
 * - at least once: a message is acknowledged only after its run is committed (or found to exist);
 * - de-duplicated: the run's idempotency key is the message id (or the configured body path), so a
 *   redelivery finds the run instead of starting another;
 * - poison messages (not JSON, no key, key reused with another payload, or still not accepted after
 *   `maxDeliveries`) go to the tenant's dead-letter subject with the message id and the cause.
 */
export class EventTriggerHost {
  private readonly running = new Map<string, { trigger: ActiveEventTrigger; subscription: EventSubscription }>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: EventTriggerHostOptions) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refreshing = this.refreshing.then(() => this.refresh()).catch((err: unknown) => this.opts.logger.warn({ err: String(err) }, 'event triggers: refresh failed'));
    }, this.opts.refreshMs ?? 5000);
    this.timer.unref();
  }

  /** Starts consumers for new triggers and stops those whose workflow no longer has them. */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map((await loadActiveEventTriggers(this.opts.pool)).map((t) => [keyOf(t), t]));
    for (const [key, entry] of this.running) {
      const next = wanted.get(key);
      // A subscription whose connection was lost is renewed here (the broker client reconnects by itself).
      const healthy = !entry.subscription.isClosed?.();
      if (healthy && next && next.versionId === entry.trigger.versionId && sameConfig(next.config, entry.trigger.config)) continue;
      await entry.subscription.stop();
      this.running.delete(key);
    }
    for (const [key, trigger] of wanted) {
      if (this.running.has(key)) continue;
      const broker = this.opts.brokers[trigger.config.broker];
      if (!broker) {
        this.opts.logger.warn({ workflowId: trigger.workflowId, broker: trigger.config.broker }, 'event trigger: its broker is not configured on this worker; not consuming');
        continue;
      }
      try {
        const subscription = await broker.subscribe({
          tenantId: trigger.tenantId,
          subject: trigger.config.subject,
          consumer: consumerFor(trigger),
          maxDeliveries: trigger.config.maxDeliveries,
          handler: (d) => this.accept(trigger, d),
        });
        this.running.set(key, { trigger, subscription });
        this.opts.logger.info({ tenantId: trigger.tenantId, workflowId: trigger.workflowId, broker: broker.name, subject: trigger.config.subject }, 'event trigger: consuming');
      } catch (err) {
        this.opts.logger.warn({ workflowId: trigger.workflowId, err: String(err) }, 'event trigger: could not subscribe; will try again');
      }
    }
  }

  /** Turns one delivery into a queued run, then settles it. Never throws: an unsettled message is redelivered. */
  async accept(trigger: ActiveEventTrigger, d: EventDelivery): Promise<void> {
    const { event } = d;
    const log = { tenantId: trigger.tenantId, workflowId: trigger.workflowId, messageId: event.messageId, subject: event.subject, delivery: event.deliveryCount };
    const poison = async (cause: string) => {
      this.opts.logger.warn({ ...log, cause }, 'event trigger: message dead-lettered');
      await d.deadLetter(`message ${event.messageId ?? '(no id)'}: ${cause}`);
    };
    try {
      let payload: unknown;
      try {
        payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(event.data));
      } catch (err) {
        return await poison(`the body is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      const key = idempotencyKeyFor(trigger.config, payload, event.messageId);
      if (!key.ok) return await poison(key.reason);
      const hash = createHash('sha256').update(event.data).digest('hex');
      let run;
      try {
        run = await enqueueRunWithKeys(
          this.opts.pool,
          {
            tenantId: trigger.tenantId,
            workflowId: trigger.workflowId,
            versionId: trigger.versionId,
            trigger: 'event',
            correlationId: event.headers[CORRELATION_HEADER] || randomUUID(),
            idempotencyKey: key.key,
            payloadHash: hash,
            payload,
          },
          businessKeysOf(payload, trigger.config.businessKeyPaths, key.key),
        );
      } catch (err) {
        const cause = err instanceof Error ? err.message : String(err);
        if (event.deliveryCount >= trigger.config.maxDeliveries) return await poison(`no run could be queued after ${event.deliveryCount} deliveries: ${cause}`);
        this.opts.logger.warn({ ...log, err: cause }, 'event trigger: run not queued; the message will be redelivered');
        return await d.retry(this.opts.retryDelayMs ?? 1000);
      }
      if (!run.created && run.payloadHash !== hash) {
        return await poison(`idempotency key ${JSON.stringify(key.key)} was already used by run ${run.runId} with a different payload`);
      }
      await d.ack();
      this.opts.logger.debug({ ...log, runId: run.runId, created: run.created }, 'event trigger: message accepted');
    } catch (err) {
      // Settling failed (the broker went away): the message stays unacknowledged and comes back.
      this.opts.logger.warn({ ...log, err: String(err) }, 'event trigger: could not settle the message');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.refreshing.catch(() => undefined);
    for (const entry of this.running.values()) await entry.subscription.stop();
    this.running.clear();
  }

  /** The triggers being consumed now (for tests and the health view). */
  active(): ActiveEventTrigger[] {
    return [...this.running.values()].map((e) => e.trigger);
  }
}

const keyOf = (t: ActiveEventTrigger) => `${t.workflowId}/${t.nodeId}`;
const sameConfig = (a: EventTriggerConfig, b: EventTriggerConfig) => JSON.stringify(a) === JSON.stringify(b);

/** Per workflow node and subject: a new subject is a new consumer, a new version keeps the position. */
export function consumerFor(t: Pick<ActiveEventTrigger, 'workflowId' | 'nodeId' | 'config'>): string {
  const subject = createHash('sha256').update(`${t.config.broker}:${t.config.subject}`).digest('hex').slice(0, 8);
  return consumerName(['sy', t.workflowId, t.nodeId.slice(0, 40), subject]);
}

/** Every event trigger of every active version. */
export function loadActiveEventTriggers(pool: pg.Pool): Promise<ActiveEventTrigger[]> {
  return loadActiveTriggers(pool, 'trigger.event', EventTriggerConfigSchema);
}

function valueAt(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function idempotencyKeyFor(config: EventTriggerConfig, payload: unknown, messageId: string | null): { ok: true; key: string } | { ok: false; reason: string } {
  const path = config.idempotencyKeyPath?.trim();
  if (path) {
    const value = valueAt(payload, path);
    if ((typeof value !== 'string' || value.trim() === '') && (typeof value !== 'number' || !Number.isFinite(value))) {
      return { ok: false, reason: `the idempotency key path ${JSON.stringify(path)} gives no string or number in the body` };
    }
    const key = String(value).trim();
    return key.length > MAX_KEY_LENGTH ? { ok: false, reason: `the idempotency key at ${JSON.stringify(path)} is longer than ${MAX_KEY_LENGTH} characters` } : { ok: true, key };
  }
  if (messageId === null) return { ok: false, reason: 'the message has no message id (set message-id / Nats-Msg-Id, or an idempotency key path on the trigger)' };
  if (messageId.length > MAX_KEY_LENGTH) return { ok: false, reason: `the message id is longer than ${MAX_KEY_LENGTH} characters` };
  return { ok: true, key: messageId };
}

function businessKeysOf(payload: unknown, paths: readonly string[], idempotencyKey: string): string[] {
  const keys = new Set<string>([idempotencyKey]);
  for (const path of paths) {
    const value = valueAt(payload, path);
    for (const v of Array.isArray(value) ? value : [value]) {
      if ((typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v))) {
        const key = String(v).trim();
        if (key.length <= MAX_KEY_LENGTH && keys.size < 10) keys.add(key);
      }
    }
  }
  return [...keys];
}
