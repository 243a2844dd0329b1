import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * Real worker processes (`node --import tsx src/main.ts`) for the reliability suite. Every process
 * started here is tracked, so a test's cleanup (and, as a last resort, the test process's exit) can
 * end them even when the test failed half-way, stopped (SIGSTOP) ones included.
 */

const workerDir = path.resolve(import.meta.dirname, '../..');
const workerEntry = path.join(workerDir, 'src/main.ts');
const MAX_OUTPUT_LINES = 400;

export interface WorkerSpawnOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  logLevel?: string;
}

export class WorkerProcess {
  readonly child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr), for assertions and failure reports. */
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private stopped = false;

  constructor(
    readonly id: string,
    databaseUrl: string,
    opts: WorkerSpawnOptions = {},
  ) {
    // RELIABILITY_PRELOAD: an extra --import for diagnostics (e.g. a module tracing pg client errors).
    this.child = spawn(process.execPath, [...(process.env.RELIABILITY_PRELOAD ? ['--import', process.env.RELIABILITY_PRELOAD] : []), '--import', 'tsx', workerEntry], {
      cwd: workerDir,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        WORKER_ID: id,
        WORKER_LEASE_MS: String(opts.leaseMs ?? 1500),
        WORKER_POLL_MS: String(opts.pollMs ?? 100),
        WORKER_CONCURRENCY: String(opts.concurrency ?? 8),
        LOG_LEVEL: opts.logLevel ?? 'error',
        SWITCHYARD_OUTBOUND_ALLOWLIST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.output.push(line);
        if (this.output.length > MAX_OUTPUT_LINES) this.output.shift();
      }
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    live.add(this);
    void this.exited.then(() => live.delete(this));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGSTOP: the process keeps its sockets but runs no code (no heartbeats, no commits). */
  pause(): void {
    this.stopped = true;
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.stopped = false;
    this.child.kill('SIGCONT');
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return;
    // A stopped process would only act on SIGKILL; SIGCONT first lets SIGTERM drain as designed.
    if (this.stopped) this.resume();
    this.child.kill(signal);
    await this.exited;
  }
}

const live = new Set<WorkerProcess>();

// Last resort when the test process itself goes away: no worker may outlive the suite.
process.once('exit', () => {
  for (const worker of live) {
    worker.child.kill('SIGCONT');
    worker.child.kill('SIGKILL');
  }
});

/** The workers of one test file. */
export class WorkerSet {
  private readonly all: WorkerProcess[] = [];
  private seq = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly defaults: WorkerSpawnOptions = {},
  ) {}

  start(opts: WorkerSpawnOptions & { id?: string } = {}): WorkerProcess {
    const worker = new WorkerProcess(opts.id ?? `w${++this.seq}`, this.databaseUrl, { ...this.defaults, ...opts });
    this.all.push(worker);
    return worker;
  }

  get running(): WorkerProcess[] {
    return this.all.filter((w) => w.alive);
  }

  get everStarted(): readonly WorkerProcess[] {
    return this.all;
  }

  /** Output of every worker, for a failure report. */
  report(): string {
    return this.all.map((w) => `--- ${w.id} (exit ${String(w.child.exitCode ?? w.child.signalCode)})\n${w.output.slice(-60).join('\n')}`).join('\n');
  }

  async killAll(): Promise<void> {
    await Promise.all(this.all.map((w) => w.kill('SIGKILL')));
  }
}
