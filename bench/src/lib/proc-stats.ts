import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU and memory from /proc, to show where the time goes during a measured window: per process
 * group the harness started (web, workers, receiver, load generator), PostgreSQL's processes, and
 * whatever else the machine was doing (other jobs sharing it), as a share of one core.
 */

const TICKS_PER_S = 100; // CLK_TCK on Linux x86-64

interface ProcInfo {
  pid: number;
  pgid: number;
  comm: string;
  /** utime + stime in ticks. */
  ticks: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: fields start after the last ')'.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is state (field 3); pgrp is field 5, utime 14, stime 15.
    return { pid, pgid: Number(fields[2]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) out.push(info);
  }
  return out;
}

/** Busy and total ticks of the whole machine (all cores), from the first line of /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Groups: name → process-group leader ids (processes the harness started lead their own groups),
 * and name → single process ids (PostgreSQL backends serving the bench database). Other
 * PostgreSQL processes (other databases' backends, WAL writer, checkpointer) are `postgres-other`.
 */
export interface CpuGroups {
  leaders: Record<string, number[]>;
  pids: Record<string, number[]>;
}

export interface CpuSnapshot {
  at: number;
  byPid: Map<number, ProcInfo>;
  machine: { busy: number; total: number };
}

export function cpuSnapshot(): CpuSnapshot {
  return { at: Date.now(), byPid: new Map(allProcs().map((p) => [p.pid, p])), machine: machineTicks() };
}

export interface CpuUsage {
  /** Percent of one core, per group, plus `postgres`, `harness` and `other` (everything else). */
  groups: Record<string, number>;
  /** Percent of all cores busy. */
  machineBusyPct: number;
  seconds: number;
}

/**
 * CPU used between two snapshots. A process that started or ended in between counts with what it
 * used while both snapshots saw it, or from zero when it is new (good enough for windows of seconds).
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, groups: CpuGroups): CpuUsage {
  const seconds = (b.at - a.at) / 1000;
  const leaderToGroup = new Map<number, string>();
  for (const [name, leaders] of Object.entries(groups.leaders)) for (const pid of leaders) leaderToGroup.set(pid, name);
  const pidToGroup = new Map<number, string>();
  for (const [name, pids] of Object.entries(groups.pids)) for (const pid of pids) pidToGroup.set(pid, name);
  const ticks: Record<string, number> = { harness: 0, 'postgres-other': 0, other: 0 };
  for (const name of [...Object.keys(groups.leaders), ...Object.keys(groups.pids)]) ticks[name] = 0;
  for (const after of b.byPid.values()) {
    const before = a.byPid.get(after.pid);
    const used = Math.max(0, after.ticks - (before?.ticks ?? 0));
    if (used === 0) continue;
    const group =
      pidToGroup.get(after.pid) ??
      leaderToGroup.get(after.pgid) ??
      (after.comm === 'postgres' ? 'postgres-other' : after.pid === process.pid ? 'harness' : 'other');
    ticks[group] = (ticks[group] ?? 0) + used;
  }
  const out: Record<string, number> = {};
  for (const [name, t] of Object.entries(ticks)) out[name] = seconds > 0 ? (t / TICKS_PER_S / seconds) * 100 : 0;
  const busy = b.machine.busy - a.machine.busy;
  const total = b.machine.total - a.machine.total;
  // Ticks of processes that ended in the window are in the machine total only; "other" takes the rest.
  return { groups: out, machineBusyPct: total > 0 ? (busy / total) * 100 : 0, seconds };
}

/** Resident memory of one process in MB (VmRSS from /proc/<pid>/status), or null once it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function formatCpu(usage: CpuUsage): string {
  const parts = Object.entries(usage.groups)
    .filter(([, pct]) => pct >= 0.5)
    .sort((x, y) => y[1] - x[1])
    .map(([name, pct]) => `${name} ${pct.toFixed(0)} %`);
  return `${parts.join(', ')} of one core; machine ${usage.machineBusyPct.toFixed(0)} % busy over ${usage.seconds.toFixed(1)} s`;
}
