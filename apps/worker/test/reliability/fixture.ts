import pg from 'pg';
import { enqueueRun } from '@switchyard/db';
import type { Graph, GraphNode } from '@switchyard/workflow';
import { adminUrl, createTestDatabase } from '../support';
import { WorkerSet, type WorkerSpawnOptions } from './processes';
import type { Receiver } from './receiver';

/**
 * Shared setup of the reliability scenarios: a throwaway database, the workers and receivers of
 * one test file, and the checks every scenario makes ("nothing lost, nothing duplicated").
 */

/** RELIABILITY_SCALE=full is the nightly mode: more runs, longer soak. */
export const FULL = process.env.RELIABILITY_SCALE === 'full';
export const scaled = (ci: number, full: number): number => (FULL ? full : ci);

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

export interface Fixture {
  env: TestDatabase;
  workers: WorkerSet;
  receivers: Receiver[];
  cleanup(): Promise<void>;
}

/**
 * The scenarios measure latency and kill processes on a shared PostgreSQL: when vitest runs files
 * in parallel (or two checkouts run the suite at once) they would disturb each other. A session
 * advisory lock on the admin database runs them one at a time; it is released when the session ends.
 */
async function suiteLock(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`SELECT pg_advisory_lock(hashtext('switchyard-reliability-suite'))`);
  return client;
}

export async function createFixture(prefix: string, workerDefaults: WorkerSpawnOptions = {}): Promise<Fixture> {
  const lock = await suiteLock();
  try {
    const env = await createTestDatabase(`sy_rel_${prefix}`);
    const workers = new WorkerSet(env.url, workerDefaults);
    const receivers: Receiver[] = [];
    return {
      env,
      workers,
      receivers,
      async cleanup() {
        try {
          await workers.killAll();
          await Promise.all(receivers.map((r) => r.close()));
          await env.drop();
        } finally {
          await lock.end().catch(() => undefined);
        }
      },
    };
  } catch (err) {
    await lock.end().catch(() => undefined);
    throw err;
  }
}

const at = { x: 0, y: 0 };

export function httpNode(id: string, url: string, timeoutMs = 10_000): GraphNode {
  return { id, kind: 'http.request', position: at, config: { method: 'POST', url, headers: {} }, policy: { timeoutMs } };
}

/** trigger → http(paths[0]) → http(paths[1]) → … ; the run's result is the last call's output. */
export function chainGraph(baseUrl: string, paths: string[], trigger: GraphNode = { id: 't', kind: 'trigger.manual', position: at, config: {} }, timeoutMs?: number): Graph {
  const nodes: GraphNode[] = [trigger, ...paths.map((p, i) => httpNode(`h${i}`, `${baseUrl}${p}`, timeoutMs))];
  return {
    schemaVersion: 1,
    settings: {},
    nodes,
    edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, sourcePort: 'out', target: n.id })),
  };
}

export interface Published {
  tenantId: string;
  workflowId: string;
  versionId: string;
}

export async function enqueueMany(pool: pg.Pool, wf: Published, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { runId } = await enqueueRun(pool, { ...wf, trigger: 'manual', correlationId: `${label}-${i}`, payload: { i } });
    ids.push(runId);
  }
  return ids;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

const TERMINAL = `('succeeded', 'failed', 'cancelled', 'compensated', 'compensation_failed')`;

export async function statusCounts(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM runs GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Waits until no run is queued, waiting or running (`runIds` given: until those are terminal). */
export async function waitAllTerminal(pool: pg.Pool, timeoutMs: number, runIds?: string[]): Promise<void> {
  await waitFor(
    'every run to reach a terminal status',
    async () => {
      const { rows } = runIds
        ? await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) AND status NOT IN ${TERMINAL}`, [runIds])
        : await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE status NOT IN ${TERMINAL}`);
      return rows[0]!.n === 0;
    },
    timeoutMs,
    200,
  );
}

/** Activations with more than one succeeded step: a step that completed twice (the fencing failed). */
export async function duplicateSucceededSteps(pool: pg.Pool): Promise<Array<{ run_id: string; activation_id: string; n: number }>> {
  const { rows } = await pool.query<{ run_id: string; activation_id: string; n: number }>(
    `SELECT run_id, activation_id, count(*)::int AS n FROM steps
      WHERE status = 'succeeded' AND phase IS NULL
      GROUP BY run_id, activation_id HAVING count(*) > 1`,
  );
  return rows;
}

/** Idempotency keys of succeeded HTTP steps (what the receiver must have an effect for). */
export async function succeededHttpKeys(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ idempotency_key: string }>(
    `SELECT s.idempotency_key FROM steps s WHERE s.status = 'succeeded' AND s.node_id LIKE 'h%' ORDER BY 1`,
  );
  return rows.map((r) => r.idempotency_key);
}

/**
 * The effects check shared by the scenarios: every succeeded HTTP step has exactly one effect at
 * the receiver and every effect belongs to a succeeded step; no step key succeeded twice.
 */
export async function effectsMismatch(pool: pg.Pool, receiver: Receiver): Promise<{ missing: string[]; unexpected: string[]; doubleSteps: string[] }> {
  const keys = await succeededHttpKeys(pool);
  const seen = new Set<string>();
  const doubleSteps = keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
  const missing = [...seen].filter((k) => !receiver.effects.has(k));
  const unexpected = [...receiver.effects.keys()].filter((k) => !seen.has(k));
  return { missing, unexpected, doubleSteps };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Waits until `count` workers are up: each holds one LISTEN connection once it has started. */
export async function waitForListeners(pool: pg.Pool, count: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${count} workers to listen for runs`,
    async () => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'switchyard-listen'`,
      );
      return rows[0]!.n >= count;
    },
    timeoutMs,
  );
}
