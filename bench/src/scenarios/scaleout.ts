import { randomUUID } from 'node:crypto';
import { enqueueRun } from '@switchyard/db';
import { cpuBetween, cpuSnapshot, formatCpu, type CpuUsage } from '../lib/proc-stats';
import { result, type ResultEntry, type Scenario } from '../lib/report';
import { cpuGroups } from '../lib/rounds';
import type { Stack } from '../lib/stack';
import { describeSummary, sig, summarize } from '../lib/stats';

/**
 * Scale-out: N runs of webhook → HTTP call to a receiver that answers after 100 ms, queued up front
 * (all in flight at once), then 1, 2 or 4 worker processes started against the queue. The rate is
 * taken from the database's own timestamps (first start to last finish), so process start-up does
 * not count.
 */

const RECEIVER_DELAY_MS = 100;

async function enqueueAll(stack: Stack, count: number): Promise<void> {
  const { database, seed } = stack;
  let next = 0;
  // Through enqueueRun (the product's path), 16 at a time.
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        next += 1;
        await enqueueRun(database.pool, {
          tenantId: seed.tenantId,
          workflowId: seed.slow.id,
          versionId: seed.slow.versionId,
          trigger: 'webhook',
          correlationId: randomUUID(),
          idempotencyKey: randomUUID(),
          payload: { order: next },
        });
      }
    }),
  );
}

interface Measured {
  rate: number;
  cpu: CpuUsage;
}

async function measure(stack: Stack, workers: number): Promise<Measured> {
  const { sizes, database } = stack;
  await stack.resetRuns();
  await enqueueAll(stack, sizes.scaleoutRuns);
  const a = cpuSnapshot();
  await stack.startWorkers(workers, { concurrency: sizes.scaleoutConcurrency, tag: `scale${workers}` });
  await stack.waitForDrain(sizes.drainTimeoutS);
  const cpu = cpuBetween(a, cpuSnapshot(), await cpuGroups(stack));
  await stack.stopWorkers();
  await stack.assertAllSucceeded();
  const { rows } = await database.pool.query<{ n: string; seconds: number }>(
    `SELECT count(*)::text AS n, extract(epoch FROM max(finished_at) - min(started_at))::float8 AS seconds FROM runs WHERE status = 'succeeded'`,
  );
  const n = Number(rows[0]?.n ?? 0);
  if (n !== sizes.scaleoutRuns) throw new Error(`scaleout: ${n} of ${sizes.scaleoutRuns} runs succeeded`);
  return { rate: n / Math.max(rows[0]?.seconds ?? 0, 0.001), cpu };
}

export const scaleout: Scenario = {
  name: 'scaleout',
  ids: ['scaleout.runs_per_s_1_worker', 'scaleout.runs_per_s_2_workers', 'scaleout.runs_per_s_4_workers'],
  async run({ stack }) {
    const { sizes } = stack;
    if (stack.workers.length > 0) throw new Error('scaleout starts its own workers; stop the others first');
    const rows: { workers: number; rates: number[]; cpu: CpuUsage }[] = [];
    for (const workers of sizes.scaleoutWorkers) {
      const rates: number[] = [];
      let cpu: CpuUsage | undefined;
      for (let r = 0; r < sizes.scaleoutRounds; r++) {
        const m = await measure(stack, workers);
        rates.push(m.rate);
        cpu = m.cpu;
      }
      rows.push({ workers, rates, cpu: cpu! });
    }
    await stack.resetRuns();

    const perWorkerCap = (sizes.scaleoutConcurrency * 1000) / RECEIVER_DELAY_MS;
    const limitOf = (workers: number, rate: number, cpu: CpuUsage): string => {
      if (cpu.machineBusyPct >= 90) {
        const own = ['workers', 'postgres', 'receiver'].map((g) => `${g} ${(cpu.groups[g] ?? 0).toFixed(0)} %`).join(', ');
        return `CPU (machine ${cpu.machineBusyPct.toFixed(0)} % busy: ${own} of a core; other jobs on the machine ${(cpu.groups.other ?? 0).toFixed(0)} %)`;
      }
      if (rate >= 0.8 * workers * perWorkerCap) return `worker concurrency (${workers} × ${sizes.scaleoutConcurrency} slots × ${1000 / RECEIVER_DELAY_MS}/s = ${workers * perWorkerCap} runs/s)`;
      return `neither CPU nor concurrency saturated (machine ${cpu.machineBusyPct.toFixed(0)} % busy): per-run latency (database round trips) bounds it`;
    };
    const summaries = rows.map((row) => ({ ...row, s: summarize(row.rates) }));
    const one = summaries.find((s) => s.workers === 1)?.s.median ?? 0;
    const results: ResultEntry[] = summaries.map(({ workers, s, cpu }) => {
      const id = `scaleout.runs_per_s_${workers}_worker${workers === 1 ? '' : 's'}`;
      const method =
        `${sizes.scaleoutRuns} runs (webhook → http.request to a receiver answering after ${RECEIVER_DELAY_MS} ms) queued through enqueueRun, then ` +
        `${workers} worker process(es) × concurrency ${sizes.scaleoutConcurrency} (the product default) started; runs ÷ (last finished_at − first started_at); ` +
        `${describeSummary(s, 'runs/s')}; CPU in the last round: ${formatCpu(cpu)}; limit: ${limitOf(workers, s.median, cpu)}`;
      if (workers !== Math.max(...sizes.scaleoutWorkers)) return result(id, sig(s.median), 'runs/s', null, method);
      // The criterion: the rate grows with workers until the CPU or the database is the limit.
      const grows = s.median > one * 1.5;
      const bound = cpu.machineBusyPct >= 90;
      const entry = result(id, sig(s.median), 'runs/s', null, `${method}; passes if it grows over 1 worker (×1.5) or the machine's CPU is saturated`);
      return { ...entry, target: 'grows with workers until CPU or database bound', pass: grows || bound };
    });
    return {
      results,
      sections: [
        {
          title: 'Scale-out (receiver answers after 100 ms)',
          body:
            `| workers | runs/s (median) | spread | machine CPU busy | limit |\n|---|---|---|---|---|\n` +
            summaries
              .map(({ workers, s, cpu }) => `| ${workers} | ${sig(s.median)} | ${sig(s.spreadPct, 2)} % | ${cpu.machineBusyPct.toFixed(0)} % | ${limitOf(workers, s.median, cpu)} |`)
              .join('\n') +
            `\n\nCPU per process group (last round of each): \n\n` +
            summaries.map(({ workers, cpu }) => `- ${workers} worker(s): ${formatCpu(cpu)}`).join('\n'),
        },
      ],
    };
  },
};
