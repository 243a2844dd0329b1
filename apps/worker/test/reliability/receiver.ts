import http from 'node:http';

/**
 * The receiving end of every scenario: a real HTTP server that behaves like a well-built partner
 * API. It is idempotent by `Idempotency-Key`: the first successful delivery of a key has the
 * effect (recorded once), a later delivery of the same key gets the stored answer again. Faults are
 * injected only before the effect, as a real server that fails would not have done the work.
 *
 * So "effects" are the distinct keys accepted; everything the engine sent is kept in `deliveries`
 * to check what was re-sent and when.
 */

export interface Delivery {
  key: string | undefined;
  path: string;
  at: number;
  status: number;
}

export interface Effect {
  key: string;
  path: string;
  at: number;
  /** Which delivery of this key (1-based) had the effect. */
  delivery: number;
}

/** What to answer a delivery of a key that has no effect yet; `undefined` means accept it. */
export type Fault = { status: number; headers?: Record<string, string> } | undefined;

export interface ReceiverOptions {
  /** Latency per path (ms) before answering an accepted delivery. */
  delayMs?: (path: string, deliveryOfKey: number) => number;
  /** Fault injection, consulted for deliveries of keys without an effect. */
  fault?: (path: string, deliveryOfKey: number) => Fault;
}

export interface Receiver {
  url: string;
  host: string;
  deliveries: Delivery[];
  effects: Map<string, Effect>;
  /** Called when a delivery arrives (before it is answered). */
  onDelivery(listener: (d: Delivery) => void): void;
  /** Keys that were delivered again after their effect had been answered with success. */
  resentAfterSuccess(): string[];
  close(): Promise<void>;
}

export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const effects = new Map<string, Effect>();
  const countByKey = new Map<string, number>();
  /** When the success answer for a key went out (the engine could have seen it from then on). */
  const answeredAt = new Map<string, number>();
  const resent = new Set<string>();
  const listeners: Array<(d: Delivery) => void> = [];

  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const key = req.headers['idempotency-key'] as string | undefined;
      const n = key ? (countByKey.get(key) ?? 0) + 1 : 1;
      if (key) countByKey.set(key, n);
      const now = Date.now();
      const prior = key ? effects.get(key) : undefined;
      if (key && answeredAt.has(key)) resent.add(key);
      let status = 200;
      let headers: Record<string, string> = {};
      let body: unknown;
      if (prior) {
        body = { replayed: true, delivery: prior.delivery, path: prior.path };
      } else {
        const fault = opts.fault?.(path, n);
        if (fault) {
          status = fault.status;
          headers = fault.headers ?? {};
          body = { error: `injected ${fault.status}` };
        } else {
          if (key) effects.set(key, { key, path, at: now, delivery: n });
          body = { accepted: true, delivery: n, path };
        }
      }
      const delivery: Delivery = { key, path, at: now, status };
      deliveries.push(delivery);
      for (const l of listeners) l(delivery);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body), () => {
          if (key && status < 300 && !answeredAt.has(key)) answeredAt.set(key, Date.now());
        });
      };
      const delay = status < 300 ? (opts.delayMs?.(path, n) ?? 0) : 0;
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  // Keep-alive sockets of killed workers must not hold close() up.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    deliveries,
    effects,
    onDelivery: (l) => listeners.push(l),
    resentAfterSuccess: () => [...resent],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Deterministic randomness (mulberry32), so a failing seed can be replayed with RELIABILITY_SEED. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function suiteSeed(): number {
  const fromEnv = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1;
}
