import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { claimRuns, enqueueRun } from '@switchyard/db';
import type { Scenario } from '../lib/report';

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the worker's claim query, on the run table the end-to-end scenario
 * left behind (its finished history) plus freshly queued runs. The query text is captured from
 * claimRuns itself through a pool stand-in, so the plan is of the exact SQL the workers run; the
 * transaction is rolled back, so nothing is claimed.
 */

function explainingPool(client: pg.PoolClient, plans: string[]): pg.Pool {
  const query = async (text: string, values?: unknown[]) => {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, values);
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    } finally {
      await client.query('ROLLBACK');
    }
    return { rows: [] };
  };
  return { query } as unknown as pg.Pool;
}

export const claimPlan: Scenario = {
  name: 'claim-plan',
  ids: [],
  async run({ stack }) {
    const { database, seed, sizes } = stack;
    if (stack.workers.length > 0) throw new Error('claim-plan needs the workers stopped');
    const queued = sizes.rounds > 2 ? 500 : 20;
    for (let i = 0; i < queued; i++) {
      await enqueueRun(database.pool, {
        tenantId: seed.tenantId,
        workflowId: seed.e2e.id,
        versionId: seed.e2e.versionId,
        trigger: 'webhook',
        correlationId: randomUUID(),
        idempotencyKey: randomUUID(),
        payload: { order: i },
      });
    }
    await database.pool.query('ANALYZE runs');
    const { rows } = await database.pool.query<{ status: string; n: string }>('SELECT status::text, count(*)::text AS n FROM runs GROUP BY 1 ORDER BY 1');
    const plans: string[] = [];
    const client = await database.pool.connect();
    try {
      await claimRuns(explainingPool(client, plans), { workerId: 'bench-explain', limit: sizes.workerConcurrency, leaseMs: 15_000 });
    } finally {
      client.release();
    }
    await stack.resetRuns();
    return {
      results: [],
      sections: [
        {
          title: 'Plan of the claim query',
          body:
            `Table contents: ${rows.map((r) => `${r.n} ${r.status}`).join(', ')}. claimRuns(limit ${sizes.workerConcurrency}) under ` +
            `EXPLAIN (ANALYZE, BUFFERS), rolled back:\n\n\`\`\`\n${plans.join('\n\n') || '(claimRuns issued no query)'}\n\`\`\``,
        },
      ],
    };
  },
};
