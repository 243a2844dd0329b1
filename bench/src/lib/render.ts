import type { Machine } from './machine';
import type { ResultEntry, Section } from './report';

export interface ReportJson {
  machine: Machine;
  versions: Record<string, string>;
  results: ResultEntry[];
}

export interface RunNotes {
  mode: 'full' | 'smoke';
  startedAt: string;
  durationS: number;
  loadAverageAtStart: number[];
  postgresSettings: Record<string, string>;
  crashed: { scenario: string; error: string }[];
}

function cell(value: unknown): string {
  return String(value ?? '—').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function passCell(pass: boolean | null): string {
  return pass === null ? '—' : pass ? 'pass' : '**miss**';
}

export function renderMarkdown(report: ReportJson, notes: RunNotes, sections: Section[]): string {
  const { machine } = report;
  const lines: string[] = [];
  lines.push('# Switchyard benchmark report', '');
  lines.push(
    `${notes.mode === 'smoke' ? 'Smoke run (tiny sizes: checks that the harness works; the figures mean nothing)' : 'Full run'} ` +
      `started ${notes.startedAt}, took ${Math.round(notes.durationS)} s. Produced by \`pnpm bench${notes.mode === 'smoke' ? ' --smoke' : ''}\` ` +
      `(bench/src/run.ts); figures are in bench/report.json.`,
    '',
  );
  lines.push('## Machine', '');
  lines.push('| cores | memory | CPU | Node.js | PostgreSQL |', '|---|---|---|---|---|');
  lines.push(`| ${machine.cores} | ${machine.memoryGb} GB | ${cell(machine.cpuModel)} | ${machine.node} | ${machine.postgres} |`, '');
  lines.push(
    `Load average when the run started: ${notes.loadAverageAtStart.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min). ` +
      `The machine is shared: other jobs may use CPU during the run; each figure's method says how much CPU went to ` +
      `"other" processes while it was measured.`,
    '',
  );
  lines.push(
    `PostgreSQL settings: ${Object.entries(notes.postgresSettings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    '',
  );
  lines.push('Versions: ' + Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ') + '.', '');
  if (notes.crashed.length > 0) {
    lines.push('## Scenarios that crashed', '');
    for (const c of notes.crashed) lines.push(`- **${c.scenario}**: ${cell(c.error)}`);
    lines.push('');
  }
  lines.push('## Results', '');
  lines.push('| id | value | unit | target | result |', '|---|---|---|---|---|');
  for (const r of report.results) {
    lines.push(`| \`${r.id}\` | ${r.value === null ? 'not measured' : r.value} | ${cell(r.unit)} | ${cell(r.target)} | ${passCell(r.pass)} |`);
  }
  lines.push('');
  for (const section of sections) lines.push(`## ${section.title}`, '', section.body.trim(), '');
  lines.push('## Method', '');
  lines.push(
    '- A disposable database `switchyard_bench_*` is created on the PostgreSQL server (loopback), marked with a per-run token, ' +
      'migrated with `@switchyard/db`\'s runner, seeded through the repositories (a bench tenant, published workflows), and dropped at the end; ' +
      'the harness refuses any database it did not create (and refuses to start while DATABASE_URL is set).',
    '- Servers run as separate processes, as an operator runs them: the front server (`apps/worker/src/front-main.ts`: webhook ingress on plain node:http, every other request proxied) in front of `next start` (production build of apps/web), ' +
      '`apps/worker/src/main.ts` per worker (LOG_LEVEL=info, logs to files), a loopback receiver that counts requests by Idempotency-Key. ' +
      'Load comes from autocannon in its own process; every request carries a fresh Idempotency-Key, so every request is a new run.',
    '- Each scenario discards a warm-up, then runs several rounds; the value is the median of the rounds, and the method gives min, max and spread.',
    '- Transactions are `xact_commit` deltas of the bench database in `pg_stat_database`, less the harness\'s own queries, read after waiting ' +
      'for backends to publish their counters. WAL bytes are the bench database\'s own records, read with pg_walinspect while a temporary ' +
      'replication slot keeps the segments (the cluster-wide LSN delta, which other databases on a shared server inflate, is given for comparison).',
    '- CPU shares come from /proc: per process group the harness started, PostgreSQL backends of the bench database (`postgres`), other ' +
      'PostgreSQL processes (`postgres-other`), and everything else on the machine (`other`). "CPU per run" divides them by the measured rate; ' +
      'it changes little when other jobs compete for the machine, unlike throughput and latency.',
    '',
  );
  lines.push('### How each figure was measured', '');
  for (const r of report.results) lines.push(`- \`${r.id}\`: ${r.method}`);
  lines.push('');
  return lines.join('\n');
}
