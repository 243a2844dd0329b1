import pg from 'pg';
import { RUNS_CHANNEL } from './dispatch';
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
 * Waits for a synchronous webhook's answer: polls the run (10 ms, growing to 250 ms) until a respond
 * node has set runs.response, the run has ended, or `timeoutMs` has passed.
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
  let delay = 10;
  for (;;) {
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
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    delay = Math.min(Math.ceil(delay * 1.5), 250);
  }
}
