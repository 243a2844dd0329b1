import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { cpuBetween, cpuSnapshot, formatCpu } from '../lib/proc-stats';
import { result, type Scenario } from '../lib/report';
import { cpuGroups } from '../lib/rounds';
import { describeSummary, sig, summarize } from '../lib/stats';

/**
 * The ceiling: how many runs per second this machine's PostgreSQL could commit if a run cost nothing
 * but its transactions. A pgbench-style loop from Node: C clients, each committing single-row
 * INSERTs as fast as it can, with as many transactions per "run" as the cost scenario measured and
 * each one writing that run's WAL share. Switchyard's end-to-end rate as a fraction of it shows
 * the distance to the physical limit.
 */

const FALLBACK_TX_PER_RUN = 8;
const FALLBACK_WAL_PER_RUN = 8192;

async function commitLoop(url: string, clients: number, seconds: number, payload: string): Promise<number> {
  const conns = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: url, application_name: 'switchyard-bench-ceiling' });
      await c.connect();
      return c;
    }),
  );
  let commits = 0;
  const deadline = Date.now() + seconds * 1000;
  try {
    await Promise.all(
      conns.map(async (c) => {
        while (Date.now() < deadline) {
          await c.query('INSERT INTO bench_ceiling (payload) VALUES ($1)', [payload]);
          commits += 1;
        }
      }),
    );
  } finally {
    await Promise.all(conns.map((c) => c.end().catch(() => undefined)));
  }
  return commits / seconds;
}

export const ceiling: Scenario = {
  name: 'ceiling',
  ids: ['ceiling.fraction', 'ceiling.commits_per_s'],
  async run({ stack, shared }) {
    const { sizes, database, databaseUrl } = stack;
    const measured = shared.txPerRun !== undefined && shared.walBytesPerRun !== undefined;
    const txPerRun = Math.max(1, Math.round(shared.txPerRun ?? FALLBACK_TX_PER_RUN));
    const walPerRun = shared.walBytesPerRun ?? FALLBACK_WAL_PER_RUN;
    // Each INSERT adds ~100 bytes of WAL of its own (record and tuple headers, commit record).
    const payloadBytes = Math.max(16, Math.round(walPerRun / txPerRun) - 100);
    // Random base64 does not compress, so the row really carries that many bytes.
    const payload = randomBytes(Math.ceil((payloadBytes * 3) / 4)).toString('base64').slice(0, payloadBytes);
    await database.pool.query('CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, payload text NOT NULL)');
    try {
      await commitLoop(databaseUrl, sizes.ceilingClients, Math.min(2, sizes.ceilingS), payload); // warm-up
      const rates: number[] = [];
      let cpuText = '';
      for (let r = 0; r < sizes.rounds; r++) {
        const a = cpuSnapshot();
        rates.push(await commitLoop(databaseUrl, sizes.ceilingClients, sizes.ceilingS, payload));
        cpuText = formatCpu(cpuBetween(a, cpuSnapshot(), await cpuGroups(stack)));
      }
      const commits = summarize(rates);
      const ceilingRuns = commits.median / txPerRun;
      const e2e = shared.e2eRunsPerS;
      const basis = measured
        ? `${txPerRun} transactions per run and ${sig(walPerRun)} WAL bytes per run (the bench database's own records) as measured by the cost scenario`
        : `no cost figures from this run (cost scenario not run or crashed): assumed ${txPerRun} transactions and ${walPerRun} WAL bytes per run`;
      const method =
        `${sizes.ceilingClients} node-postgres clients in the harness process each committing single-row INSERTs (${payloadBytes}-byte payload) in a loop ` +
        `for ${sizes.ceilingS} s per round: ${describeSummary(commits, 'commits/s')}; ${basis}; ceiling = ${sig(ceilingRuns)} runs/s; ` +
        `${e2e === undefined ? 'no end-to-end rate from this run' : `end-to-end ${sig(e2e)} runs/s ÷ ceiling`}; CPU in the last round: ${cpuText}`;
      return {
        results: [
          result('ceiling.fraction', e2e === undefined ? null : sig(e2e / ceilingRuns), 'fraction', null, method),
          result('ceiling.commits_per_s', sig(commits.median), 'commits/s', null, method),
        ],
        sections: [
          {
            title: 'The ceiling',
            body:
              `Raw commit rate: ${describeSummary(commits, 'commits/s')} with ${sizes.ceilingClients} clients and ${payloadBytes}-byte rows. ` +
              `At ${txPerRun} transactions per run that is ${sig(ceilingRuns)} runs/s` +
              (e2e === undefined ? '.' : `; Switchyard's end-to-end ${sig(e2e)} runs/s is ${sig((e2e / ceilingRuns) * 100, 2)} % of it.`) +
              `\n\nCPU in the last round: ${cpuText}.`,
          },
        ],
      };
    } finally {
      await database.pool.query('DROP TABLE IF EXISTS bench_ceiling');
    }
  },
};
