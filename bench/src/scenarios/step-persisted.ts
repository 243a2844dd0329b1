import { randomUUID } from 'node:crypto';
import { PgRunStore, claimRuns, enqueueRun } from '@switchyard/db';
import { PURE_NODE_KINDS } from '@switchyard/connectors';
import { PURE_STEPS_PER_COMMIT, executeRun } from '@switchyard/engine';
import { noopExecutors, silentLogger, systemClock } from '../lib/engine-kit';
import { holdWal, pgDiff, pgSnapshot, walOfDatabase } from '../lib/pg-stats';
import { atMost, result, type Scenario } from '../lib/report';
import { CHAIN_LENGTH } from '../lib/seed';
import { describeSummary, sig, summarize } from '../lib/stats';

/**
 * Per-step cost with every step persisted: the same 100-node no-op chain, enqueued and claimed from
 * PostgreSQL and run by executeRun with PgRunStore, configured as the worker runs it: the chain's
 * transform steps are pure, so they are group-committed (every step's record is written, up to
 * PURE_STEPS_PER_COMMIT per transaction). Runs one at a time in this process, so the figure is
 * latency per step, not throughput.
 */
export const stepPersisted: Scenario = {
  name: 'step (persisted)',
  ids: ['step.persisted_ms'],
  async run({ stack }) {
    const { sizes, database, seed } = { sizes: stack.sizes, database: stack.database, seed: stack.seed };
    if (stack.workers.length > 0) throw new Error('step (persisted) needs the queue to itself; stop the workers first');
    await stack.resetRuns();
    const store = new PgRunStore(database.pool);

    const runOne = async (): Promise<{ msPerStep: number; stateBytes: number }> => {
      const queued = await enqueueRun(database.pool, {
        tenantId: seed.tenantId,
        workflowId: seed.chain.id,
        versionId: seed.chain.versionId,
        trigger: 'manual',
        correlationId: randomUUID(),
        payload: { order: 1, note: 'bench' },
      });
      const [run] = await claimRuns(database.pool, { workerId: 'bench-step', limit: 1, leaseMs: 60_000 });
      if (!run || run.id !== queued.runId) throw new Error('step (persisted): the claim did not return the run just enqueued');
      const start = process.hrtime.bigint();
      const outcome = await executeRun({
        run,
        store,
        executors: noopExecutors,
        clock: systemClock,
        logger: silentLogger,
        deferTriggerCommit: true,
        pureKinds: PURE_NODE_KINDS,
      });
      const { rows: recorded } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM steps WHERE run_id = $1', [run.id]);
      if (recorded[0]?.n !== CHAIN_LENGTH + 1) throw new Error(`step (persisted): ${recorded[0]?.n} step records for a ${CHAIN_LENGTH}-step chain plus its trigger`);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (outcome.kind !== 'finished' || outcome.status !== 'succeeded') throw new Error(`chain run ended ${JSON.stringify(outcome)}`);
      const { rows } = await database.pool.query<{ bytes: number }>('SELECT octet_length(state::text) AS bytes FROM runs WHERE id = $1', [
        run.id,
      ]);
      return { msPerStep: ms / CHAIN_LENGTH, stateBytes: rows[0]?.bytes ?? 0 };
    };

    await runOne(); // warm-up (connections, plans, JIT), discarded
    const perRound: number[] = [];
    let stateBytes = 0;
    let ownQueries = 0;
    const releaseWal = await holdWal(stack.databaseUrl);
    let measured;
    try {
      const before = await pgSnapshot(database.pool);
      for (let r = 0; r < sizes.rounds; r++) {
        const times: number[] = [];
        for (let i = 0; i < sizes.persistedRuns; i++) {
          const one = await runOne();
          // enqueue (1 transaction), claim (1), the step count (1) and the state-size read (1) are not steps.
          ownQueries += 4;
          times.push(one.msPerStep);
          stateBytes = one.stateBytes;
        }
        perRound.push(times.reduce((a, b) => a + b, 0) / times.length);
      }
      await new Promise((resolve) => setTimeout(resolve, sizes.statsSettleMs));
      const after = await pgSnapshot(database.pool);
      measured = { delta: pgDiff(before, after, ownQueries), ownWal: await walOfDatabase(database.pool, before, after) };
    } finally {
      await releaseWal();
    }
    const { delta, ownWal } = measured;
    const runs = sizes.rounds * sizes.persistedRuns;
    const s = summarize(perRound);
    const walPerStep = (ownWal?.bytes ?? delta.walBytes) / (runs * CHAIN_LENGTH);
    const method =
      `executeRun with PgRunStore on PostgreSQL over the ${CHAIN_LENGTH}-node no-op chain, one run at a time in the harness ` +
      `process, as the worker runs it (transform is a pure kind: consecutive successful steps are group-committed, at most ` +
      `${PURE_STEPS_PER_COMMIT} per transaction; every step's record is written and checked: ${CHAIN_LENGTH + 1} rows per run) ` +
      `process (enqueueRun + claimRuns first, not timed); wall time ÷ ${CHAIN_LENGTH}; ${sizes.persistedRuns} runs per round; ` +
      `${describeSummary(s, 'ms')}. Final runs.state is ${stateBytes} bytes and is rewritten whole on every step ` +
      `(~${sig(walPerStep / 1024)} KiB WAL per step).`;
    return {
      results: [result('step.persisted_ms', sig(s.median), 'ms/step', atMost(0.3), method)],
      sections: [
        {
          title: 'Per-step overhead, persisted',
          body:
            `${describeSummary(s, 'ms per step')}.\n\n` +
            `Consecutive pure steps share a commit (group commit, at most ${PURE_STEPS_PER_COMMIT} steps); a commit that leaves the run running is one statement (PgRunStore.commit's hot path: the lease-fenced \`UPDATE runs SET state = … (whole state)\` and the \`INSERT INTO steps\` in data-modifying CTEs) = 1 round trip; the last commit, which ends the run, is a transaction of several statements. ` +
            `The state carries every node's output, so it grows with the run (${stateBytes} bytes after ${CHAIN_LENGTH} steps) and ` +
            `is serialised and written whole each time: WAL per step ≈ ${sig(walPerStep)} bytes (${ownWal ? 'this database\'s records, pg_walinspect' : 'cluster-wide LSN delta'}, ` +
            `${sig(delta.seconds)} s window), ${sig(delta.commits / (runs * CHAIN_LENGTH), 3)} transactions per step.`,
        },
      ],
    };
  },
};
