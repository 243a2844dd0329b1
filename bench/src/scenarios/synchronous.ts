import { atLeast, atMost, result, type Scenario } from '../lib/report';
import os from 'node:os';
import { cpuSummary, loadRounds, middleCpuPerRun, statusSummary } from '../lib/rounds';
import { describeSummary, sig, summarize } from '../lib/stats';

/**
 * Synchronous webhook → transform → respond: the caller waits for the respond node's answer, so the
 * latency is ingress + claim + two steps + the ingress noticing the response. Every answered
 * request must leave a complete run history (run succeeded, three step rows).
 */
export const synchronous: Scenario = {
  name: 'sync',
  ids: ['sync.requests_per_s', 'sync.p99_ms'],
  async run({ stack }) {
    const { sizes, database } = stack;
    await stack.resetRuns();
    await stack.ensureWeb();
    await stack.startWorkers(sizes.workers, { concurrency: sizes.workerConcurrency, tag: 'sync' });
    const spec = stack.hookSpec('sync');
    const rounds = await loadRounds(stack, spec, 'sync');
    await stack.waitForDrain(sizes.drainTimeoutS);
    await stack.assertAllSucceeded();
    await stack.stopWorkers();
    const timings = await stack.runTimings();

    const { rows } = await database.pool.query<{ runs: string; succeeded: string; with_response: string; steps: string }>(
      `SELECT (SELECT count(*) FROM runs)::text AS runs,
              (SELECT count(*) FROM runs WHERE status = 'succeeded')::text AS succeeded,
              (SELECT count(*) FROM runs WHERE response IS NOT NULL)::text AS with_response,
              (SELECT count(*) FROM steps)::text AS steps`,
    );
    const h = rows[0]!;
    const runs = Number(h.runs);
    const answered = rounds.reduce((n, r) => n + (r.load.statusCodes['200'] ?? 0), 0);
    if (answered === 0) throw new Error(`sync: no request was answered 200 (${statusSummary(rounds)})`);
    const complete = Number(h.succeeded) === runs && Number(h.steps) === runs * 3 && Number(h.with_response) === runs;
    if (!complete) {
      const { rows: shapes } = await database.pool.query<{ steps: string; response: boolean; n: string; nodes: string }>(
        `SELECT s.steps::text, r.response IS NOT NULL AS response, count(*)::text AS n, min(s.nodes) AS nodes
           FROM runs r JOIN LATERAL (SELECT count(*) AS steps, string_agg(node_id || ':' || status, ',' ORDER BY started_at) AS nodes
                                       FROM steps WHERE run_id = r.id) s ON true
          GROUP BY 1, 2`,
      );
      const detail = shapes.map((x) => `${x.n} runs with ${x.steps} steps (${x.nodes}), response ${x.response}`).join('; ');
      throw new Error(`sync: run history incomplete: ${h.runs} runs, ${h.succeeded} succeeded, ${h.with_response} with a response, ${h.steps} steps (expected 3 per run): ${detail}`);
    }
    const rate = summarize(rounds.map((r) => (r.load.statusCodes['200'] ?? 0) / r.load.durationS));
    const p99 = summarize(rounds.map((r) => r.load.latency.p99));
    const common =
      `autocannon, ${sizes.connections} connections closed-loop against POST /api/hooks/bench/sync (synchronous trigger → transform (JSONata) → respond), ` +
      `${sizes.workers} worker process(es) × concurrency ${sizes.workerConcurrency}, ${sizes.roundS} s rounds after a ${sizes.warmupS} s warm-up; ` +
      `${statusSummary(rounds)}; history: ${runs} runs (warm-up included) all succeeded with a response and 3 step rows each ` +
      `(${answered} answered 200 in measured rounds); ${cpuSummary(rounds)}`;
    return {
      results: [
        result('sync.requests_per_s', sig(rate.median), 'requests/s', atLeast(500), `200 responses per second: ${describeSummary(rate, 'requests/s')}; ${common}`),
        result('sync.p99_ms', sig(p99.median), 'ms', atMost(50), `99th percentile latency: ${describeSummary(p99, 'ms')}; ${common}`),
      ],
      sections: [
        {
          title: 'Synchronous webhook',
          body:
            `| round | requests/s | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n` +
            rounds
              .map(
                (r, i) =>
                  `| ${i + 1} | ${sig((r.load.statusCodes['200'] ?? 0) / r.load.durationS)} | ${r.load.latency.p50} | ${r.load.latency.p90} | ${r.load.latency.p99} | ${r.load.latency.max} |`,
              )
              .join('\n') +
            `\n\n${cpuSummary(rounds)}.\n\n${middleCpuPerRun(rounds, (r) => (r.load.statusCodes['200'] ?? 0) / r.load.durationS, os.cpus().length)}.\n\nFrom the run rows, ${timings}.\n\nThe ingress learns of the response from a NOTIFY on switchyard_run_done, sent by the commit that sets the response or ends the run ` +
            `(waitForRunResponse keeps one LISTEN connection per pool, reads the run row when told and at least every second).`,
        },
      ],
    };
  },
};
