import { holdWal, pgDiff, pgSnapshot, walOfDatabase } from '../lib/pg-stats';
import { atMost, result, type Scenario } from '../lib/report';
import { sleep } from '../lib/stack';
import { sig } from '../lib/stats';

/**
 * Cost per run: a fixed batch of simple runs (webhook → HTTP call → done) through the whole system,
 * and what PostgreSQL did for it: committed transactions (pg_stat_database of the bench database),
 * WAL and table growth. The workers' idle polling, measured just before, is taken out, as are the
 * harness's own queries.
 */
export const cost: Scenario = {
  name: 'cost',
  ids: ['cost.pg_transactions_per_run', 'cost.wal_bytes_per_run', 'cost.table_bytes_per_run'],
  async run({ stack, shared, smoke }) {
    const { sizes, database } = stack;
    await stack.resetRuns();
    await stack.resetReceiver();
    await stack.ensureWeb();
    await stack.startWorkers(sizes.workers, { concurrency: sizes.workerConcurrency, tag: 'cost' });
    const spec = stack.hookSpec('e2e');
    // Warm-up batch: connections opened, plans cached, JIT warm.
    await stack.load({ ...spec, amount: Math.max(10, Math.floor(sizes.costRuns / 10)) }, 'cost-warmup');
    await stack.waitForDrain(sizes.drainTimeoutS);
    await stack.resetRuns();
    await sleep(sizes.statsSettleMs);

    // Idle baseline: what the waiting workers cost per second (claim polls).
    const idleA = await pgSnapshot(database.pool);
    await sleep(smoke ? 1000 : 5000);
    const idleB = await pgSnapshot(database.pool);
    const idle = pgDiff(idleA, idleB);
    const idlePerS = Math.max(0, idle.commits / idle.seconds);

    const releaseWal = await holdWal(stack.databaseUrl);
    let measured;
    try {
      const a = await pgSnapshot(database.pool);
      const load = await stack.load({ ...spec, amount: sizes.costRuns }, 'cost-batch');
      const drainQueries = await stack.waitForDrain(sizes.drainTimeoutS);
      await stack.assertAllSucceeded();
      await sleep(sizes.statsSettleMs);
      const b = await pgSnapshot(database.pool);
      // The harness's own queries in the window: the drain polls and the success check.
      const ownQueries = drainQueries + 1;
      measured = { load, ownQueries, delta: pgDiff(a, b, ownQueries), ownWal: await walOfDatabase(database.pool, a, b) };
    } finally {
      await releaseWal();
    }
    const { load, delta, ownWal, ownQueries } = measured;
    const { rows } = await database.pool.query<{ n: string; steps: string }>(
      `SELECT (SELECT count(*) FROM runs WHERE status = 'succeeded')::text AS n, (SELECT count(*) FROM steps)::text AS steps`,
    );
    const runs = Number(rows[0]?.n ?? 0);
    if (runs !== sizes.costRuns || load.ok2xx !== sizes.costRuns) {
      throw new Error(`cost: sent ${sizes.costRuns} requests, ${load.ok2xx} were accepted and ${runs} runs succeeded`);
    }
    const idleShare = idlePerS * delta.seconds;
    const txPerRun = (delta.commits - idleShare) / runs;
    const walPerRun = (ownWal?.bytes ?? delta.walBytes) / runs;
    const tablePerRun = delta.tableBytes / runs;
    shared.txPerRun = txPerRun;
    shared.walBytesPerRun = walPerRun;
    shared.tableBytesPerRun = tablePerRun;
    const ingestPart = shared.ingestTxPerRun;
    const split =
      ingestPart === undefined
        ? ''
        : `; of these, the ingress (measured alone in the ingest scenario) takes ${sig(ingestPart)} and the worker side ${sig(txPerRun - ingestPart)}`;
    const method =
      `${runs} runs (webhook → http.request → done) sent by autocannon (${sizes.connections} connections), ${sizes.workers} worker process(es); ` +
      `xact_commit delta of the bench database (${delta.commits} commits in ${sig(delta.seconds)} s, read ${sizes.statsSettleMs / 1000} s after the last run ` +
      `finished so every backend has published its counts), less ${ownQueries} harness queries and ${sig(idleShare)} for idle worker polling ` +
      `(${sig(idlePerS)}/s measured just before)${split}; ${delta.rollbacks} rollbacks; ${sig(delta.inserted / runs)} rows inserted and ` +
      `${sig(delta.updated / runs)} updated per run; ${rows[0]?.steps} step rows`;
    return {
      results: [
        result('cost.pg_transactions_per_run', sig(txPerRun), 'transactions/run', atMost(3), method),
        result(
          'cost.wal_bytes_per_run',
          sig(walPerRun),
          'bytes/run',
          null,
          ownWal
            ? `WAL records of the bench database over the same batch (pg_walinspect: records whose block references are in this ` +
                `database, plus their transactions' commit records) ÷ runs: ${ownWal.records} records, ${sig(ownWal.records / runs)} per run, ` +
                `${sig((ownWal.fpiBytes / Math.max(ownWal.bytes, 1)) * 100, 2)} % of the bytes full-page images; the cluster-wide LSN delta ` +
                `(all databases on the server) was ${sig(delta.walBytes / runs)} bytes/run`
            : `pg_current_wal_lsn() delta over the same batch ÷ runs (pg_walinspect unavailable, so cluster-wide: other databases on this server add to it)`,
        ),
        result(
          'cost.table_bytes_per_run',
          sig(tablePerRun),
          'bytes/run',
          null,
          `growth of pg_total_relation_size(runs) + pg_total_relation_size(steps) (tables, TOAST and indexes) over the batch ÷ runs`,
        ),
      ],
      sections: [
        {
          title: 'Cost per run',
          body:
            `${sig(txPerRun)} PostgreSQL transactions per completed simple run${split}. WAL ${sig(walPerRun)} bytes/run, ` +
            `table + index growth ${sig(tablePerRun)} bytes/run.\n\n` +
            `Where they come from (read from the code on the path when this harness was written; the measured split above is what counts): ` +
            `ingress (packages/api/src/ingress/webhook.ts handleWebhook) = one statement (enqueueWebhookRun: re-checks the cached route, ` +
            `version and secret ids, records the webhook-id, inserts the run), plus a batched rate-limit take now and then; worker = ` +
            `claimRuns (one transaction, per batch of runs) and the http.request step's commit, which carries the deferred trigger ` +
            `step and ends the run (PgRunStore.commit); the circuit breaker is read at most once a second per worker and ` +
            `successes are written in batches (apps/worker/src/resilience-guard.ts); plus lease renewals while runs are active.`,
        },
      ],
    };
  },
};
