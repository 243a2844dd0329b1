import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Every process the harness starts is registered here, so that one call (also on Ctrl-C, on a
 * crash, and from the synchronous 'exit' hook) ends them all. Each child leads its own process
 * group: `next start` and pnpm-style launchers spawn grandchildren, and signalling the group by the
 * child's own id reaches those too without ever touching a process the harness did not start.
 */

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr go here (opened for append). */
  logFile: string;
}

export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** Date.now() when it was spawned. */
  startedAt: number;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
  hasExited(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<Child>();

export function spawnChild(name: string, command: string, args: string[], opts: SpawnOptions): Child {
  const log: WriteStream = createWriteStream(opts.logFile, { flags: 'a' });
  const proc: ChildProcess = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.pipe(log, { end: false });
  proc.stderr?.pipe(log, { end: false });
  if (proc.pid === undefined) throw new Error(`could not start ${name} (${command} ${args.join(' ')})`);
  const pid = proc.pid;
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    proc.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    proc.once('error', (err) => {
      done = true;
      live.delete(child);
      log.write(`spawn error: ${err.message}\n`);
      resolve('spawn-error');
    });
  });
  exited.then(() => setTimeout(() => log.end(), 50)).catch(() => undefined);
  const child: Child = {
    name,
    pid,
    startedAt: Date.now(),
    logFile: opts.logFile,
    exited,
    hasExited: () => done,
    async stop(graceMs = 5000) {
      if (done) return;
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Grandchildren may outlive their leader; the group id is still ours to clean up.
      signalGroup(pid, 'SIGKILL');
    },
  };
  live.add(child);
  return child;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}

/** Last resort from process.on('exit'): synchronous, so it can only signal. */
export function killAllSync(): void {
  for (const child of live) signalGroup(child.pid, 'SIGKILL');
}

export function liveChildren(): Child[] {
  return [...live];
}

/** Waits until `probe` resolves true, failing early with the child's log tail if it exits. */
export async function waitUntil(child: Child, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.hasExited()) throw new Error(`${child.name} exited before ${what}:\n${await logTail(child.logFile)}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${child.name}: ${what} did not happen within ${timeoutMs} ms:\n${await logTail(child.logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function logTail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}
