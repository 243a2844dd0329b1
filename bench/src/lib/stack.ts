import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Database } from '@switchyard/db';
import { logTail, spawnChild, waitUntil, type Child } from './children';
import type { LoadResult, LoadSpec } from '../procs/load';
import { JSON_HEADERS_WITH_KEY, ORDER_BODY } from './payloads';
import { WEB_SNAPSHOT } from './web-build';
import type { BenchSeed } from './seed';
import type { Sizes } from './sizes';

/** The platform admin the bench's web process starts with (browser scenarios sign in as it). */
export const BENCH_ADMIN = { email: 'bench-admin@bench.invalid', password: 'bench-admin-password-1' } as const;

/**
 * The servers under test, started as separate processes exactly as an operator would run them:
 * `next start` for apps/web behind the front server, `apps/worker/src/main.ts` per worker, the loopback receiver, and the
 * load generator. Everything is registered with children.ts, which ends them all on exit.
 */

export interface Paths {
  repoRoot: string;
  benchDir: string;
  /** Where the report goes: bench/ for full runs, bench/.tmp/ for smoke runs. */
  outDir: string;
  logDir: string;
}

export interface WorkerOptions {
  concurrency: number;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  tag?: string;
}

export class Stack {
  /** The front server: the public port, webhook ingress (the process measured as "web"). */
  private webChild: Child | null = null;
  /** `next start` behind the front server (pages, tRPC, the other API routes). */
  private nextChild: Child | null = null;
  webUrl = '';
  receiverUrl = '';
  receiverChild: Child | null = null;
  workers: Child[] = [];
  private serial = 0;

  constructor(
    readonly paths: Paths,
    readonly sizes: Sizes,
    readonly database: Database,
    readonly databaseUrl: string,
    readonly log: (message: string) => void,
  ) {}

  seed!: BenchSeed;

  private logFile(name: string): string {
    this.serial += 1;
    return path.join(this.paths.logDir, `${String(this.serial).padStart(2, '0')}-${name}.log`);
  }

  private tsNode(script: string): string[] {
    return ['--import', 'tsx', path.join(this.paths.repoRoot, script)];
  }

  async startReceiver(): Promise<void> {
    const port = await freePort();
    const child = spawnChild('receiver', process.execPath, [...this.tsNode('bench/src/procs/receiver.ts'), '--port', String(port)], {
      cwd: this.paths.repoRoot,
      logFile: this.logFile('receiver'),
    });
    this.receiverChild = child;
    this.receiverUrl = `http://127.0.0.1:${port}`;
    await waitUntil(child, 'the receiver listens', async () => (await fetch(`${this.receiverUrl}/stats`)).ok, 20_000);
  }

  async receiverStats(): Promise<{ requests: number; unique: number; duplicates: number; withoutKey: number }> {
    const res = await fetch(`${this.receiverUrl}/stats`);
    return (await res.json()) as { requests: number; unique: number; duplicates: number; withoutKey: number };
  }

  async resetReceiver(): Promise<void> {
    await fetch(`${this.receiverUrl}/reset`, { method: 'POST' });
  }

  get web(): Child | null {
    return this.webChild;
  }

  get next(): Child | null {
    return this.nextChild;
  }

  /**
   * The web tier as `pnpm start` runs it in production: `next start` of the production build on a
   * private loopback port, and the front server (apps/worker/src/front-main.ts) on the public one,
   * which takes webhook deliveries itself and proxies everything else to Next.js.
   */
  async startWeb(opts: { nodeFlags?: string[] } = {}): Promise<void> {
    if (this.webChild) throw new Error('the web server is already running');
    const nextBin = createRequire(path.join(this.paths.repoRoot, 'apps/web/package.json')).resolve('next/dist/bin/next');
    // The private copy of the build (web-build.ts), so that other builds of apps/web cannot disturb it.
    const webDir = path.join(this.paths.repoRoot, WEB_SNAPSHOT);
    const nextPort = await freePort();
    // The web process creates this platform admin at start; browser scenarios sign in as it.
    const env = { ...process.env, DATABASE_URL: this.databaseUrl, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', SWITCHYARD_ADMIN_EMAIL: BENCH_ADMIN.email, SWITCHYARD_ADMIN_PASSWORD: BENCH_ADMIN.password };
    const next = spawnChild('next', process.execPath, [nextBin, 'start', '-p', String(nextPort), '-H', '127.0.0.1'], {
      cwd: webDir,
      env,
      logFile: this.logFile('next'),
    });
    this.nextChild = next;
    const port = await freePort();
    const front = spawnChild('web', process.execPath, [...(opts.nodeFlags ?? []), ...this.tsNode('apps/worker/src/front-main.ts')], {
      cwd: this.paths.repoRoot,
      env: { ...env, PORT: String(port), NEXT_PORT: String(nextPort), LOG_LEVEL: 'warn' },
      logFile: this.logFile('web'),
    });
    this.webChild = front;
    this.webUrl = `http://127.0.0.1:${port}`;
    await waitUntil(next, 'Next.js answers /api/health', async () => (await fetch(`http://127.0.0.1:${nextPort}/api/health`)).ok, 60_000);
    await waitUntil(front, 'the front server answers /api/health', async () => (await fetch(`${this.webUrl}/api/health`)).ok, 30_000);
  }

  async ensureWeb(): Promise<void> {
    if (!this.webChild || this.webChild.hasExited() || !this.nextChild || this.nextChild.hasExited()) {
      await this.stopWeb();
      await this.startWeb();
    }
  }

  async stopWeb(): Promise<void> {
    await this.webChild?.stop(15_000);
    await this.nextChild?.stop(15_000);
    this.webChild = null;
    this.nextChild = null;
  }

  hookUrl(path: string): string {
    return `${this.webUrl}/api/hooks/bench/${path}`;
  }

  /** Load for a signed webhook route: the order body, a fresh Idempotency-Key and signature per request. */
  hookSpec(path: 'e2e' | 'sync'): Omit<LoadSpec, 'duration' | 'amount'> {
    return {
      url: this.hookUrl(path),
      method: 'POST',
      headers: JSON_HEADERS_WITH_KEY,
      body: ORDER_BODY,
      connections: this.sizes.connections,
      signingSecret: this.seed.signingSecret,
    };
  }

  /** Standalone worker processes (`apps/worker/src/main.ts`), started together; resolves when all are claiming. */
  async startWorkers(count: number, opts: WorkerOptions): Promise<Child[]> {
    const started = Array.from({ length: count }, (_, i) => {
      const id = `bench-${opts.tag ?? 'w'}-${i + 1}`;
      return spawnChild(id, process.execPath, [...(opts.nodeFlags ?? []), ...this.tsNode('apps/worker/src/main.ts')], {
        cwd: this.paths.repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: this.databaseUrl,
          WORKER_CONCURRENCY: String(opts.concurrency),
          WORKER_ID: id,
          // The workers' outbound guard blocks loopback targets unless allowed: allow the receiver only.
          SWITCHYARD_OUTBOUND_ALLOWLIST: new URL(this.receiverUrl).host,
          // The product's default level: the engine's per-run lines are part of its cost.
          LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'info',
        },
        logFile: this.logFile(id),
      });
    });
    this.workers.push(...started);
    await Promise.all(
      started.map((child) =>
        waitUntil(child, 'the worker starts', async () => (await readFile(child.logFile, 'utf8')).includes('worker started'), 60_000),
      ),
    );
    return started;
  }

  /** SIGTERM: the worker drains (current steps finish, the rest is released) and exits. */
  async stopWorkers(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.stop(15_000)));
  }

  /** One autocannon run in its own process. */
  async load(spec: LoadSpec, name = 'load'): Promise<LoadResult> {
    const file = this.logFile(name);
    const child = spawnChild(name, process.execPath, [...this.tsNode('bench/src/procs/load.ts'), JSON.stringify(spec)], {
      cwd: this.paths.repoRoot,
      logFile: file,
    });
    const code = await child.exited;
    const text = await readFile(file, 'utf8');
    const line = text
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (code !== 0 || !line) throw new Error(`load generator exited with ${code}:\n${await logTail(file)}`);
    return JSON.parse(line) as LoadResult;
  }

  /** Empties the run tables between scenarios so that each starts from the same state. */
  async resetRuns(): Promise<void> {
    // CASCADE: tables that hang off runs (deliveries, waits, dead letters) go with them.
    await this.database.pool.query('TRUNCATE steps, runs CASCADE');
  }

  /** Runs not yet finished (queued, running, or waiting on a timer). */
  async backlog(): Promise<number> {
    const { rows } = await this.database.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM runs WHERE status IN ('queued', 'running', 'waiting')`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Where a finished run's time went, from the run rows: queue wait (created → claimed) and run
   * time (claimed → finished), in ms, as p50/p90/p99 over the succeeded runs.
   */
  async runTimings(): Promise<string> {
    const { rows } = await this.database.pool.query<{ n: string; q50: number; q90: number; q99: number; r50: number; r90: number; r99: number }>(
      `SELECT count(*)::text AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000 AS q50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000 AS q90,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000 AS q99,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) * 1000 AS r50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) * 1000 AS r90,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) * 1000 AS r99
         FROM runs WHERE status = 'succeeded'`,
    );
    const r = rows[0];
    if (!r || r.n === '0') return 'no finished runs';
    const f = (v: number) => Math.round(v * 10) / 10;
    return (
      `over ${r.n} succeeded runs: queue wait (created → claimed) p50 ${f(r.q50)} ms, p90 ${f(r.q90)} ms, p99 ${f(r.q99)} ms; ` +
      `run time (claimed → finished) p50 ${f(r.r50)} ms, p90 ${f(r.r90)} ms, p99 ${f(r.r99)} ms`
    );
  }

  /** Throws with the first error when any run ended other than succeeded: a benchmark of failing runs measures nothing. */
  async assertAllSucceeded(): Promise<void> {
    const { rows } = await this.database.pool.query<{ status: string; n: string; error: unknown }>(
      `SELECT status::text, count(*)::text AS n, (array_agg(error))[1] AS error FROM runs WHERE status <> 'succeeded' GROUP BY status`,
    );
    if (rows.length > 0) {
      const what = rows.map((r) => `${r.n} ${r.status}`).join(', ');
      throw new Error(`runs did not succeed: ${what}; first error: ${JSON.stringify(rows[0]?.error)}`);
    }
  }

  /** The most frequent error lines (pino level ≥ 50) in the running workers' logs, for failure messages. */
  async workerErrors(): Promise<string> {
    const counts = new Map<string, number>();
    for (const worker of this.workers) {
      const text = await readFile(worker.logFile, 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; err?: string };
          if ((entry.level ?? 0) < 50) continue;
          const key = `${entry.msg ?? ''}${entry.err ? `: ${entry.err}` : ''}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        } catch {
          // not a log line of the worker's JSON logger
        }
      }
    }
    if (counts.size === 0) return 'no errors in the worker logs';
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([msg, n]) => `${n}× ${msg}`)
      .join('; ');
  }

  /**
   * Waits until no run is unfinished; returns how many backlog queries it ran (they are transactions
   * too). Gives up early, with the workers' errors, when no run finishes for a quarter of the timeout.
   */
  async waitForDrain(timeoutS: number, onSample?: (backlog: number) => void): Promise<number> {
    const deadline = Date.now() + timeoutS * 1000;
    const stallMs = (timeoutS * 1000) / 4;
    let queries = 0;
    let fewest = Number.POSITIVE_INFINITY;
    let progressAt = Date.now();
    for (;;) {
      const left = await this.backlog();
      queries += 1;
      onSample?.(left);
      if (left === 0) return queries;
      if (left < fewest) {
        fewest = left;
        progressAt = Date.now();
      }
      if (Date.now() - progressAt > stallMs) {
        throw new Error(`${left} runs unfinished and none finished for ${Math.round(stallMs / 1000)} s; workers: ${await this.workerErrors()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`${left} runs were still unfinished ${timeoutS} s after the load stopped; workers: ${await this.workerErrors()}`);
      }
      await sleep(100);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
