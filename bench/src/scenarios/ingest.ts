import { pgDiff, pgSnapshot } from '../lib/pg-stats';
import { ORDER_BODY } from '../lib/payloads';
import { atLeast, atMost, result, type Scenario } from '../lib/report';
import os from 'node:os';
import { cpuSummary, loadRounds, middleCpuPerRun, statusSummary } from '../lib/rounds';
import { sleep } from '../lib/stack';
import { describeSummary, sig, summarize } from '../lib/stats';

/**
 * Ingest: POST /api/hooks/bench/e2e to the front server (the public port of `pnpm start`, which takes
 * webhook deliveries itself and proxies the rest to `next start`) until the run is durably queued (202).
 * No worker runs, so the figure is the ingress alone; every accepted run must be in the table.
 */
export const ingest: Scenario = {
  name: 'ingest',
  ids: ['ingest.runs_per_s', 'ingest.p99_ms'],
  async run({ stack, shared }) {
    const { sizes, database } = stack;
    if (stack.workers.length > 0) throw new Error('ingest measures the ingress alone; stop the workers first');
    await stack.resetRuns();
    await stack.ensureWeb();
    const spec = stack.hookSpec('e2e');

    const before = await pgSnapshot(database.pool);
    const rounds = await loadRounds(stack, spec, 'ingest');
    await sleep(sizes.statsSettleMs);
    const after = await pgSnapshot(database.pool);

    const accepted = rounds.reduce((n, r) => n + (r.load.statusCodes['202'] ?? 0), 0);
    if (accepted === 0) throw new Error(`ingest: no request was accepted (${statusSummary(rounds)})`);
    const { rows } = await database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM runs WHERE status = 'queued'`);
    const queued = Number(rows[0]?.n ?? 0);
    if (queued < accepted) throw new Error(`ingest: ${accepted} requests were answered 202 but only ${queued} runs are queued`);
    // The warm-up's requests are in the window too (the snapshot precedes it): count every queued run.
    const txPerRun = pgDiff(before, after).commits / queued;
    shared.ingestTxPerRun = txPerRun;

    const rate = summarize(rounds.map((r) => (r.load.statusCodes['202'] ?? 0) / r.load.durationS));
    const p99 = summarize(rounds.map((r) => r.load.latency.p99));
    const common =
      `autocannon, ${sizes.connections} connections closed-loop, ${sizes.roundS} s rounds after a ${sizes.warmupS} s warm-up, ` +
      `fresh Idempotency-Key and Standard Webhooks signature (HMAC-SHA256, unique webhook-id) per request, ~${ORDER_BODY.length}-byte JSON body; ` +
      `${statusSummary(rounds)}; all ${accepted} accepted runs found queued; ${sig(txPerRun)} PostgreSQL transactions per accepted run; ${cpuSummary(rounds)}`;
    return {
      results: [
        result('ingest.runs_per_s', sig(rate.median), 'runs/s', atLeast(2000), `202 responses per second: ${describeSummary(rate, 'runs/s')}; ${common}`),
        result('ingest.p99_ms', sig(p99.median), 'ms', atMost(20), `99th percentile latency: ${describeSummary(p99, 'ms')}; ${common}`),
      ],
      sections: [
        {
          title: 'Ingest',
          body:
            `| round | runs/s | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n` +
            rounds
              .map((r, i) => `| ${i + 1} | ${sig((r.load.statusCodes['202'] ?? 0) / r.load.durationS)} | ${r.load.latency.p50} | ${r.load.latency.p99} | ${r.load.latency.max} |`)
              .join('\n') +
            `\n\n${cpuSummary(rounds)}.\n\n${middleCpuPerRun(rounds, (r) => (r.load.statusCodes['202'] ?? 0) / r.load.durationS, os.cpus().length)}.\n\nPostgreSQL transactions per accepted run (ingress only): ${sig(txPerRun)} ` +
            `(tenant, route, version and secrets come from the ingress cache and the signature is checked in memory; concurrent deliveries share statements — up to 4 in flight per process, up to 128 deliveries each — and each statement re-checks what the cache said, records the webhook-ids and inserts the runs, so one commit and one NOTIFY serve a batch; rate-limit tokens are taken from the shared bucket in batches; the Cost per run section lists them).`,
        },
      ],
    };
  },
};
