import { randomUUID } from 'node:crypto';
import { handleWebhook, signWebhook } from '@switchyard/api';
import { pgDiff, pgSnapshot } from '../lib/pg-stats';
import { ORDER_BODY } from '../lib/payloads';
import { result, type Scenario } from '../lib/report';
import { sleep } from '../lib/stack';
import { describeSummary, percentile, sig, summarize } from '../lib/stats';

/**
 * The ingress without Next.js: handleWebhook from @switchyard/api called in the harness process
 * with 16 requests in flight. Its CPU per request, next to the web server's in the ingest
 * scenario, shows how much of the ingest cost is the framework and how much is the ingress itself.
 */
export const ingestDirect: Scenario = {
  name: 'ingest-direct',
  ids: ['ingest.direct_runs_per_s', 'ingest.direct_cpu_ms_per_run'],
  async run({ stack }) {
    const { sizes, database } = stack;
    if (stack.workers.length > 0) throw new Error('ingest-direct measures the ingress alone; stop the workers first');
    await stack.resetRuns();
    const body = (): string => ORDER_BODY.replace('[<id>]', randomUUID());
    const one = async (latencies: number[]): Promise<void> => {
      const id = randomUUID();
      const raw = Buffer.from(body());
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = signWebhook({ secret: stack.seed.signingSecret, id: `msg_${id}`, timestamp, body: raw });
      const t0 = performance.now();
      const res = await handleWebhook(database, {
        tenantSlug: 'bench',
        path: 'e2e',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': id,
          'webhook-id': `msg_${id}`,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
        },
        rawBody: raw,
      });
      latencies.push(performance.now() - t0);
      if (res.status !== 202) throw new Error(`handleWebhook answered ${res.status}: ${JSON.stringify(res.body)}`);
    };
    const runFor = async (seconds: number): Promise<{ rate: number; cpuMs: number; p99: number }> => {
      const latencies: number[] = [];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const deadline = t0 + seconds * 1000;
      await Promise.all(
        Array.from({ length: sizes.connections }, async () => {
          while (performance.now() < deadline) await one(latencies);
        }),
      );
      const elapsed = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      return { rate: latencies.length / elapsed, cpuMs: (cpu.user + cpu.system) / 1000 / latencies.length, p99: percentile(latencies, 99) };
    };
    await runFor(sizes.warmupS);
    const before = await pgSnapshot(database.pool);
    const rounds = [];
    for (let r = 0; r < sizes.rounds; r++) rounds.push(await runFor(sizes.roundS));
    await sleep(sizes.statsSettleMs);
    const after = await pgSnapshot(database.pool);
    const { rows } = await database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM runs`);
    const total = Number(rows[0]?.n ?? 0);
    const rate = summarize(rounds.map((r) => r.rate));
    const cpu = summarize(rounds.map((r) => r.cpuMs));
    const p99 = summarize(rounds.map((r) => r.p99));
    const method =
      `handleWebhook (@switchyard/api) called in the harness process with signed requests, ${sizes.connections} requests in flight, no HTTP server or framework; ` +
      `${sizes.roundS} s rounds after a ${sizes.warmupS} s warm-up; rate ${describeSummary(rate, 'runs/s')}; harness CPU per request ` +
      `${describeSummary(cpu, 'ms')}; p99 ${describeSummary(p99, 'ms')}; ${sig(pgDiff(before, after).commits / Math.max(total, 1))} transactions per run`;
    return {
      results: [
        result('ingest.direct_runs_per_s', sig(rate.median), 'runs/s', null, method),
        result('ingest.direct_cpu_ms_per_run', sig(cpu.median), 'ms/run', null, method),
      ],
      sections: [
        {
          title: 'Ingress without the framework',
          body:
            `handleWebhook called directly: ${describeSummary(rate, 'runs/s')}, p99 ${sig(p99.median)} ms, ` +
            `${sig(cpu.median)} ms of Node CPU per request (tenant and route lookups, rate-limit token, signature check and webhook-id record, JSON parse, canonical hash, idempotency lookup, enqueue). ` +
            `Compare with the web server's CPU per request in the ingest section: the difference is Next.js and HTTP.`,
        },
      ],
    };
  },
};
