import type pg from 'pg';
import type { Logger } from '@switchyard/engine';
import { createOutboundFetch, standardWebhookHeaders, type OutboundFetch } from '@switchyard/connectors';
import {
  claimDueStatusDeliveries,
  fanOutRunStatusEvents,
  loadSecretKeyring,
  openStatusDeliverySecret,
  recordStatusDeliveryAttempt,
  SecretKeyError,
  type DueStatusDelivery,
  type SecretKeyring,
} from '@switchyard/db';

/**
 * Status out sender: each pass moves run status changes from the outbox (`run_status_events`, filled
 * by a trigger on `runs`) into deliveries, then POSTs the due ones, signed in the Standard Webhooks
 * form, through the same outbound address policy as the HTTP connector. A failed POST (non-2xx, or
 * no answer) is tried again after an exponential backoff with full jitter, until `maxAttempts`,
 * then the delivery is `failed` (an operator can redeliver it). All state is in PostgreSQL, so any
 * number of workers can run the loop (claims use SKIP LOCKED and a lease).
 */

export interface StatusSenderOptions {
  pool: pg.Pool;
  keyring: SecretKeyring;
  logger: Logger;
  /** Outbound allowlist (as for http.request); defaults to SWITCHYARD_OUTBOUND_ALLOWLIST. */
  allowlist?: string | readonly string[];
  intervalMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  /** Injectable for tests (0..1). */
  random?: () => number;
}

export const DEFAULT_STATUS_MAX_ATTEMPTS = 8;
const MAX_ERROR_LENGTH = 500;

/** fetch wraps the real reason (refused address, connection refused, timeout) in `cause`. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.name}: ${err.message}${cause}`;
}

/** Delay before attempt `attempt + 1` after `attempt` failures: min(cap, base·2^(n-1)), full jitter in [½, 1]. */
export function statusRetryDelayMs(failedAttempts: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

export interface StatusSender {
  /** One pass now: fan out, then send what is due. Returns how many POSTs were made. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startStatusSender(options: StatusSenderOptions): StatusSender {
  const intervalMs = options.intervalMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? DEFAULT_STATUS_MAX_ATTEMPTS;
  const baseDelayMs = options.baseDelayMs ?? 5_000;
  const maxDelayMs = options.maxDelayMs ?? 3_600_000;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const random = options.random ?? Math.random;
  const outbound: OutboundFetch = createOutboundFetch(options.allowlist !== undefined ? { allowlist: options.allowlist } : {});
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = false;

  const send = async (delivery: DueStatusDelivery): Promise<void> => {
    const attempt = delivery.attempts + 1;
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const secret = openStatusDeliverySecret(options.keyring, delivery);
      const body = JSON.stringify(delivery.body);
      const headers = standardWebhookHeaders({ secret, id: delivery.id, timestamp: Math.floor(Date.now() / 1000), body });
      const response = await outbound(delivery.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Switchyard-Status/1' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `the endpoint answered HTTP ${statusCode}`;
    } catch (err) {
      error = describeError(err).slice(0, MAX_ERROR_LENGTH);
    }
    const ok = error === null;
    const nextAttemptAt = ok || attempt >= maxAttempts ? null : new Date(Date.now() + statusRetryDelayMs(attempt, baseDelayMs, maxDelayMs, random));
    await recordStatusDeliveryAttempt(options.pool, {
      deliveryId: delivery.id,
      tenantId: delivery.tenantId,
      statusCode,
      durationMs: performance.now() - started,
      error,
      ok,
      nextAttemptAt,
    });
    if (!ok) {
      options.logger.warn({ deliveryId: delivery.id, tenantId: delivery.tenantId, attempt, statusCode, err: error, giveUp: nextAttemptAt === null }, 'status delivery failed');
    }
  };

  const pass = async (): Promise<number> => {
    await fanOutRunStatusEvents(options.pool);
    const due = await claimDueStatusDeliveries(options.pool, { limit: 20, leaseMs: timeoutMs + 5_000 });
    await Promise.all(due.map(send));
    return due.length;
  };

  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runOnce(), intervalMs);
    timer.unref();
  };

  const runOnce = (): Promise<number> => {
    if (running) return running;
    running = (async () => {
      try {
        return await pass();
      } catch (err) {
        options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'status out pass failed; trying again on the next pass');
        return 0;
      } finally {
        running = null;
        schedule();
      }
    })();
    return running;
  };

  schedule();
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      await outbound.close();
    },
  };
}

/** The sender for a worker process, or undefined (with a warning) when no secret key is configured. */
export function startWorkerStatusSender(opts: { pool: pg.Pool; databaseKind: 'pglite' | 'postgres'; logger: Logger; allowlist?: string }): StatusSender | undefined {
  try {
    const keyring = loadSecretKeyring({ databaseKind: opts.databaseKind });
    return startStatusSender({ pool: opts.pool, keyring, logger: opts.logger, ...(opts.allowlist !== undefined ? { allowlist: opts.allowlist } : {}) });
  } catch (err) {
    if (!(err instanceof SecretKeyError)) throw err;
    opts.logger.warn({ reason: err.message }, 'status out webhooks are not sent by this worker');
    return undefined;
  }
}
