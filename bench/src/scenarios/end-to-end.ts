import { atLeast, atMost, result, type ResultEntry, type Scenario } from '../lib/report';
import os from 'node:os';
import { cpuPerRun, cpuSummary, measuredLoad, statusSummary, type Round } from '../lib/rounds';
import { Samplers, type BacklogPoint } from '../lib/samplers';
import type { Stack } from '../lib/stack';
import { describeSummary, sig, slope, summarize } from '../lib/stats';

/**
 * End to end: webhook → HTTP call to the loopback receiver → done, with the worker processes
 * running. Saturation rounds (closed-loop load) give the completed-runs rate; then an open-loop
 * phase offers exactly that rate for `soakS` seconds and the backlog (accepted − completed) must
 * stay flat. Worker memory (VmRSS) is sampled throughout.
 */

async function completedBetween(stack: Stack, from: Date, to: Date): Promise<number> {
  const { rows } = await stack.database.pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM runs WHERE status = 'succeeded' AND finished_at >= $1 AND finished_at < $2`,
    [from, to],
  );
  return Number(rows[0]?.n ?? 0);
}

function seriesTable(points: BacklogPoint[], maxRows: number): string {
  const step = Math.max(1, Math.ceil(points.length / maxRows));
  const picked = points.filter((_, i) => i % step === 0 || i === points.length - 1);
  return (
    `| t (s) | phase | backlog (runs) |\n|---|---|---|\n` + picked.map((p) => `| ${p.t.toFixed(1)} | ${p.phase} | ${p.backlog} |`).join('\n')
  );
}

export const endToEnd: Scenario = {
  name: 'e2e',
  ids: ['e2e.completed_runs_per_s', 'e2e.backlog_slope_runs_per_s', 'memory.worker_rss_mb', 'memory.worker_rss_growth_mb_per_min'],
  async run({ stack, shared, smoke }) {
    const { sizes } = stack;
    await stack.resetRuns();
    await stack.resetReceiver();
    await stack.ensureWeb();
    await stack.startWorkers(sizes.workers, { concurrency: sizes.workerConcurrency, tag: 'e2e' });
    const samplers = new Samplers(stack, smoke ? 250 : 1000);
    samplers.start();
    const spec = stack.hookSpec('e2e');
    try {
      await stack.load({ ...spec, duration: sizes.warmupS }, 'e2e-warmup');
      await stack.waitForDrain(sizes.drainTimeoutS);

      const rounds: Round[] = [];
      const completedRates: number[] = [];
      const drainS: number[] = [];
      for (let r = 0; r < sizes.rounds; r++) {
        samplers.phase = `round ${r + 1}`;
        const from = new Date();
        const round = await measuredLoad(stack, { ...spec, duration: sizes.roundS }, `e2e-round${r + 1}`);
        const to = new Date();
        samplers.phase = `drain ${r + 1}`;
        await stack.waitForDrain(sizes.drainTimeoutS);
        drainS.push((Date.now() - to.getTime()) / 1000);
        rounds.push(round);
        completedRates.push((await completedBetween(stack, from, to)) / ((to.getTime() - from.getTime()) / 1000));
      }
      if (completedRates.every((r) => r === 0)) throw new Error(`e2e: no run completed during the rounds (${statusSummary(rounds)})`);
      const rate = summarize(completedRates);
      shared.e2eRunsPerS = rate.median;

      // Open loop at the reported rate: if the workers keep up, the backlog stays flat.
      samplers.phase = 'soak';
      const soakStart = samplers.seconds();
      const offered = Math.max(1, Math.floor(rate.median));
      const soak = await measuredLoad(
        stack,
        { ...spec, connections: Math.max(sizes.connections * 4, 8), overallRate: offered, duration: sizes.soakS },
        'e2e-soak',
      );
      const soakEnd = samplers.seconds();
      samplers.phase = 'drain after soak';
      await stack.waitForDrain(sizes.drainTimeoutS);
      samplers.stop();

      const soakPoints = samplers.backlog.filter((p) => p.phase === 'soak').map((p) => ({ t: p.t, v: p.backlog }));
      const backlogSlope = slope(soakPoints);
      const peakSoakBacklog = Math.max(0, ...soakPoints.map((p) => p.v));
      const receiver = await stack.receiverStats();
      const { rows } = await stack.database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM runs WHERE status = 'succeeded'`);
      const succeeded = Number(rows[0]?.n ?? 0);

      await stack.assertAllSucceeded();
      const timings = await stack.runTimings();
      const midIndex = Math.floor(rounds.length / 2);
      const perRunCpu = rounds[midIndex] ? cpuPerRun(rounds[midIndex].cpu, completedRates[midIndex] ?? 0, os.cpus().length) : '';
      const rss = samplers.rss;
      const maxRss = Math.max(0, ...rss.map((p) => p.maxMb));
      const soakRss = rss.filter((p) => p.t >= soakStart && p.t <= soakEnd).map((p) => ({ t: p.t / 60, v: p.maxMb }));
      const rssGrowth = slope(soakRss);

      const common =
        `webhook (async) → http.request POST to the loopback receiver → done; ${sizes.workers} worker process(es) × concurrency ` +
        `${sizes.workerConcurrency}; autocannon ${sizes.connections} connections closed-loop, ${sizes.roundS} s rounds after a ` +
        `${sizes.warmupS} s warm-up, each round drained before the next`;
      const results: ResultEntry[] = [
        result(
          'e2e.completed_runs_per_s',
          sig(rate.median),
          'runs/s',
          atLeast(500),
          `runs that finished (status succeeded) during the load window ÷ window: ${describeSummary(rate, 'runs/s')}; ${common}; ` +
            `ingest meanwhile ${rounds.map((r) => sig(r.load.reqPerS)).join(', ')} req/s; drain after each round ${drainS.map((d) => sig(d, 2)).join(', ')} s; ` +
            `${statusSummary(rounds)}; receiver saw ${receiver.unique} distinct Idempotency-Keys for ${succeeded} succeeded runs ` +
            `(${receiver.duplicates} repeats); ${cpuSummary(rounds)}`,
        ),
        result(
          'e2e.backlog_slope_runs_per_s',
          sig(backlogSlope),
          'runs/s',
          atMost(sig(Math.max(1, offered * 0.02))),
          `least-squares slope of the backlog (accepted − completed, sampled every ${smoke ? 0.25 : 1} s) while autocannon offered ` +
            `${offered} req/s open-loop (the reported rate) for ${sizes.soakS} s; target: below 2 % of that rate; peak backlog ${peakSoakBacklog}; ` +
            `achieved ${sig(soak.load.reqPerS)} req/s, p99 ${soak.load.latency.p99} ms`,
        ),
        result(
          'memory.worker_rss_mb',
          sig(maxRss),
          'MB',
          atMost(250),
          `largest VmRSS (/proc/<pid>/status) of any worker process, sampled every ${smoke ? 0.25 : 1} s through warm-up, rounds and the ${sizes.soakS} s soak of this scenario`,
        ),
        result(
          'memory.worker_rss_growth_mb_per_min',
          sig(rssGrowth),
          'MB/min',
          smoke ? null : atMost(1),
          `least-squares slope of the largest worker VmRSS over the ${sizes.soakS} s open-loop soak at ${offered} runs/s (${soakRss.length} samples; ` +
            `first ${sig(soakRss[0]?.v ?? 0)} MB, last ${sig(soakRss.at(-1)?.v ?? 0)} MB)`,
        ),
      ];
      return {
        results,
        sections: [
          {
            title: 'End to end',
            body:
              `| round | completed runs/s | ingest req/s | ingest p99 ms | drain after (s) |\n|---|---|---|---|---|\n` +
              rounds
                .map((r, i) => `| ${i + 1} | ${sig(completedRates[i] ?? 0)} | ${sig(r.load.reqPerS)} | ${r.load.latency.p99} | ${sig(drainS[i] ?? 0, 2)} |`)
                .join('\n') +
              `\n\n${cpuSummary(rounds)}.\n\n${perRunCpu}.\n\nFrom the run rows (rounds and soak), ${timings}.\n\nSoak: ${offered} req/s offered open-loop for ${sizes.soakS} s, achieved ${sig(soak.load.reqPerS)} req/s; ` +
              `backlog slope ${sig(backlogSlope)} runs/s, peak ${peakSoakBacklog}. Worker RSS: max ${sig(maxRss)} MB, slope over the soak ${sig(rssGrowth)} MB/min.\n\n` +
              `### Backlog over time (accepted − completed)\n\n${seriesTable(samplers.backlog, 60)}`,
          },
        ],
      };
    } finally {
      samplers.stop();
    }
  },
};
