import type { LoadResult, LoadSpec } from '../procs/load';
import { cpuBetween, cpuSnapshot, formatCpu, type CpuGroups, type CpuUsage } from './proc-stats';
import type { Stack } from './stack';

export interface Round {
  load: LoadResult;
  cpu: CpuUsage;
}

/**
 * Process groups the harness started, and the PostgreSQL backends connected to the bench database
 * now (call it at the end of a window: pools keep their connections, so these are the ones that did the work).
 */
export async function cpuGroups(stack: Stack): Promise<CpuGroups> {
  const { rows } = await stack.database.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  return {
    leaders: {
      web: stack.web ? [stack.web.pid] : [],
      next: stack.next ? [stack.next.pid] : [],
      workers: stack.workers.map((w) => w.pid),
      receiver: stack.receiverChild ? [stack.receiverChild.pid] : [],
    },
    pids: { postgres: rows.map((r) => r.pid) },
  };
}

/** One measured load run with the CPU of every process group over the same window. */
export async function measuredLoad(stack: Stack, spec: LoadSpec, name: string): Promise<Round> {
  const a = cpuSnapshot();
  const load = await stack.load(spec, name);
  const b = cpuSnapshot();
  const cpu = cpuBetween(a, b, await cpuGroups(stack));
  // The load generator has exited by now: its own report of CPU time stands in for /proc.
  cpu.groups.load = (load.cpuS / Math.max(cpu.seconds, 0.001)) * 100;
  return { load, cpu };
}

/** A discarded warm-up, then `rounds` measured runs of `roundS` seconds each. */
export async function loadRounds(stack: Stack, spec: Omit<LoadSpec, 'duration' | 'amount'>, name: string): Promise<Round[]> {
  const { sizes } = stack;
  await stack.load({ ...spec, duration: sizes.warmupS }, `${name}-warmup`);
  const rounds: Round[] = [];
  for (let r = 0; r < sizes.rounds; r++) rounds.push(await measuredLoad(stack, { ...spec, duration: sizes.roundS }, `${name}-round${r + 1}`));
  return rounds;
}

export function statusSummary(rounds: Round[]): string {
  const totals: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  const firstError = rounds.find((r) => r.load.firstError)?.load.firstError;
  for (const r of rounds) {
    for (const [code, n] of Object.entries(r.load.statusCodes)) totals[code] = (totals[code] ?? 0) + n;
    errors += r.load.errors;
    timeouts += r.load.timeouts;
  }
  const codes = Object.entries(totals)
    .map(([code, n]) => `${n}× ${code}`)
    .join(', ');
  return `responses ${codes || 'none'}; ${errors} connection errors, ${timeouts} timeouts${firstError ? `; first failure: ${firstError}` : ''}`;
}

/** CPU of the middle round, as text. */
export function cpuSummary(rounds: Round[]): string {
  const mid = rounds[Math.floor(rounds.length / 2)];
  return mid ? `CPU in round ${Math.floor(rounds.length / 2) + 1}: ${formatCpu(mid.cpu)}` : '';
}

/**
 * CPU milliseconds each part of the system spent per run (or request), from a round's CPU shares
 * and its rate. Unlike throughput, this barely moves when other jobs compete for the machine, and
 * it projects what the same code would carry on this machine's cores with nothing else running.
 */
export function cpuPerRun(cpu: CpuUsage, perS: number, cores: number): string {
  const parts = ['web', 'next', 'workers', 'postgres', 'receiver']
    .map((name) => ({ name, ms: ((cpu.groups[name] ?? 0) / 100) * (1000 / Math.max(perS, 1e-9)) }))
    .filter((p) => p.ms >= 0.005);
  const total = parts.reduce((n, p) => n + p.ms, 0);
  const projected = total > 0 ? (cores * 1000) / total : 0;
  return (
    `CPU per run: ${parts.map((p) => `${p.name} ${p.ms.toFixed(2)} ms`).join(', ')}; total ${total.toFixed(2)} ms ` +
    `(PostgreSQL background processes and the load generator not included) → at most ~${Math.round(projected)} per second on ${cores} otherwise idle cores`
  );
}

/** cpuPerRun for the middle round of a set. */
export function middleCpuPerRun(rounds: Round[], perS: (r: Round) => number, cores: number): string {
  const mid = rounds[Math.floor(rounds.length / 2)];
  return mid ? cpuPerRun(mid.cpu, perS(mid), cores) : '';
}
