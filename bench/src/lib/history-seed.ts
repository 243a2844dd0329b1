import type pg from 'pg';

/**
 * The run-history data set of the `history` scenario, generated inside PostgreSQL
 * (INSERT … SELECT FROM generate_series): a million runs and their steps take minutes, and nothing
 * crosses the wire row by row.
 *
 * Shape, chosen to look like a real estate rather than to suit the indexes:
 * - tenants of skewed size (squaring a uniform number: the largest ~7x the average);
 * - per tenant six workflows of skewed popularity (invoice sync carries ~40 % of the traffic) with
 *   one to four published versions, a run pinning the version that was active when it started;
 * - 31 calendar days, traffic growing towards today and 70 % of it in business hours;
 * - triggers: webhook 70 %, schedule 15 %, event 8 %, manual 5 %, file 2 %;
 * - 91 % succeed; failures (dead letters) carry one of six error classes; queued, running and
 *   waiting runs exist only where they would (recent ones; waits up to three days);
 * - webhook, event and file runs carry business keys: their idempotency key, an invoice number
 *   (shared by the invoice-sync and payment-posting runs of the same invoice), the customer;
 *   a few customers are very busy (the "hot" keys of the report);
 * - a third of the failed runs were replayed (a new run, same correlation id, replay_of set);
 * - every run that started has its steps: trigger, transform, the ERP call (retried on failure,
 *   attempts with retry_at), and a respond step where the run succeeded.
 * Rows go in day by day in time order, as production inserts them, so the heap is ordered by
 * created_at like a real runs table.
 */

export const HISTORY_SLUG_PREFIX = 'history-';
export const HISTORY_WORKFLOWS = ['Invoice sync', 'Payment posting', 'Customer sync', 'Order import', 'Journal export', 'Supplier sync'] as const;
/** Share of a tenant's runs per workflow, in the order above (cumulative thresholds below). */
const WORKFLOW_WEIGHTS = [0.4, 0.25, 0.15, 0.1, 0.06, 0.04];
export const HISTORY_TRIGGERS = ['webhook', 'schedule', 'event', 'manual', 'file'] as const;
export const HISTORY_DAYS = 31;
/** Customers per tenant; CUST-00001 … CUST-00005 are the busy ones (5 % of a tenant's keyed runs). */
export const CUSTOMERS = 5000;

export interface HistorySeedOptions {
  tenants: number;
  runs: number;
  /** End of the seeded history (default: now). */
  now?: Date;
  log: (message: string) => void;
}

export interface HistorySeedResult {
  runs: number;
  steps: number;
  seedMs: number;
}

const ERROR_CLASSES = [
  ['http_503', 'POST https://erp.example.com/api/invoices returned 503 Service Unavailable', true],
  ['http_429', 'POST https://erp.example.com/api/invoices returned 429 Too Many Requests', true],
  ['timeout', 'No answer from erp.example.com within 30000 ms', true],
  ['erp_rejected', 'The ERP rejected the document: customer CUST-00042 is on credit hold', false],
  ['validation_failed', 'Input does not match the invoice schema: lines[0].quantity must be a positive number', false],
  ['http_401', 'POST https://erp.example.com/api/invoices returned 401 Unauthorized', false],
] as const;

/** trigger → transform → ERP call → respond; the ERP host differs per workflow and moved in the last version of some. */
function graphJson(workflowIndex: number, version: number, tenantIndex: number): string {
  const moved = workflowIndex % 3 === 0 && version >= 3;
  const host = `${moved ? 'erp-v2' : 'erp'}-${(tenantIndex * 7 + workflowIndex) % 23}.example.com`;
  const postId = `post_${tenantIndex}_${workflowIndex}`;
  return JSON.stringify({
    schemaVersion: 1,
    settings: {},
    nodes: [
      { id: 'hook', kind: 'trigger.webhook', position: { x: 0, y: 0 }, config: { path: `w${workflowIndex}`, businessKeyPaths: ['number', 'customer.id'] } },
      { id: 'map', kind: 'transform', position: { x: 200, y: 0 }, config: { expression: '$' } },
      { id: postId, kind: 'http.request', position: { x: 400, y: 0 }, config: { method: 'POST', url: `https://${host}/api/documents`, headers: {} } },
      { id: 'reply', kind: 'respond', position: { x: 600, y: 0 }, config: { status: 200, headers: {}, body: '$' } },
    ],
    edges: [
      { id: 'e1', source: 'hook', sourcePort: 'out', target: 'map' },
      { id: 'e2', source: 'map', sourcePort: 'out', target: postId },
      { id: 'e3', source: postId, sourcePort: 'out', target: 'reply' },
    ],
  });
}

async function seedEstate(pool: pg.Pool, tenants: number, now: Date): Promise<void> {
  await pool.query(
    `INSERT INTO tenants (id, slug, name, updated_at)
     SELECT gen_random_uuid(), $2 || lpad(g::text, 3, '0'), 'History tenant ' || g, now() FROM generate_series(1, $1) g`,
    [tenants, HISTORY_SLUG_PREFIX],
  );
  const { rows } = await pool.query<{ id: string; n: number }>(
    `SELECT id, row_number() OVER (ORDER BY slug)::int AS n FROM tenants WHERE slug LIKE $1 || '%'`,
    [HISTORY_SLUG_PREFIX],
  );
  const dayMs = 86_400_000;
  for (const tenant of rows) {
    for (const [w, name] of HISTORY_WORKFLOWS.entries()) {
      const versions = 1 + ((tenant.n + w) % 4);
      const { rows: created } = await pool.query<{ id: string }>(
        `INSERT INTO workflows (id, tenant_id, name, draft_graph, updated_at) VALUES (gen_random_uuid(), $1, $2, '{}'::jsonb, now()) RETURNING id`,
        [tenant.id, name],
      );
      const workflowId = created[0]!.id;
      for (let v = 1; v <= versions; v++) {
        // Versions were published at even intervals over the seeded days; v1 before the first day.
        const publishedAt = new Date(now.getTime() - HISTORY_DAYS * dayMs + ((v - 1) / versions) * HISTORY_DAYS * dayMs - dayMs);
        await pool.query(
          `INSERT INTO workflow_versions (id, tenant_id, workflow_id, version, graph, published_at) VALUES (gen_random_uuid(), $1, $2, $3, $4::jsonb, $5)`,
          [tenant.id, workflowId, v, graphJson(w, v, tenant.n), publishedAt],
        );
      }
    }
    // Every fifth tenant has a stricter SLA, and its invoice sync a still stricter one.
    if (tenant.n % 5 === 0) {
      await pool.query(`INSERT INTO tenant_policies (tenant_id, policy) VALUES ($1, '{"slaSeconds": 300}'::jsonb)`, [tenant.id]);
      await pool.query(
        `INSERT INTO workflow_policies (workflow_id, tenant_id, policy)
         SELECT id, tenant_id, '{"slaSeconds": 2}'::jsonb FROM workflows WHERE tenant_id = $1 AND name = 'Invoice sync'`,
        [tenant.id],
      );
    }
    // A few tenants are behind an open (or probing) breaker right now.
    if (tenant.n % 17 === 3) {
      await pool.query(
        `INSERT INTO circuit_breakers (tenant_id, host, state, consecutive_failures, opened_at) VALUES ($1, $2, $3::breaker_state, 12, now() - interval '90 seconds')`,
        [tenant.id, `erp-${tenant.n % 23}.example.com`, tenant.n % 2 === 0 ? 'open' : 'half_open'],
      );
    }
  }
  await pool.query(
    `UPDATE workflows w SET active_version_id = (SELECT id FROM workflow_versions v WHERE v.workflow_id = w.id ORDER BY version DESC LIMIT 1)
      WHERE w.tenant_id IN (SELECT id FROM tenants WHERE slug LIKE $1 || '%')`,
    [HISTORY_SLUG_PREFIX],
  );
  // Lookup table: row i = (tenant, workflow index) with its versions in order, read by subscript in the INSERT.
  await pool.query(`DROP TABLE IF EXISTS history_seed_wf`);
  await pool.query(
    `CREATE UNLOGGED TABLE history_seed_wf AS
     SELECT t.n AS tenant_n, w.i AS workflow_i, t.id AS tenant_id, wf.id AS workflow_id,
            array_agg(v.id ORDER BY v.version) AS versions
       FROM (SELECT id, row_number() OVER (ORDER BY slug)::int - 1 AS n FROM tenants WHERE slug LIKE $1 || '%') t
       JOIN workflows wf ON wf.tenant_id = t.id
       JOIN LATERAL (SELECT array_position($2::text[], wf.name) - 1 AS i) w ON true
       JOIN workflow_versions v ON v.workflow_id = wf.id
      GROUP BY t.n, w.i, t.id, wf.id`,
    [HISTORY_SLUG_PREFIX, HISTORY_WORKFLOWS],
  );
  await pool.query(`CREATE INDEX ON history_seed_wf (tenant_n, workflow_i)`);
}

/** Runs per day: traffic grows ~2.5x over the month (weights sum to 1). */
function dayWeights(days: number): number[] {
  const raw = Array.from({ length: days }, (_, d) => 1 + (1.5 * d) / (days - 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
}

/** One day's runs, numbered from `first`, created in [dayStart, dayEnd) and inserted in time order. */
async function insertDay(pool: pg.Pool, p: { first: number; count: number; dayStart: Date; dayEnd: Date; now: Date; tenants: number }): Promise<void> {
  const cumulative = WORKFLOW_WEIGHTS.map((_, i) => WORKFLOW_WEIGHTS.slice(0, i + 1).reduce((a, b) => a + b, 0));
  await pool.query(
    `WITH g AS (
       SELECT n,
              floor(power(random(), 2) * $6)::int AS tenant_n,
              random() AS wr, random() AS s, random() AS t, random() AS vr,
              -- 70 % of the traffic between 07:00 and 19:00 UTC, the rest spread over the day
              $3::timestamptz + (CASE WHEN random() < 0.7 THEN (7 + random() * 12) / 24 ELSE random() END) * ($4::timestamptz - $3::timestamptz) AS created,
              (80 + power(random(), 3) * 20000) * interval '1 millisecond' AS took
         FROM generate_series($1::bigint, $1::bigint + $2::bigint - 1) n
     ),
     r AS (
       SELECT g.*,
              (SELECT count(*) FROM unnest($7::float8[]) c WHERE c < g.wr)::int AS workflow_i,
              CASE WHEN g.t < 0.70 THEN 'webhook' WHEN g.t < 0.85 THEN 'schedule' WHEN g.t < 0.93 THEN 'event' WHEN g.t < 0.98 THEN 'manual' ELSE 'file' END AS trigger,
              CASE WHEN g.s < 0.910 THEN 'succeeded' WHEN g.s < 0.945 THEN 'failed' WHEN g.s < 0.950 THEN 'compensated'
                   WHEN g.s < 0.960 THEN 'cancelled'
                   -- live runs only where they would be: queued/running in the last hour, waits up to three days
                   WHEN g.s < 0.975 THEN CASE WHEN g.created > $5::timestamptz - interval '3 days' THEN 'waiting' ELSE 'succeeded' END
                   WHEN g.s < 0.985 THEN CASE WHEN g.created > $5::timestamptz - interval '1 hour' THEN 'queued' ELSE 'succeeded' END
                   ELSE CASE WHEN g.created > $5::timestamptz - interval '1 hour' THEN 'running' ELSE 'succeeded' END END AS status
         FROM g
     ),
     k AS (
       SELECT r.*, wf.tenant_id, wf.workflow_id,
              -- the version active when the run was created (versions published evenly over the days)
              wf.versions[least(cardinality(wf.versions), 1 + floor((extract(epoch FROM r.created - ($5::timestamptz - interval '${HISTORY_DAYS} days')) / (${HISTORY_DAYS} * 86400.0)) * cardinality(wf.versions))::int)] AS version_id,
              -- an invoice's sync run and its payment-posting run share the invoice number
              'INV-2026-' || lpad((r.n / 2)::text, 7, '0') AS invoice,
              'CUST-' || lpad((CASE WHEN random() < 0.05 THEN 1 + floor(random() * 5) ELSE 1 + floor(random() * ${CUSTOMERS}) END)::int::text, 5, '0') AS customer,
              ${ERROR_CLASSES.length} * random() AS e
         FROM r JOIN history_seed_wf wf ON wf.tenant_n = r.tenant_n AND wf.workflow_i = r.workflow_i
     )
     INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, idempotency_key, business_keys,
                       payload_hash, trigger_payload, attempts, created_at, started_at, finished_at, updated_at, wake_at,
                       dead_lettered_at, dead_letter_reason, error, result)
     SELECT gen_random_uuid(), k.tenant_id, k.workflow_id, k.version_id, k.status::run_status, k.trigger, gen_random_uuid()::text,
            CASE WHEN k.trigger IN ('webhook', 'event', 'file') THEN 'msg_' || md5(k.n::text) END,
            CASE WHEN k.trigger IN ('webhook', 'event', 'file') THEN ARRAY['msg_' || md5(k.n::text), k.invoice, k.customer] ELSE ARRAY[]::text[] END,
            md5(k.n::text || 'payload'),
            jsonb_build_object('number', k.invoice, 'customer', jsonb_build_object('id', k.customer, 'name', 'Customer ' || k.customer),
                               'currency', 'EUR', 'lines', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || (k.n % 300), 'quantity', 1 + k.n % 5, 'unitPrice', 49.5))),
            CASE WHEN k.status = 'queued' THEN 0 ELSE 1 END,
            k.created,
            CASE WHEN k.status <> 'queued' THEN k.created + interval '15 milliseconds' END,
            CASE WHEN k.status NOT IN ('queued', 'waiting', 'running') THEN k.created + interval '15 milliseconds' + k.took END,
            k.created, k.created,
            CASE WHEN k.status IN ('failed', 'compensated') THEN k.created + interval '15 milliseconds' + k.took END,
            CASE WHEN k.status IN ('failed', 'compensated') THEN (CASE WHEN (ARRAY[${ERROR_CLASSES.map((c) => c[2]).join(',')}])[1 + floor(k.e)::int] THEN 'retries_exhausted' ELSE 'permanent_error' END) END,
            CASE WHEN k.status IN ('failed', 'compensated')
                 THEN jsonb_build_object('code', (ARRAY[${ERROR_CLASSES.map((c) => `'${c[0]}'`).join(',')}])[1 + floor(k.e)::int],
                                         'message', (ARRAY[${ERROR_CLASSES.map((c) => `'${c[1].replace(/'/g, "''")}'`).join(',')}])[1 + floor(k.e)::int],
                                         'retryable', (ARRAY[${ERROR_CLASSES.map((c) => c[2]).join(',')}])[1 + floor(k.e)::int]) END,
            CASE WHEN k.status = 'succeeded' THEN jsonb_build_object('status', 'synced', 'ledgerId', 'LEDGER-' || k.n) END
       FROM k
      ORDER BY k.created`,
    [p.first, p.count, p.dayStart, p.dayEnd, p.now, p.tenants, cumulative.slice(0, -1)],
  );
}

/** A third of the dead letters were replayed a few minutes later: a new run with the same correlation id, mostly succeeding. */
async function insertReplays(pool: pg.Pool, tenantIds: string[]): Promise<number> {
  const { rowCount } = await pool.query(
    `INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, payload_hash, trigger_payload, attempts,
                       created_at, started_at, finished_at, updated_at, wake_at, replay_of, effect_key, result)
     SELECT gen_random_uuid(), o.tenant_id, o.workflow_id, o.version_id, 'succeeded', 'manual', o.correlation_id, o.payload_hash, o.trigger_payload, 1,
            o.finished_at + interval '7 minutes', o.finished_at + interval '7 minutes 20 milliseconds', o.finished_at + interval '7 minutes 900 milliseconds',
            o.finished_at + interval '7 minutes', o.finished_at + interval '7 minutes', o.id, o.id::text, '{"status":"synced"}'::jsonb
       FROM runs o
      WHERE o.tenant_id = ANY($1::uuid[]) AND o.dead_lettered_at IS NOT NULL AND random() < 0.33
        AND o.finished_at + interval '7 minutes' < now()
      ORDER BY o.finished_at`,
    [tenantIds],
  );
  return rowCount ?? 0;
}

/**
 * Steps of the runs created in [from, to): trigger and transform once, the ERP call once or, when
 * it failed or was retried, up to four attempts with retry delays, and respond for succeeded runs.
 */
async function insertSteps(pool: pg.Pool, tenantIds: string[], from: Date, to: Date, replays: boolean): Promise<number> {
  const { rowCount } = await pool.query(
    `INSERT INTO steps (id, tenant_id, run_id, node_id, activation_id, attempt, status, idempotency_key, input, output, port, error,
                        started_at, finished_at, duration_ms, retry_at)
     SELECT gen_random_uuid(), r.tenant_id, r.id, n.node_id, 'a' || n.k, a.attempt, a.status, coalesce(r.effect_key, r.id::text) || ':' || n.node_id,
            CASE WHEN n.k = 0 THEN r.trigger_payload ELSE jsonb_build_object('number', r.trigger_payload->'number', 'customer', r.trigger_payload->'customer'->'id') END,
            CASE WHEN a.status = 'succeeded' THEN jsonb_build_object('status', 201, 'id', 'DOC-' || left(r.id::text, 8)) END,
            CASE WHEN a.status = 'succeeded' THEN 'out' END,
            CASE WHEN a.status = 'failed' THEN coalesce(r.error, '{"code":"http_503","message":"returned 503","retryable":true}'::jsonb) END,
            r.started_at + (n.k * 40 + a.offset_ms) * interval '1 millisecond',
            r.started_at + (n.k * 40 + a.offset_ms + a.duration_ms) * interval '1 millisecond',
            a.duration_ms,
            CASE WHEN a.status = 'failed' AND a.attempt < a.attempts THEN r.started_at + (n.k * 40 + a.offset_ms + a.duration_ms + 1000 * power(2, a.attempt)) * interval '1 millisecond' END
       FROM runs r
       JOIN history_seed_wf wf ON wf.workflow_id = r.workflow_id
       CROSS JOIN LATERAL (VALUES (0, 'hook'), (1, 'map'), (2, 'post_' || (wf.tenant_n + 1) || '_' || wf.workflow_i), (3, 'reply')) AS n(k, node_id)
       CROSS JOIN LATERAL (
         SELECT CASE WHEN n.k <> 2 THEN 1 WHEN r.dead_lettered_at IS NOT NULL THEN CASE WHEN r.error->>'retryable' = 'true' THEN 4 ELSE 1 END
                     WHEN random() < 0.06 THEN 2 ELSE 1 END AS attempts,
                CASE WHEN n.k = 2 THEN 30 + floor(power(random(), 2) * 1500)::int ELSE 1 END AS duration_ms
       ) x
       CROSS JOIN LATERAL (
         SELECT g AS attempt, x.attempts, x.duration_ms, (g - 1) * (2000 + x.duration_ms) AS offset_ms,
                CASE WHEN n.k = 2 AND (g < x.attempts OR r.dead_lettered_at IS NOT NULL) THEN 'failed' ELSE 'succeeded' END AS status
           FROM generate_series(1, x.attempts) g
       ) a
      WHERE r.tenant_id = ANY($1::uuid[]) AND r.created_at >= $2 AND r.created_at < $3 AND r.started_at IS NOT NULL
        AND (r.replay_of IS NOT NULL) = $4
        -- respond runs only after a successful call; live runs have not got that far
        AND (n.k < 3 OR r.status = 'succeeded') AND (n.k < 2 OR r.status NOT IN ('running', 'waiting'))
      ORDER BY r.created_at, n.k, a.attempt`,
    [tenantIds, from, to, replays],
  );
  return rowCount ?? 0;
}

/**
 * Bulk-load practice: the indexes of runs and steps other than their primary keys are dropped for
 * the load and rebuilt from their own definitions afterwards (unique ones too, which re-checks the
 * seed's keys), several times faster than maintaining a dozen indexes row by row. A freshly built
 * index is somewhat denser than one grown by inserts; the report says so.
 */
async function dropSecondaryIndexes(pool: pg.Pool): Promise<{ name: string; def: string }[]> {
  const { rows } = await pool.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid IN ('runs'::regclass, 'steps'::regclass)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  for (const index of rows) await pool.query(`DROP INDEX ${index.name}`);
  return rows;
}

export async function seedHistory(pool: pg.Pool, opts: HistorySeedOptions): Promise<HistorySeedResult> {
  const began = Date.now();
  const now = opts.now ?? new Date();
  await seedEstate(pool, opts.tenants, now);
  const { rows: tenantRows } = await pool.query<{ id: string }>(`SELECT id FROM tenants WHERE slug LIKE $1 || '%'`, [HISTORY_SLUG_PREFIX]);
  const tenantIds = tenantRows.map((t) => t.id);
  const dayMs = 86_400_000;
  const today = Math.floor(now.getTime() / dayMs) * dayMs;
  const weights = dayWeights(HISTORY_DAYS);
  // Today is only partly over: its share of runs is scaled by the part that has passed.
  const elapsedToday = (now.getTime() - today) / dayMs;
  const effective = weights.map((w, d) => (d === HISTORY_DAYS - 1 ? w * elapsedToday : w));
  const total = effective.reduce((a, b) => a + b, 0);
  let first = 1;
  let runs = 0;
  let steps = 0;
  const indexes = await dropSecondaryIndexes(pool);
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const dayStart = new Date(today - (HISTORY_DAYS - 1 - d) * dayMs);
    const dayEnd = d === HISTORY_DAYS - 1 ? now : new Date(dayStart.getTime() + dayMs);
    const count = d === HISTORY_DAYS - 1 ? opts.runs - runs : Math.round((opts.runs * effective[d]!) / total);
    const t0 = Date.now();
    await insertDay(pool, { first, count, dayStart, dayEnd, now, tenants: opts.tenants });
    const dayMsTaken = Date.now() - t0;
    steps += await insertSteps(pool, tenantIds, dayStart, dayEnd, false);
    first += count;
    runs += count;
    if (d % 5 === 4 || d === HISTORY_DAYS - 1) opts.log(`history seed: day ${d + 1}/${HISTORY_DAYS}, ${runs} runs, ${steps} steps (last day: runs ${dayMsTaken} ms, steps ${Date.now() - t0 - dayMsTaken} ms)`);
  }
  const replays = await insertReplays(pool, tenantIds);
  // The replays' steps (a fresh pass that succeeds).
  steps += await insertSteps(pool, tenantIds, new Date(today - HISTORY_DAYS * dayMs), now, true);
  runs += replays;
  await pool.query('DROP TABLE history_seed_wf');
  const rebuild = Date.now();
  for (const index of indexes) await pool.query(index.def);
  opts.log(`history seed: rebuilt ${indexes.length} indexes of runs and steps in ${Date.now() - rebuild} ms`);
  const vacuum = Date.now();
  // Autovacuum would get there; the measurement should not depend on when it does (visibility map for index-only scans, statistics).
  await pool.query('VACUUM ANALYZE runs');
  await pool.query('VACUUM ANALYZE steps');
  await pool.query('ANALYZE tenants, workflows, workflow_versions');
  opts.log(`history seed: ${replays} replays; vacuum analyze ${Date.now() - vacuum} ms`);
  return { runs, steps, seedMs: Date.now() - began };
}
