/**
 * Run-history benchmark: `node --import tsx packages/db/scripts/history-bench.ts [--runs 1000000]
 * [--tenants 50] [--iterations 40] [--out report.md]`.
 *
 * Creates a disposable database on the PostgreSQL at HISTORY_BENCH_PG_URL (default the local
 * postgres), applies the migrations, seeds the runs server-side (history-seed.ts), then times the
 * real repository functions (listRunHistory, searchRuns, loadDashboard) with every combination of
 * list filters, key searches and the dashboards, records EXPLAIN (ANALYZE, BUFFERS) of each query
 * shape, fails when a plan scans `runs` sequentially, and drops the database.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { listRunHistory, loadDashboard, migrate, searchRuns, type DashboardRange, type RunHistoryFilter, type RunStatus } from '../src/index';
import { seedHistory } from './history-seed';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const RUNS = Number(arg('runs', '1000000'));
const TENANTS = Number(arg('tenants', '50'));
const ITERATIONS = Number(arg('iterations', '40'));
const OUT = arg('out', path.join(os.tmpdir(), 'history-bench-report.md'));
/** Reuse an already seeded database and keep it (for iterating on queries); default: a fresh one, dropped. */
const REUSE = arg('database', '');
const ADMIN_URL = process.env.HISTORY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (message: string) => process.stdout.write(`[history-bench] ${message}\n`);

interface Recorded {
  text: string;
  values: unknown[];
}

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SET)\b/i;

/**
 * A pool that remembers the statements it ran (directly or on a checked-out client), so each
 * measured call's SQL can be EXPLAINed as is.
 */
function recordingPool(pool: pg.Pool, sink: Recorded[]): pg.Pool {
  const record = (text: string, values: unknown[]) => {
    if (!CONTROL.test(text)) sink.push({ text, values });
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (text: string, values: unknown[] = []) => {
          record(text, values);
          return target.query(text, values);
        };
      }
      if (prop === 'connect') {
        return async () => {
          const client = await target.connect();
          return new Proxy(client, {
            get(c, p, r) {
              if (p !== 'query') return Reflect.get(c, p, r);
              return (text: string, values: unknown[] = []) => {
                record(text, values);
                return c.query(text, values);
              };
            },
          });
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Runs `work` with JIT off, as the dashboards run their aggregates (list and search never reach JIT's cost threshold). */
async function withoutJit<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN; SET LOCAL jit = off');
    return await work(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const began = performance.now();
  await fn();
  return performance.now() - began;
}

/** Server-side time of the recorded statements: planning + execution from EXPLAIN (ANALYZE), summed or the slowest. */
async function serverMs(pool: pg.Pool, statements: Recorded[], combine: 'sum' | 'max'): Promise<number> {
  const times: number[] = [];
  for (const s of statements) {
    const { rows } = await withoutJit(pool, (c) =>
      c.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(`EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) ${s.text}`, s.values),
    );
    const plan = rows[0]!['QUERY PLAN'][0];
    times.push(plan['Planning Time'] + plan['Execution Time']);
  }
  return combine === 'sum' ? times.reduce((a, b) => a + b, 0) : Math.max(...times);
}

/** Wall time of one call (through the pool, as the API makes it) and the server time of its statements. */
async function measure(pool: pg.Pool, combine: 'sum' | 'max', call: (p: pg.Pool) => Promise<unknown>): Promise<{ wall: number; server: number }> {
  const recorded: Recorded[] = [];
  const recording = recordingPool(pool, recorded);
  const wall = await time(() => call(recording));
  return { wall, server: await serverMs(pool, recorded, combine) };
}

interface Plan {
  name: string;
  plan: string;
}

async function explain(pool: pg.Pool, name: string, statements: Recorded[]): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (const [i, s] of statements.entries()) {
    const { rows } = await withoutJit(pool, (c) => c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values));
    plans.push({ name: statements.length > 1 ? `${name} #${i + 1}` : name, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
  }
  return plans;
}

interface Fixture {
  tenants: { id: string; runs: number }[];
  workflows: Map<string, string[]>;
  versions: Map<string, string[]>;
}

async function fixture(pool: pg.Pool): Promise<Fixture> {
  const tenants = await pool.query<{ id: string; runs: string }>(
    'SELECT t.id, (SELECT count(*) FROM runs r WHERE r.tenant_id = t.id) AS runs FROM tenants t ORDER BY 2 DESC',
  );
  const wf = await pool.query<{ tenant_id: string; id: string }>('SELECT tenant_id, id FROM workflows');
  const vs = await pool.query<{ workflow_id: string; id: string }>('SELECT workflow_id, id FROM workflow_versions ORDER BY version');
  const workflows = new Map<string, string[]>();
  for (const w of wf.rows) workflows.set(w.tenant_id, [...(workflows.get(w.tenant_id) ?? []), w.id]);
  const versions = new Map<string, string[]>();
  for (const v of vs.rows) versions.set(v.workflow_id, [...(versions.get(v.workflow_id) ?? []), v.id]);
  return { tenants: tenants.rows.map((t) => ({ id: t.id, runs: Number(t.runs) })), workflows, versions };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const STATUSES: RunStatus[] = ['failed', 'succeeded', 'queued', 'compensated'];
const TRIGGERS = ['manual', 'schedule', 'webhook'];
const DAY = 86_400_000;

/** Every combination of {–, workflow, version} × {–, status} × {–, trigger} × {–, time range}. */
function combinations(): { name: string; build: (f: Fixture, tenantId: string) => Omit<RunHistoryFilter, 'limit'> }[] {
  const out: { name: string; build: (f: Fixture, tenantId: string) => Omit<RunHistoryFilter, 'limit'> }[] = [];
  for (const scope of ['', 'workflow', 'version'])
    for (const status of [false, true])
      for (const trigger of [false, true])
        for (const range of [false, true]) {
          const name = [scope, status && 'status', trigger && 'trigger', range && 'range'].filter(Boolean).join('+') || 'none';
          out.push({
            name,
            build: (f, tenantId) => {
              const filter: Omit<RunHistoryFilter, 'limit'> = {};
              const workflowId = pick(f.workflows.get(tenantId)!);
              if (scope === 'workflow') filter.workflowId = workflowId;
              if (scope === 'version') filter.versionId = pick(f.versions.get(workflowId)!);
              if (status) filter.status = pick(STATUSES);
              if (trigger) filter.trigger = pick(TRIGGERS);
              if (range) {
                const to = Date.now() - Math.random() * 25 * DAY;
                filter.from = new Date(to - (Math.random() < 0.5 ? DAY : 7 * DAY));
                filter.to = new Date(to);
              }
              return filter;
            },
          });
        }
  return out;
}

async function bench(pool: pg.Pool): Promise<{ report: string; figures: Record<string, number>; seqScans: string[] }> {
  const f = await fixture(pool);
  const biggest = f.tenants.slice(0, 5).map((t) => t.id);
  const anyTenant = () => (Math.random() < 0.5 ? pick(biggest) : pick(f.tenants).id);
  const plans: Plan[] = [];
  const lines: string[] = [];

  // Warm-up: a server that just started answers from cold buffers; production ones do not.
  for (let i = 0; i < 50; i++) await listRunHistory(pool, anyTenant(), { limit: 50 });

  const pageSamples: number[] = [];
  const pageServer: number[] = [];
  lines.push('| filter combination | p50 ms | p95 ms | max ms | server p95 ms |', '|---|---|---|---|---|');
  for (const combo of combinations()) {
    const samples: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const tenantId = anyTenant();
      const filter = combo.build(f, tenantId);
      const m = await measure(pool, 'sum', (p) => listRunHistory(p, tenantId, { ...filter, limit: 50 }));
      samples.push(m.wall);
      server.push(m.server);
    }
    pageSamples.push(...samples);
    pageServer.push(...server);
    lines.push(`| ${combo.name} | ${round(percentile(samples, 50))} | ${round(percentile(samples, 95))} | ${round(Math.max(...samples))} | ${round(percentile(server, 95))} |`);
    const recorded: Recorded[] = [];
    await listRunHistory(recordingPool(pool, recorded), biggest[0]!, { ...combo.build(f, biggest[0]!), limit: 50 });
    plans.push(...(await explain(pool, `list: ${combo.name} (largest tenant)`, recorded)));
  }
  // Second pages: the keyset condition must stay an index bound.
  const second: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const tenantId = anyTenant();
    const first = await listRunHistory(pool, tenantId, { limit: 50, status: 'succeeded' });
    second.push(await time(() => listRunHistory(pool, tenantId, { limit: 50, status: 'succeeded', after: first.next ?? undefined })));
  }
  lines.push(`| second page (status) | ${round(percentile(second, 50))} | ${round(percentile(second, 95))} | ${round(Math.max(...second))} | |`);

  const keys = await pool.query<{ tenant_id: string; k: string; c: string }>(
    `SELECT tenant_id, business_keys[2] AS k, correlation_id AS c FROM runs TABLESAMPLE SYSTEM (1) WHERE cardinality(business_keys) > 0 LIMIT 500`,
  );
  const searchSamples: number[] = [];
  const searchServer: number[] = [];
  for (let i = 0; i < ITERATIONS * 6; i++) {
    const row = pick(keys.rows);
    const q = i % 3 === 0 ? row.k : i % 3 === 1 ? row.c : `INV-missing-${i}`;
    const m = await measure(pool, 'sum', (p) => searchRuns(p, row.tenant_id, { q, limit: 50 }));
    searchSamples.push(m.wall);
    searchServer.push(m.server);
  }
  for (const [name, q] of [['business key', keys.rows[0]!.k], ['correlation id', keys.rows[0]!.c]] as const) {
    const recorded: Recorded[] = [];
    await searchRuns(recordingPool(pool, recorded), keys.rows[0]!.tenant_id, { q, limit: 50 });
    plans.push(...(await explain(pool, `search: ${name}`, recorded)));
  }
  lines.push(
    '',
    `Key search (business key shared by ~200 runs, correlation id, missing key; ${searchSamples.length} calls): p50 ${round(percentile(searchSamples, 50))} ms, p95 ${round(percentile(searchSamples, 95))} ms, server p95 ${round(percentile(searchServer, 95))} ms`,
  );

  lines.push('', '| dashboard | p50 ms | p95 ms | slowest query, server p95 ms |', '|---|---|---|---|');
  const allTenants = f.tenants.map((t) => t.id);
  let dashboardWorst = 0;
  let dashboardServerWorst = 0;
  const dashboards: [string, string[], DashboardRange][] = [
    ['tenant 24h (largest)', [biggest[0]!], '24h'],
    ['tenant 6h (largest)', [biggest[0]!], '6h'],
    ['platform 1h', allTenants, '1h'],
    ['platform 24h', allTenants, '24h'],
  ];
  for (const [name, tenantIds, range] of dashboards) {
    const samples: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < Math.max(5, ITERATIONS / 4); i++) {
      const m = await measure(pool, 'max', (p) => loadDashboard(p, { tenantIds, range }));
      samples.push(m.wall);
      server.push(m.server);
    }
    dashboardWorst = Math.max(dashboardWorst, percentile(samples, 95));
    dashboardServerWorst = Math.max(dashboardServerWorst, percentile(server, 95));
    lines.push(`| ${name} | ${round(percentile(samples, 50))} | ${round(percentile(samples, 95))} | ${round(percentile(server, 95))} |`);
    const recorded: Recorded[] = [];
    await loadDashboard(recordingPool(pool, recorded), { tenantIds, range });
    plans.push(...(await explain(pool, `dashboard: ${name}`, recorded)));
  }

  const seqScans = plans.filter((p) => /Seq Scan on runs\b/.test(p.plan)).map((p) => p.name);
  const figures = {
    'history.first_page_p95_ms': round(percentile(pageSamples, 95)),
    'history.key_search_p95_ms': round(percentile(searchSamples, 95)),
    'history.dashboard_ms': round(dashboardWorst),
    // The same, measured inside PostgreSQL (planning + execution): free of client and CPU-contention noise.
    'history.first_page_server_p95_ms': round(percentile(pageServer, 95)),
    'history.key_search_server_p95_ms': round(percentile(searchServer, 95)),
    'history.dashboard_server_ms': round(dashboardServerWorst),
  };
  const report = [
    `# Run history benchmark`,
    '',
    `${RUNS} runs across ${TENANTS} tenants (largest tenant: ${f.tenants[0]!.runs} runs), PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version}.`,
    `Method: repository functions called through one pg pool from the same host (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs at the end); ${ITERATIONS} calls per list combination (half on the 5 largest tenants, random workflow/version/status/trigger/range values), page size 50; each call's statements are then re-run under EXPLAIN (ANALYZE, TIMING OFF) for the server-side time; dashboards: p95 over repeated loads (their queries run in parallel, the server figure is the slowest one).`,
    '',
    '```json',
    JSON.stringify(figures, null, 2),
    '```',
    '',
    ...lines,
    '',
    `Sequential scans of runs: ${seqScans.length === 0 ? 'none' : seqScans.join(', ')}`,
    '',
    '## Plans (EXPLAIN (ANALYZE, BUFFERS))',
    ...plans.flatMap((p) => ['', `### ${p.name}`, '```', p.plan, '```']),
  ].join('\n');
  return { report, figures, seqScans };
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1000) throw new Error('--runs must be a whole number of at least 1000');
  if (!Number.isInteger(TENANTS) || TENANTS < 1) throw new Error('--tenants must be a positive whole number');
  const name = REUSE || `switchyard_history_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  if (!REUSE) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
  // DROP DATABASE … WITH (FORCE) ends idle pooled connections; that is expected, not a crash.
  pool.on('error', () => undefined);
  try {
    await migrate(url.toString());
    if (!REUSE) {
      const began = Date.now();
      await seedHistory(pool, { tenants: TENANTS, runs: RUNS, log });
      log(`seeded in ${Math.round((Date.now() - began) / 1000)} s`);
    }
    const { report, figures, seqScans } = await bench(pool);
    await writeFile(OUT, report);
    log(`report with plans: ${OUT}`);
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    if (seqScans.length > 0) {
      process.stderr.write(`sequential scan of runs in: ${seqScans.join(', ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
    if (!REUSE) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`history-bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
