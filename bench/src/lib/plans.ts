import type pg from 'pg';

/**
 * Statement capture and EXPLAIN for scenarios that measure product code from the outside: a pool
 * that records every statement the code under test sends (directly or on a checked-out client),
 * so each one can be re-run under EXPLAIN exactly as it was sent, parameters included.
 */

export interface RecordedStatement {
  text: string;
  values: unknown[];
}

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SET)\b/i;

export function recordingPool(pool: pg.Pool, sink: RecordedStatement[]): pg.Pool {
  const record = (text: string, values: unknown[]) => {
    if (!CONTROL.test(text)) sink.push({ text, values });
  };
  const wrapQuery =
    (target: { query: (text: string, values?: unknown[]) => Promise<unknown> }) =>
    (text: string | { text: string; values?: unknown[] }, values: unknown[] = []) => {
      // Both call forms of pg: (text, values) and ({ text, values }).
      if (typeof text === 'object') {
        record(text.text, text.values ?? []);
        return target.query(text.text, text.values ?? []);
      }
      record(text, values);
      return target.query(text, values);
    };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return wrapQuery(target as never);
      if (prop === 'connect') {
        return async () => {
          const client = await target.connect();
          return new Proxy(client, {
            get: (c, p, r) => (p === 'query' ? wrapQuery(c as never) : Reflect.get(c, p, r)),
          });
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * Runs `work` in a transaction that is rolled back, with JIT off: EXPLAIN ANALYZE executes the
 * statement, and the dashboards run their aggregates with JIT off too (repositories/dashboards.ts).
 */
async function inRolledBack<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN; SET LOCAL jit = off');
    return await work(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** Planning + execution time inside PostgreSQL of each statement (EXPLAIN ANALYZE, timing off): free of client and scheduling noise. */
export async function serverTimes(pool: pg.Pool, statements: RecordedStatement[]): Promise<number[]> {
  const times: number[] = [];
  for (const s of statements) {
    const { rows } = await inRolledBack(pool, (c) =>
      c.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(`EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) ${s.text}`, s.values),
    );
    const plan = rows[0]!['QUERY PLAN'][0];
    times.push(plan['Planning Time'] + plan['Execution Time']);
  }
  return times;
}

export interface ExplainedPlan {
  name: string;
  /** EXPLAIN (ANALYZE, BUFFERS) text. */
  plan: string;
  /** Indexes the plan reads, in order of first use. */
  indexes: string[];
  /** Tables read by a sequential scan. */
  seqScans: string[];
  /** Top node's shared buffers hit + read. */
  buffers: number;
  planningMs: number;
  executionMs: number;
}

export async function explainAnalyze(pool: pg.Pool, name: string, statement: RecordedStatement): Promise<ExplainedPlan> {
  const { rows } = await inRolledBack(pool, (c) => c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values));
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  const indexes = [...new Set([...plan.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)/g)].map((m) => m[1]!))];
  const seqScans = [...new Set([...plan.matchAll(/Seq Scan on (\S+)/g)].map((m) => m[1]!))];
  const top = /Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?/.exec(plan);
  return {
    name,
    plan,
    indexes,
    seqScans,
    buffers: Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0),
    planningMs: Number(/Planning Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN),
    executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN),
  };
}

/** A plan for the report: long plans (one branch per enumerated status/trigger) cut after `maxLines`. */
export function clipPlan(plan: string, maxLines: number): string {
  // A platform statement's tenant list is 50 UUIDs on each line that names it.
  const compact = plan.replace(/'\{([0-9a-f-]{36},){3,}[0-9a-f-]{36}\}'/g, (list) => `'{…${list.split(',').length} ids…}'`);
  const lines = compact.split('\n');
  if (lines.length <= maxLines) return compact;
  const tail = lines.slice(maxLines).filter((l) => /^(Planning|Execution) Time/.test(l));
  return [...lines.slice(0, maxLines), `  … ${lines.length - maxLines} more lines (further branches of the same shape)`, ...tail].join('\n');
}
