import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Summarises V8 .cpuprofile files (written by `node --cpu-prof`): self time per package and per
 * function, so the report can say where a process spends its CPU.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  files: number;
  totalMs: number;
  /** Busy time (idle excluded). */
  busyMs: number;
  byPackage: { name: string; ms: number; pct: number }[];
  byFunction: { name: string; where: string; ms: number; pct: number }[];
}

/** node_modules/.pnpm/<pkg>@<ver>/node_modules/<pkg>/… → <pkg>; workspace sources → their folder. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const ws = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (ws) {
    if (url.includes('/.next/')) return url.includes('/chunks/') ? 'apps/web bundle (.next chunks)' : 'apps/web bundle';
    return `${ws[1]}/${ws[2]}`;
  }
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

/**
 * `skipFirstMs`: samples in the first milliseconds after the process started are left out (module
 * loading and compilation at start-up are not what a long-running server spends its time on).
 */
export async function summariseProfiles(dir: string, skipFirstMs = 0, top = 12): Promise<ProfileSummary> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile'));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, { where: string; us: number }>();
  let totalUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let elapsedUs = 0;
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      elapsedUs += us;
      if (elapsedUs < skipFirstMs * 1000) return;
      const node = nodes.get(id);
      if (!node) return;
      totalUs += us;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idleUs += us;
        return;
      }
      const pkg = packageOf(url, functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      const key = `${functionName || '(anonymous)'} ${pkg}`;
      const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
      const entry = byFunction.get(key) ?? { where, us: 0 };
      entry.us += us;
      byFunction.set(key, entry);
    });
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => (busyUs > 0 ? (us / busyUs) * 100 : 0);
  return {
    files: files.length,
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    byPackage: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: pct(us) })),
    byFunction: [...byFunction.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([name, e]) => ({ name, where: e.where, ms: e.us / 1000, pct: pct(e.us) })),
  };
}

export function renderProfile(title: string, s: ProfileSummary): string {
  if (s.files === 0) return `${title}: no profile was written.`;
  const pkgs = s.byPackage.map((p) => `| ${p.name} | ${p.pct.toFixed(1)} % |`).join('\n');
  const fns = s.byFunction.map((f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.where} | ${f.pct.toFixed(1)} % |`).join('\n');
  return (
    `**${title}** (${s.files} profile file(s), ${(s.busyMs / 1000).toFixed(1)} s busy of ${(s.totalMs / 1000).toFixed(1)} s sampled)\n\n` +
    `| self time by package | share of busy time |\n|---|---|\n${pkgs}\n\n` +
    `| self time by function | where | share |\n|---|---|---|\n${fns}`
  );
}
