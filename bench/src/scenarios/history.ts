import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createCaller, createContextInner } from '@switchyard/api';
import type { Database, RunStatus } from '@switchyard/db';
import { HISTORY_SLUG_PREFIX, HISTORY_TRIGGERS, seedHistory } from '../lib/history-seed';
import { clipPlan, explainAnalyze, recordingPool, serverTimes, type ExplainedPlan, type RecordedStatement } from '../lib/plans';
import { atMost, result, type Scenario } from '../lib/report';
import { percentile, sig } from '../lib/stats';

/**
 * Run history at scale: seeds 1,000,000 runs and their steps across 50 tenants into the bench
 * database (history-seed.ts), then calls the real tRPC procedures the runs screen and dashboards
 * call (`runs.list`, `runs.search`, `dashboards.tenant`, `dashboards.platform`, through
 * createCaller: input validation, tenant resolution, the repositories' SQL) and times them. Every
 * statement they sent is also run under EXPLAIN (ANALYZE, BUFFERS) for the report, and any
 * sequential scan of `runs` is counted as a failure. Runs last: it leaves its runs in the database.
 */

const SIZES = {
  full: { runs: 1_000_000, tenants: 50, iterations: 40, dashboardLoads: 12 },
  smoke: { runs: 20_000, tenants: 50, iterations: 4, dashboardLoads: 3 },
};
const PAGE = 50;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATUSES: RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'compensated', 'compensation_failed'];

interface Fixture {
  /** History tenants, most runs first. */
  tenants: { id: string; slug: string; runs: number }[];
  workflows: Map<string, string[]>;
  versions: Map<string, string[]>;
}

type ListInput = {
  workflowId?: string;
  versionId?: string;
  status?: RunStatus;
  trigger?: string;
  correlationId?: string;
  from?: Date;
  to?: Date;
};

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const ms = (n: number) => sig(n, 3);

async function loadFixture(pool: pg.Pool): Promise<Fixture> {
  const tenants = await pool.query<{ id: string; slug: string; runs: string }>(
    `SELECT t.id, t.slug, coalesce(c.n, 0) AS runs FROM tenants t
       LEFT JOIN (SELECT tenant_id, count(*) AS n FROM runs GROUP BY tenant_id) c ON c.tenant_id = t.id
      WHERE t.slug LIKE $1 || '%' ORDER BY runs DESC, t.slug`,
    [HISTORY_SLUG_PREFIX],
  );
  const wf = await pool.query<{ tenant_id: string; id: string; versions: string[] }>(
    `SELECT w.tenant_id, w.id, array_agg(v.id ORDER BY v.version) AS versions
       FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id
      WHERE w.tenant_id = ANY($1::uuid[]) GROUP BY w.tenant_id, w.id`,
    [tenants.rows.map((t) => t.id)],
  );
  const workflows = new Map<string, string[]>();
  const versions = new Map<string, string[]>();
  for (const w of wf.rows) {
    workflows.set(w.tenant_id, [...(workflows.get(w.tenant_id) ?? []), w.id]);
    versions.set(w.id, w.versions);
  }
  return { tenants: tenants.rows.map((t) => ({ id: t.id, slug: t.slug, runs: Number(t.runs) })), workflows, versions };
}

/** Every combination of {–, workflow, version} × {–, status} × {–, trigger} × {–, time range}. */
function listCombinations(): { name: string; build: (f: Fixture, tenantId: string) => ListInput }[] {
  const out: { name: string; build: (f: Fixture, tenantId: string) => ListInput }[] = [];
  for (const scope of ['', 'workflow', 'version'] as const)
    for (const status of [false, true])
      for (const trigger of [false, true])
        for (const range of [false, true]) {
          const name = [scope, status && 'status', trigger && 'trigger', range && 'range'].filter(Boolean).join(' + ') || 'no filter';
          out.push({
            name,
            build: (f, tenantId) => {
              const input: ListInput = {};
              const workflowId = pick(f.workflows.get(tenantId)!);
              if (scope === 'workflow') input.workflowId = workflowId;
              if (scope === 'version') input.versionId = pick(f.versions.get(workflowId)!);
              if (status) input.status = pick(STATUSES);
              if (trigger) input.trigger = pick(HISTORY_TRIGGERS);
              if (range) {
                // The screen's ranges (last hour, day, week) ending now, or a window somewhere in the month.
                const to = Math.random() < 0.5 ? Date.now() : Date.now() - Math.random() * 25 * DAY;
                input.from = new Date(to - pick([HOUR, DAY, 7 * DAY]));
                input.to = new Date(to);
              }
              return input;
            },
          });
        }
  return out;
}

interface SearchKeys {
  tenant_slug: string;
  invoice: string;
  customer: string;
  correlation_id: string;
  idempotency_key: string;
  id: string;
}

/** What operators paste into the search box, each kind equally often. */
const SEARCH_KINDS: { name: string; q: (k: SearchKeys, i: number) => string }[] = [
  { name: 'invoice number (business key of 2 runs in 2 workflows)', q: (k) => k.invoice },
  { name: 'customer (business key of tens of runs)', q: (k) => k.customer },
  { name: 'busy customer (business key of ~1% of the tenant’s runs)', q: (_k, i) => `CUST-0000${1 + (i % 5)}` },
  { name: 'correlation id (the run and its replays)', q: (k) => k.correlation_id },
  { name: 'idempotency key', q: (k) => k.idempotency_key },
  { name: 'run id', q: (k) => k.id },
  { name: 'key that matches nothing', q: (_k, i) => `INV-2026-missing-${i}` },
];

interface Timed {
  wall: number[];
  server: number[];
}

interface SessionUserLike {
  id: string;
  email: string;
  name: string;
  platformAdmin: boolean;
}

async function benchUser(pool: pg.Pool, email: string, platformAdmin: boolean, memberOf: string[]): Promise<SessionUserLike> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, name, platform_admin) VALUES ($1, $1, $2)
     ON CONFLICT (email) DO UPDATE SET platform_admin = excluded.platform_admin RETURNING id`,
    [email, platformAdmin],
  );
  const id = rows[0]!.id;
  await pool.query(
    `INSERT INTO memberships (user_id, tenant_id, role) SELECT $1, t, 'viewer' FROM unnest($2::uuid[]) t ON CONFLICT DO NOTHING`,
    [id, memberOf],
  );
  return { id, email, name: email, platformAdmin };
}

/** Seeds unless a previous call did (a developer re-measuring on a kept database); the bench's database is always fresh. */
async function seedOnce(pool: pg.Pool, size: { runs: number; tenants: number }, log: (m: string) => void) {
  const { rows } = await pool.query<{ runs: string; steps: string }>(
    `SELECT (SELECT count(*) FROM runs r JOIN tenants t ON t.id = r.tenant_id WHERE t.slug LIKE $1 || '%') AS runs,
            (SELECT count(*) FROM steps s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug LIKE $1 || '%') AS steps
      WHERE EXISTS (SELECT 1 FROM tenants WHERE slug LIKE $1 || '%')`,
    [HISTORY_SLUG_PREFIX],
  );
  if (rows[0]) return { runs: Number(rows[0].runs), steps: Number(rows[0].steps), seedMs: 0 };
  const seed = await seedHistory(pool, { tenants: size.tenants, runs: size.runs, log });
  log(`history: seeded ${seed.runs} runs and ${seed.steps} steps in ${Math.round(seed.seedMs / 1000)} s`);
  return seed;
}

export const history: Scenario = {
  name: 'history',
  ids: ['history.first_page_p95_ms', 'history.key_search_p95_ms', 'history.dashboard_ms', 'history.seq_scans_of_runs'],
  async run({ stack, smoke }) {
    const size = smoke ? SIZES.smoke : SIZES.full;
    const { database } = stack;
    const pool = database.pool;
    const seed = await seedOnce(pool, size, stack.log);
    const f = await loadFixture(pool);
    const biggest = f.tenants.slice(0, 5);
    // Half the calls on the five largest tenants (where history is longest), half on any tenant.
    const anyTenant = () => (Math.random() < 0.5 ? pick(biggest) : pick(f.tenants));

    // Signed in as the screens are: a viewer member of every history tenant (its membership is
    // looked up on every call, as for a real user), and a platform admin for the platform dashboard.
    const viewer = await benchUser(pool, 'history-viewer@bench.invalid', false, f.tenants.map((t) => t.id));
    const admin = await benchUser(pool, 'history-admin@bench.invalid', true, []);
    /** The procedures as the web app calls them, on a pool that records their statements. */
    const callerOn = (db: Pick<Database, 'kind' | 'prisma'>, p: pg.Pool, slug: string, user: SessionUserLike = viewer) =>
      createCaller(createContextInner({ db: { kind: db.kind, prisma: db.prisma, pool: p }, tenantSlug: slug, user }));
    async function timed(timings: Timed, slug: string, call: (c: ReturnType<typeof callerOn>) => Promise<unknown>, combine: 'sum' | 'max', user = viewer) {
      const recorded: RecordedStatement[] = [];
      const caller = callerOn(database, recordingPool(pool, recorded), slug, user);
      const began = performance.now();
      await call(caller);
      timings.wall.push(performance.now() - began);
      const server = await serverTimes(pool, recorded);
      timings.server.push(combine === 'sum' ? server.reduce((a, b) => a + b, 0) : Math.max(0, ...server));
    }
    const plans: ExplainedPlan[] = [];
    async function explainCall(name: string, slug: string, call: (c: ReturnType<typeof callerOn>) => Promise<unknown>, user = viewer) {
      const recorded: RecordedStatement[] = [];
      await call(callerOn(database, recordingPool(pool, recorded), slug, user));
      for (const [i, s] of recorded.entries()) plans.push(await explainAnalyze(pool, recorded.length > 1 ? `${name} #${i + 1}` : name, s));
    }

    // Warm-up: a just-started server answers from cold buffers; a production one does not.
    for (let i = 0; i < (smoke ? 10 : 100); i++) await callerOn(database, pool, anyTenant().slug).runs.list({ limit: PAGE });

    // 1. First page of the runs screen, every filter combination.
    const listRows: string[] = ['| filters | calls | p50 ms | p95 ms | max ms | server p95 ms |', '|---|---|---|---|---|---|'];
    const allList: Timed = { wall: [], server: [] };
    for (const combo of listCombinations()) {
      const t: Timed = { wall: [], server: [] };
      for (let i = 0; i < size.iterations; i++) {
        const tenant = anyTenant();
        const input = combo.build(f, tenant.id);
        await timed(t, tenant.slug, (c) => c.runs.list({ ...input, limit: PAGE }), 'sum');
      }
      allList.wall.push(...t.wall);
      allList.server.push(...t.server);
      listRows.push(`| ${combo.name} | ${t.wall.length} | ${ms(percentile(t.wall, 50))} | ${ms(percentile(t.wall, 95))} | ${ms(Math.max(...t.wall))} | ${ms(percentile(t.server, 95))} |`);
      const top = biggest[0]!;
      await explainCall(`runs.list: ${combo.name}`, top.slug, (c) => c.runs.list({ ...combo.build(f, top.id), limit: PAGE }));
    }
    // The next page (the virtualised table scrolling): the keyset cursor must stay an index bound.
    const next: Timed = { wall: [], server: [] };
    for (let i = 0; i < size.iterations; i++) {
      const tenant = anyTenant();
      const input: ListInput = i % 2 === 0 ? { status: 'succeeded' } : { workflowId: pick(f.workflows.get(tenant.id)!) };
      const first = await callerOn(database, pool, tenant.slug).runs.list({ ...input, limit: PAGE });
      if (first.nextCursor) await timed(next, tenant.slug, (c) => c.runs.list({ ...input, limit: PAGE, cursor: first.nextCursor }), 'sum');
    }
    if (next.wall.length > 0) listRows.push(`| next page (cursor), not in the figure | ${next.wall.length} | ${ms(percentile(next.wall, 50))} | ${ms(percentile(next.wall, 95))} | ${ms(Math.max(...next.wall))} | ${ms(percentile(next.server, 95))} |`);

    // 2. Key search.
    const { rows: keys } = await pool.query<SearchKeys>(
      `SELECT t.slug AS tenant_slug, r.business_keys[2] AS invoice, r.business_keys[3] AS customer, r.correlation_id, r.idempotency_key, r.id::text AS id
         FROM runs r TABLESAMPLE SYSTEM (2) JOIN tenants t ON t.id = r.tenant_id
        WHERE t.slug LIKE $1 || '%' AND cardinality(r.business_keys) = 3 LIMIT 2000`,
      [HISTORY_SLUG_PREFIX],
    );
    const searchRows: string[] = ['| searched for | calls | p50 ms | p95 ms | max ms | server p95 ms |', '|---|---|---|---|---|---|'];
    const allSearch: Timed = { wall: [], server: [] };
    for (const kind of SEARCH_KINDS) {
      const t: Timed = { wall: [], server: [] };
      for (let i = 0; i < size.iterations * 2; i++) {
        const k = pick(keys);
        await timed(t, k.tenant_slug, (c) => c.runs.search({ q: kind.q(k, i), limit: PAGE }), 'sum');
      }
      allSearch.wall.push(...t.wall);
      allSearch.server.push(...t.server);
      searchRows.push(`| ${kind.name} | ${t.wall.length} | ${ms(percentile(t.wall, 50))} | ${ms(percentile(t.wall, 95))} | ${ms(Math.max(...t.wall))} | ${ms(percentile(t.server, 95))} |`);
      const k = keys.find((row) => row.tenant_slug === biggest[0]!.slug) ?? keys[0]!;
      await explainCall(`runs.search: ${kind.name}`, k.tenant_slug, (c) => c.runs.search({ q: kind.q(k, 0), limit: PAGE }));
    }

    // 3. Dashboards: every statement of a load runs in parallel, as the router does it.
    const dashRows: string[] = ['| dashboard | loads | p50 ms | p95 ms | slowest statement, server p95 ms |', '|---|---|---|---|---|'];
    let dashboardWorst = 0;
    const dashboards = [
      ...(['1h', '6h', '24h'] as const).map((range) => ({ name: `tenant ${range} (largest tenant)`, slug: biggest[0]!.slug, platform: false, range })),
      ...(['1h', '6h', '24h'] as const).map((range) => ({ name: `platform ${range} (all tenants)`, slug: biggest[0]!.slug, platform: true, range })),
    ];
    for (const d of dashboards) {
      const call = (c: ReturnType<typeof callerOn>) => (d.platform ? c.dashboards.platform({ range: d.range }) : c.dashboards.tenant({ range: d.range }));
      const t: Timed = { wall: [], server: [] };
      const user = d.platform ? admin : viewer;
      for (let i = 0; i < size.dashboardLoads; i++) await timed(t, d.slug, call, 'max', user);
      dashboardWorst = Math.max(dashboardWorst, percentile(t.wall, 95));
      dashRows.push(`| ${d.name} | ${t.wall.length} | ${ms(percentile(t.wall, 50))} | ${ms(percentile(t.wall, 95))} | ${ms(percentile(t.server, 95))} |`);
      await explainCall(`dashboards: ${d.name}`, d.slug, call, user);
    }

    const runScans = plans.filter((p) => p.seqScans.includes('runs'));
    const planRows = [
      '| statement | server ms | shared buffers | indexes used | sequential scans |',
      '|---|---|---|---|---|',
      ...plans.map((p) => `| ${p.name} | ${ms(p.planningMs + p.executionMs)} | ${p.buffers} | ${p.indexes.join(', ') || '—'} | ${p.seqScans.join(', ') || 'none'} |`),
    ];
    const fullPlans = plans.map((p) => `### ${p.name}\n\n\`\`\`\n${p.plan}\n\`\`\``).join('\n\n');
    const plansFile = path.join(stack.paths.outDir, 'history-plans.md');
    await writeFile(plansFile, `# EXPLAIN (ANALYZE, BUFFERS) of the run-history statements\n\n${seed.runs} runs, ${seed.steps} steps.\n\n${fullPlans}\n`);

    const loadNow = os.loadavg()[0]!.toFixed(1);
    const method =
      `${seed.runs.toLocaleString('en')} runs and ${seed.steps.toLocaleString('en')} steps across ${f.tenants.length} tenants (largest ${f.tenants[0]!.runs.toLocaleString('en')} runs) ` +
      `seeded in PostgreSQL (bench/src/lib/history-seed.ts; indexes rebuilt after the load, so somewhat denser than grown ones); calls through the tRPC procedures (createCaller), one at a time, page size ${PAGE}, half on the 5 largest tenants; ` +
      `wall time in the bench process (load average ${loadNow} on ${os.cpus().length} CPUs at the end)`;
    return {
      results: [
        result('history.first_page_p95_ms', ms(percentile(allList.wall, 95)), 'ms', atMost(20), `${method}; p95 of ${allList.wall.length} first pages over all 24 filter combinations of runs.list (server-side p95 ${ms(percentile(allList.server, 95))} ms)`),
        result('history.key_search_p95_ms', ms(percentile(allSearch.wall, 95)), 'ms', atMost(10), `${method}; p95 of ${allSearch.wall.length} runs.search calls, ${SEARCH_KINDS.length} kinds of key equally often (server-side p95 ${ms(percentile(allSearch.server, 95))} ms)`),
        result('history.dashboard_ms', ms(dashboardWorst), 'ms', atMost(200), `${method}; the slowest p95 of ${dashboards.length} dashboards (tenant and platform, 1h/6h/24h), each load = all its statements in parallel as dashboards.tenant/platform run them`),
        result('history.seq_scans_of_runs', runScans.length, 'plans', atMost(0), `${method}; EXPLAIN (ANALYZE, BUFFERS) of the ${plans.length} statements of every list, search and dashboard shape: plans with a Seq Scan on runs${runScans.length ? ` (${runScans.map((p) => p.name).join('; ')})` : ''}`),
      ],
      sections: [
        {
          title: 'Run history at 1,000,000 runs (history)',
          body: [
            `${method}. Each call's statements were re-run under EXPLAIN (ANALYZE, TIMING OFF) for the server-side time (planning + execution, summed per call; for a dashboard, its slowest statement).`,
            '',
            '### First page of the runs screen',
            '',
            ...listRows,
            '',
            '### Key search',
            '',
            ...searchRows,
            '',
            '### Dashboards',
            '',
            ...dashRows,
            '',
            `### Plans (largest tenant; ${runScans.length === 0 ? 'no sequential scan of runs' : `**${runScans.length} sequential scans of runs**`})`,
            '',
            ...planRows,
            '',
            `Full EXPLAIN (ANALYZE, BUFFERS) output of every statement: \`${path.relative(stack.paths.repoRoot, plansFile)}\`. Three of them here:`,
            '',
            ...[plans.find((p) => p.name.startsWith('runs.list: version + status')), plans.find((p) => p.name.startsWith('runs.search: busy')), [...plans].filter((p) => p.name.includes('platform 24h')).sort((a, b) => b.executionMs - a.executionMs)[0]]
              .filter((p): p is ExplainedPlan => p !== undefined)
              .flatMap((p) => [`#### ${p.name}`, '', '```', clipPlan(p.plan, 60), '```', '']),
          ].join('\n'),
        },
      ],
    };
  },
};
