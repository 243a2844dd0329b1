import { PURE_NODE_KINDS } from '@switchyard/connectors';
import { executeRun, type ClaimedRun, type RunStore } from '@switchyard/engine';
import { MemoryRunStore, claimedRun } from '@switchyard/engine/testing';
import { noopExecutors, silentLogger, systemClock } from '../lib/engine-kit';
import { atMost, result, type Scenario } from '../lib/report';
import { CHAIN_LENGTH, chainGraph } from '../lib/seed';
import { describeSummary, sig, summarize } from '../lib/stats';

/**
 * Interpreter cost per step, in memory: a 100-node chain of no-op executors driven by executeRun
 * with the engine's testing MemoryRunStore (which deep-copies every commit, as a database would
 * serialise it), configured as the worker runs it (transform steps are pure: group-committed). A second figure with a store that keeps nothing isolates the interpreter itself.
 */

const nullStore: RunStore = { commit: () => Promise.resolve('ok') };

async function timeRuns(runs: number, makeStore: () => RunStore): Promise<number> {
  const graph = chainGraph();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const run: ClaimedRun = claimedRun(graph, { id: `run-${i}`, triggerPayload: { order: i, note: 'bench' } });
    // Configured as the worker runs it: the trigger rides with the first commit, pure steps are group-committed.
    const outcome = await executeRun({
      run,
      store: makeStore(),
      executors: noopExecutors,
      clock: systemClock,
      logger: silentLogger,
      deferTriggerCommit: true,
      pureKinds: PURE_NODE_KINDS,
    });
    if (outcome.kind !== 'finished' || outcome.status !== 'succeeded') throw new Error(`chain run ended ${JSON.stringify(outcome)}`);
  }
  const elapsedUs = Number(process.hrtime.bigint() - start) / 1000;
  return elapsedUs / (runs * CHAIN_LENGTH);
}

export const stepMemory: Scenario = {
  name: 'step (in memory)',
  ids: ['step.in_memory_us'],
  async run({ stack }) {
    const { sizes } = stack;
    // Warm-up: JIT and caches, discarded.
    await timeRuns(Math.max(5, Math.floor(sizes.inMemoryRuns / 4)), () => new MemoryRunStore());
    const memory: number[] = [];
    const bare: number[] = [];
    for (let r = 0; r < sizes.rounds; r++) {
      memory.push(await timeRuns(sizes.inMemoryRuns, () => new MemoryRunStore()));
      bare.push(await timeRuns(sizes.inMemoryRuns, () => nullStore));
    }
    const m = summarize(memory);
    const b = summarize(bare);
    const method =
      `executeRun over a ${CHAIN_LENGTH}-node chain (manual trigger + ${CHAIN_LENGTH} transform nodes run by a no-op executor), ` +
      `in process, MemoryRunStore from @switchyard/engine/testing, worker settings (deferred trigger commit, pure kinds group-committed); ${sizes.inMemoryRuns} runs per round, wall time ÷ (runs × ${CHAIN_LENGTH}); ` +
      `${describeSummary(m, 'µs')}. With a store that keeps nothing: ${describeSummary(b, 'µs')}.`;
    return {
      results: [result('step.in_memory_us', sig(m.median), 'µs/step', atMost(20), method)],
      sections: [
        {
          title: 'Per-step overhead in memory',
          body:
            `| store | µs per step (median) | spread |\n|---|---|---|\n` +
            `| MemoryRunStore (deep copy per commit) | ${sig(m.median)} | ${sig(m.spreadPct, 2)} % |\n` +
            `| store that keeps nothing | ${sig(b.median)} | ${sig(b.spreadPct, 2)} % |\n`,
        },
      ],
    };
  },
};
