import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { claimRuns, enqueueRun } from '@switchyard/db';
import type { Scenario } from '../lib/report';

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the worker's claim, on the run table the end-to-end scenario left
 * behind (its finished history) plus freshly queued runs. claimRuns itself runs, on one connection
 * with PostgreSQL's auto_explain module loaded and set to send every plan to the client as a
 * NOTICE, so the plans are of the exact statements the workers run, whatever claimRuns does inside.
 */

const AUTO_EXPLAIN = [
  "LOAD 'auto_explain'",
  'SET auto_explain.log_min_duration = 0',
  'SET auto_explain.log_analyze = on',
  'SET auto_explain.log_buffers = on',
  'SET auto_explain.log_timing = on',
  'SET auto_explain.log_nested_statements = on',
  'SET auto_explain.log_level = notice',
  'SET client_min_messages = notice',
];

/** A pool stand-in that hands claimRuns the one instrumented connection, for queries and transactions alike. */
function onePool(client: pg.PoolClient): pg.Pool {
  const query = client.query.bind(client);
  return { query, connect: async () => ({ query, release: () => undefined }) } as unknown as pg.Pool;
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
    let claimed = 0;
    try {
      for (const statement of AUTO_EXPLAIN) await client.query(statement);
      client.on('notice', (msg) => {
        if (msg.message?.includes('Query Text:') || msg.message?.includes('duration:')) plans.push(msg.message);
      });
      claimed = (await claimRuns(onePool(client), { workerId: 'bench-explain', limit: sizes.workerConcurrency, leaseMs: 15_000 })).length;
    } finally {
      // The session carries auto_explain settings: close it rather than return it to the pool.
      client.release(true);
    }
    await stack.resetRuns();
    return {
      results: [],
      sections: [
        {
          title: 'Plan of the claim query',
          body:
            `Table contents: ${rows.map((r) => `${r.n} ${r.status}`).join(', ')}. claimRuns(limit ${sizes.workerConcurrency}) claimed ${claimed} runs; ` +
            `auto_explain (analyze, buffers) of each statement it ran:\n\n\`\`\`\n${plans.join('\n\n') || '(claimRuns issued no query)'}\n\`\`\``,
        },
      ],
    };
  },
};
