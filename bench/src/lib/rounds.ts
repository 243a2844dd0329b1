import type { LoadResult, LoadSpec } from '../procs/load';
import { cpuBetween, cpuSnapshot, formatCpu, type CpuUsage } from './proc-stats';
import type { Stack } from './stack';

export interface Round {
  load: LoadResult;
  cpu: CpuUsage;
}

/** Process groups the harness started, for CPU attribution. */
export function cpuGroups(stack: Stack): Record<string, number[]> {
  return {
    web: stack.web ? [stack.web.pid] : [],
    workers: stack.workers.map((w) => w.pid),
    receiver: stack.receiverChild ? [stack.receiverChild.pid] : [],
  };
}

/** One measured load run with the CPU of every process group over the same window. */
export async function measuredLoad(stack: Stack, spec: LoadSpec, name: string): Promise<Round> {
  const a = cpuSnapshot();
  const load = await stack.load(spec, name);
  const b = cpuSnapshot();
  const cpu = cpuBetween(a, b, cpuGroups(stack));
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
  for (const r of rounds) {
    for (const [code, n] of Object.entries(r.load.statusCodes)) totals[code] = (totals[code] ?? 0) + n;
    errors += r.load.errors;
    timeouts += r.load.timeouts;
  }
  const codes = Object.entries(totals)
    .map(([code, n]) => `${n}× ${code}`)
    .join(', ');
  return `responses ${codes || 'none'}; ${errors} connection errors, ${timeouts} timeouts`;
}

/** CPU of the middle round, as text. */
export function cpuSummary(rounds: Round[]): string {
  const mid = rounds[Math.floor(rounds.length / 2)];
  return mid ? `CPU in round ${Math.floor(rounds.length / 2) + 1}: ${formatCpu(mid.cpu)}` : '';
}
