import pg from 'pg';
import { RUNS_CHANNEL } from './dispatch';
import { RUN_DONE_CHANNEL } from './run-store';
import { assertUuid } from './sql';
import { TERMINAL_STATUSES, type RunStatus } from './types';

export interface RunsListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Called when the LISTEN connection breaks; the caller keeps polling and may listen again. */
  onError?: (err: Error) => void;
}

/**
 * LISTENs for announced runs on a dedicated connection (a pooled one would be handed to other work
 * and lose the subscription). Notifications only shorten the wait: claims still poll, because a
 * notification sent while nobody listens is gone and timers are not announced at all.
 *
 * Rejects on the embedded PGlite: its socket server multiplexes every connection onto one backend
 * session, so a NOTIFY is delivered to whichever connection happens to be executing (the notifier
 * itself), never to the listener. Callers fall back to polling there.
 */
export async function listenForRuns(
  target: string | pg.Pool,
  onNotify: (runId: string) => void,
  opts: ListenOptions = {},
): Promise<RunsListener> {
  let client: pg.Client | pg.PoolClient;
  let release: () => Promise<void>;
  if (typeof target === 'string') {
    const own = new pg.Client({ connectionString: target, application_name: 'switchyard-listen' });
    await own.connect();
    client = own;
    release = () => own.end();
  } else {
    const pooled = await target.connect();
    client = pooled;
    // Destroy rather than return it: a connection with a LISTEN must not go back into the pool.
    release = async () => pooled.release(true);
  }
  let closed = false;
  client.on('notification', (msg) => {
    if (msg.channel === RUNS_CHANNEL && !closed) onNotify(msg.payload ?? '');
  });
  client.on('error', (err) => {
    if (!closed) opts.onError?.(err);
  });
  try {
    const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
    if (/PGlite/i.test(rows[0]?.version ?? '')) {
      throw new Error('LISTEN/NOTIFY does not reach other connections on the embedded PGlite socket server; poll for runs instead');
    }
    await client.query(`LISTEN ${RUNS_CHANNEL}`);
  } catch (err) {
    await release().catch(() => undefined);
    throw err;
  }
  return {
    async close() {
      if (closed) return;
      closed = true;
      await client.query(`UNLISTEN ${RUNS_CHANNEL}`).catch(() => undefined);
      await release().catch(() => undefined);
    },
  };
}

export type RunResponseOutcome =
  /** A respond node answered (the run may still be running). */
  | { kind: 'response'; status: RunStatus; response: unknown }
  /** The run ended without a response. */
  | { kind: 'finished'; status: RunStatus; result: unknown; error: unknown }
  | { kind: 'timeout'; status: RunStatus }
  | { kind: 'not-found' };

export interface WaitOptions {
  signal?: AbortSignal;
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

/**
 * Waits for a synchronous webhook's answer until a respond node has set runs.response, the run has
 * ended, or `timeoutMs` has passed. On PostgreSQL the worker's commit announces such runs on
 * RUN_DONE_CHANNEL and this wakes at once (one shared LISTEN connection per pool; the run row is
 * still read after each wake-up and at least every second, so a lost notification only delays).
 * Where LISTEN cannot work (the embedded PGlite) it polls: 10 ms, growing to 250 ms.
 */
export async function waitForRunResponse(
  pool: pg.Pool,
  tenantId: string,
  runId: string,
  timeoutMs: number,
  opts: WaitOptions = {},
): Promise<RunResponseOutcome> {
  assertUuid(tenantId, 'waitForRunResponse: tenantId');
  assertUuid(runId, 'waitForRunResponse: runId');
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new TypeError(`waitForRunResponse: timeoutMs must be >= 0 (got ${timeoutMs})`);
  const deadline = Date.now() + timeoutMs;
  const listener = await doneListenerOf(pool);
  let delay = 10;
  for (;;) {
    // Registered before the read, so an announcement between the read and the wait is not missed.
    const announced = listener?.expect(runId);
    try {
      const { rows } = await pool.query<{ status: RunStatus; response: unknown; result: unknown; error: unknown }>(
        'SELECT status, response, result, error FROM runs WHERE id = $1 AND tenant_id = $2',
        [runId, tenantId],
      );
      const run = rows[0];
      if (!run) return { kind: 'not-found' };
      if (run.response !== null) return { kind: 'response', status: run.status, response: run.response };
      if (TERMINAL.has(run.status)) return { kind: 'finished', status: run.status, result: run.result, error: run.error };
      const left = deadline - Date.now();
      if (left <= 0 || opts.signal?.aborted) return { kind: 'timeout', status: run.status };
      if (announced) {
        await Promise.race([announced.promise, sleep(Math.min(left, SAFETY_POLL_MS))]);
      } else {
        await sleep(Math.min(delay, left));
        delay = Math.min(Math.ceil(delay * 1.5), 250);
      }
    } finally {
      announced?.cancel();
    }
  }
}

const SAFETY_POLL_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One LISTEN connection per pool for RUN_DONE_CHANNEL, taken out of the pool for good. Started on
 * first use; when it cannot start or breaks, waiters poll and it is tried again after a while.
 */
class RunDoneListener {
  private readonly waiters = new Map<string, Set<() => void>>();

  expect(runId: string): { promise: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    let set = this.waiters.get(runId);
    if (!set) this.waiters.set(runId, (set = new Set()));
    set.add(wake);
    return {
      promise,
      cancel: () => {
        const current = this.waiters.get(runId);
        current?.delete(wake);
        if (current?.size === 0) this.waiters.delete(runId);
      },
    };
  }

  deliver(runId: string): void {
    for (const wake of this.waiters.get(runId) ?? []) wake();
  }

  wakeAll(): void {
    for (const set of this.waiters.values()) for (const wake of set) wake();
  }
}

const RETRY_LISTEN_MS = 30_000;
const listeners = new WeakMap<pg.Pool, { listener: RunDoneListener | null; starting: Promise<RunDoneListener | null> | null; failedAt: number }>();

async function doneListenerOf(pool: pg.Pool): Promise<RunDoneListener | null> {
  let entry = listeners.get(pool);
  if (!entry) listeners.set(pool, (entry = { listener: null, starting: null, failedAt: -Infinity }));
  if (entry.listener) return entry.listener;
  if (entry.starting) return entry.starting;
  if (Date.now() - entry.failedAt < RETRY_LISTEN_MS) return null;
  const current = entry;
  current.starting = startDoneListener(pool, () => {
    current.listener = null;
    current.failedAt = Date.now();
  })
    .then((listener) => {
      current.listener = listener;
      return listener;
    })
    .catch(() => {
      current.failedAt = Date.now();
      return null;
    })
    .finally(() => {
      current.starting = null;
    });
  return current.starting;
}

async function startDoneListener(pool: pg.Pool, onBroken: () => void): Promise<RunDoneListener> {
  // Its own connection with the pool's settings, not a pooled one: a client checked out for good
  // would make pool.end() wait forever. Ending the pool ends it too (below).
  const client = new pg.Client({ ...(pool.options as pg.ClientConfig), application_name: 'switchyard-run-done' });
  const listener = new RunDoneListener();
  let broken = false;
  const breakOff = () => {
    if (broken) return;
    broken = true;
    onBroken();
    // Waiters fall back to reading the row.
    listener.wakeAll();
    void client.end().catch(() => undefined);
  };
  client.on('error', breakOff);
  client.on('end', breakOff);
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
    if (/PGlite/i.test(rows[0]?.version ?? '')) throw new Error('LISTEN/NOTIFY does not reach other connections on the embedded PGlite socket server');
    client.on('notification', (msg) => {
      if (msg.channel === RUN_DONE_CHANNEL && msg.payload) listener.deliver(msg.payload);
    });
    await client.query(`LISTEN ${RUN_DONE_CHANNEL}`);
  } catch (err) {
    breakOff();
    throw err;
  }
  const endPool = pool.end.bind(pool);
  pool.end = (async () => {
    breakOff();
    return endPool();
  }) as typeof pool.end;
  return listener;
}
