import type pg from 'pg';

/**
 * Seeds the history benchmark's data set server-side (INSERT … SELECT FROM generate_series), so a
 * million runs take about a minute and nothing crosses the wire row by row.
 *
 * Shape: tenants of skewed size (the largest ~7x the average, as real estates are), each with
 * WORKFLOWS workflows of VERSIONS versions; runs spread over the last 30 days; 90% succeed; webhook
 * runs carry an invoice number as idempotency and business key; steps (3 per run, some retried)
 * for every run of the last 24 hours and for 20% of the older ones.
 */

export const WORKFLOWS = 4;
export const VERSIONS = 3;

export interface SeedOptions {
  tenants: number;
  runs: number;
  log: (message: string) => void;
}

/** Node ids are random per node in the designer; here `post_<workflow>`, unique per workflow like real ones. */
const graph = (postId: string, host: string) =>
  JSON.stringify({
    schemaVersion: 1,
    settings: {},
    nodes: [
      { id: 'hook', kind: 'trigger.webhook', position: { x: 0, y: 0 }, config: { path: 'in', businessKeyPaths: ['number'] } },
      { id: 'map', kind: 'transform', position: { x: 200, y: 0 }, config: { expression: '$' } },
      { id: postId, kind: 'http.request', position: { x: 400, y: 0 }, config: { url: `https://${host}/api/invoices` } },
    ],
    edges: [
      { id: 'e1', source: 'hook', sourcePort: 'out', target: 'map' },
      { id: 'e2', source: 'map', sourcePort: 'out', target: postId },
    ],
  });

const postNodeId = (workflowId: string) => `post_${workflowId.slice(0, 8)}`;

export async function seedHistory(pool: pg.Pool, opts: SeedOptions): Promise<void> {
  await pool.query(
    `INSERT INTO tenants (id, slug, name, updated_at)
     SELECT gen_random_uuid(), 'tenant-' || lpad(g::text, 3, '0'), 'Tenant ' || g, now() FROM generate_series(1, $1) g`,
    [opts.tenants],
  );
  await pool.query(
    `INSERT INTO workflows (id, tenant_id, name, draft_graph, updated_at)
     SELECT gen_random_uuid(), t.id, 'Workflow ' || w, '{}'::jsonb, now() FROM tenants t, generate_series(1, $1) w`,
    [WORKFLOWS],
  );
  const workflows = await pool.query<{ id: string; tenant_id: string; n: number }>(
    `SELECT id, tenant_id, row_number() OVER (ORDER BY tenant_id, name)::int AS n FROM workflows`,
  );
  for (const w of workflows.rows) {
    for (let v = 1; v <= VERSIONS; v++) {
      // Every 4th workflow moved its endpoint in its latest version: the dashboards must then
      // attribute each step by its run's pinned version.
      const host = w.n % 4 === 0 && v === VERSIONS ? `erp-moved-${w.n % 17}.example.com` : `erp-${w.n % 17}.example.com`;
      await pool.query(
        `INSERT INTO workflow_versions (id, tenant_id, workflow_id, version, graph) VALUES (gen_random_uuid(), $1, $2, $3, $4::jsonb)`,
        [w.tenant_id, w.id, v, graph(postNodeId(w.id), host)],
      );
    }
  }
  await pool.query(`UPDATE workflows w SET active_version_id = (SELECT id FROM workflow_versions v WHERE v.workflow_id = w.id ORDER BY version DESC LIMIT 1)`);

  // Lookup arrays make the random choices plain array subscripts inside the INSERT.
  await pool.query(`CREATE TEMP TABLE bench_wf AS
    SELECT row_number() OVER (ORDER BY w.tenant_id, w.name)::int - 1 AS i, w.tenant_id, w.id AS workflow_id,
           array_agg(v.id ORDER BY v.version) AS versions
      FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id GROUP BY w.tenant_id, w.id, w.name`);
  const chunk = 100_000;
  const span = 30 * 86_400_000;
  const from = Date.now() - span;
  for (let start = 0; start < opts.runs; start += chunk) {
    const count = Math.min(chunk, opts.runs - start);
    const began = Date.now();
    await pool.query(
      `WITH wf AS (SELECT array_agg(tenant_id ORDER BY i) AS tenants, array_agg(workflow_id ORDER BY i) AS workflows,
                          array_agg(versions[1] ORDER BY i) AS v1, array_agg(versions[2] ORDER BY i) AS v2,
                          array_agg(versions[3] ORDER BY i) AS v3 FROM bench_wf),
       g AS (
         SELECT n,
                -- tenant skew: squaring a uniform number favours the low tenant numbers
                (floor(power(random(), 2) * $3)::int * $4 + floor(random() * $4)::int) + 1 AS w,
                random() AS s, random() AS t, random() AS v,
                to_timestamp(($5::float8 + random() * ($6::float8 - $5::float8)) / 1000) AS created,
                (50 + random() * random() * 5000) * interval '1 millisecond' AS took
           FROM generate_series($1::int, $1::int + $2::int - 1) n
       ),
       r AS (
         SELECT n, w, created, took,
                CASE WHEN s < 0.90 THEN 'succeeded' WHEN s < 0.95 THEN 'failed' WHEN s < 0.96 THEN 'compensated'
                     WHEN s < 0.97 THEN 'cancelled' WHEN s < 0.985 THEN 'queued' WHEN s < 0.995 THEN 'waiting' ELSE 'running' END AS status,
                CASE WHEN t < 0.85 THEN 'webhook' WHEN t < 0.95 THEN 'schedule' ELSE 'manual' END AS trigger,
                CASE WHEN v < 0.2 THEN 1 WHEN v < 0.5 THEN 2 ELSE 3 END AS ver
           FROM g
       )
       INSERT INTO runs (id, tenant_id, workflow_id, version_id, status, trigger, correlation_id, idempotency_key, business_keys,
                         payload_hash, trigger_payload, attempts, created_at, started_at, finished_at, updated_at, wake_at,
                         dead_lettered_at, dead_letter_reason, error)
       SELECT gen_random_uuid(), wf.tenants[r.w], wf.workflows[r.w],
              CASE r.ver WHEN 1 THEN wf.v1[r.w] WHEN 2 THEN wf.v2[r.w] ELSE wf.v3[r.w] END,
              r.status::run_status, r.trigger, 'corr-' || r.n,
              CASE WHEN r.trigger = 'webhook' THEN 'INV-' || r.n END,
              CASE WHEN r.trigger = 'webhook' THEN ARRAY['INV-' || r.n, 'CUST-' || (r.n % 5000)] ELSE ARRAY[]::text[] END,
              md5(r.n::text),
              jsonb_build_object('number', 'INV-' || r.n, 'customer', jsonb_build_object('id', 'CUST-' || (r.n % 5000), 'name', 'Customer ' || (r.n % 5000)),
                                 'lines', jsonb_build_array(jsonb_build_object('sku', 'A-1', 'quantity', 2, 'unitPrice', 50))),
              1, r.created,
              CASE WHEN r.status <> 'queued' THEN r.created + interval '20 milliseconds' END,
              CASE WHEN r.status NOT IN ('queued', 'waiting', 'running') THEN r.created + interval '20 milliseconds' + r.took END,
              r.created, r.created,
              CASE WHEN r.status IN ('failed', 'compensated') THEN r.created + r.took END,
              CASE WHEN r.status IN ('failed', 'compensated') THEN 'retries_exhausted' END,
              CASE WHEN r.status IN ('failed', 'compensated') THEN '{"code":"http_503","message":"POST https://erp/api/invoices returned 503","retryable":true}'::jsonb END
         FROM r, wf
        ORDER BY r.created`,
      // Chunks cover consecutive slices of the 30 days and rows go in in time order, as production
      // inserts them: the heap is clustered by created_at like a real runs table.
      [start + 1, count, opts.tenants, WORKFLOWS, from + (start / opts.runs) * span, from + ((start + count) / opts.runs) * span],
    );
    opts.log(`runs ${start + count}/${opts.runs} (${Date.now() - began} ms)`);
  }

  const began = Date.now();
  await pool.query(
    `INSERT INTO steps (id, tenant_id, run_id, node_id, activation_id, attempt, status, idempotency_key, input, output, error,
                        started_at, finished_at, duration_ms)
     SELECT gen_random_uuid(), r.tenant_id, r.id, CASE WHEN n.node_id = 'post' THEN 'post_' || left(r.workflow_id::text, 8) ELSE n.node_id END,
            'a' || n.k, a.attempt,
            CASE WHEN n.node_id = 'post' AND (a.attempt < a.attempts OR r.status IN ('failed', 'compensated')) THEN 'failed' ELSE 'succeeded' END,
            r.id || ':' || n.node_id, r.trigger_payload, '{"status":201}'::jsonb,
            CASE WHEN n.node_id = 'post' AND (a.attempt < a.attempts OR r.status IN ('failed', 'compensated'))
                 THEN '{"code":"http_503","message":"returned 503","retryable":true}'::jsonb END,
            r.started_at + (n.k * 10 + a.attempt) * interval '1 millisecond',
            r.started_at + (n.k * 10 + a.attempt + 5) * interval '1 millisecond',
            CASE WHEN n.node_id = 'post' THEN 20 + (random() * random() * 2000)::int ELSE 1 END
       FROM runs r
       CROSS JOIN (VALUES (0, 'hook'), (1, 'map'), (2, 'post')) AS n(k, node_id)
       CROSS JOIN LATERAL (SELECT CASE WHEN n.node_id = 'post' AND (r.status IN ('failed', 'compensated') OR random() < 0.05) THEN 3 ELSE 1 END AS attempts) x
       CROSS JOIN LATERAL (SELECT g AS attempt, x.attempts FROM generate_series(1, x.attempts) g) a
      WHERE r.started_at IS NOT NULL AND (r.created_at > now() - interval '24 hours' OR random() < 0.2)
      ORDER BY r.created_at`,
  );
  const steps = await pool.query<{ n: string }>('SELECT count(*) AS n FROM steps');
  opts.log(`steps ${steps.rows[0]!.n} (${Date.now() - began} ms)`);
  const vacuum = Date.now();
  await pool.query('VACUUM ANALYZE');
  opts.log(`vacuum analyze (${Date.now() - vacuum} ms)`);
}
