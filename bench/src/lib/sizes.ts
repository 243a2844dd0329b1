/** How big each scenario runs: the full suite, or `--smoke` (seconds each, to keep the harness working in CI). */
export interface Sizes {
  warmupS: number;
  rounds: number;
  roundS: number;
  /** Closed-loop connections of the load generator. */
  connections: number;
  /** Worker processes and runs per worker for sync, end to end and cost. */
  workers: number;
  workerConcurrency: number;
  /** Open-loop phase of the end-to-end scenario at the measured rate (backlog stability, memory soak). */
  soakS: number;
  costRuns: number;
  inMemoryRuns: number;
  persistedRuns: number;
  scaleoutRuns: number;
  /** Rounds per worker count (each round restarts the workers). */
  scaleoutRounds: number;
  scaleoutWorkers: number[];
  /** Per worker in the scale-out scenario (the product's default). */
  scaleoutConcurrency: number;
  ceilingS: number;
  ceilingClients: number;
  profileS: number;
  statsSettleMs: number;
  /** Longest wait for a backlog to drain after load stops. */
  drainTimeoutS: number;
}

export const FULL: Sizes = {
  warmupS: 5,
  rounds: 3,
  roundS: 10,
  connections: 16,
  workers: 2,
  workerConcurrency: 32,
  soakS: 300,
  costRuns: 2000,
  inMemoryRuns: 200,
  persistedRuns: 5,
  scaleoutRuns: 2000,
  scaleoutRounds: 3,
  scaleoutWorkers: [1, 2, 4],
  scaleoutConcurrency: 16,
  ceilingS: 5,
  ceilingClients: 32,
  profileS: 10,
  statsSettleMs: 11_000,
  drainTimeoutS: 120,
};

export const SMOKE: Sizes = {
  warmupS: 1,
  rounds: 2,
  roundS: 1,
  connections: 4,
  workers: 1,
  workerConcurrency: 8,
  soakS: 2,
  costRuns: 40,
  inMemoryRuns: 10,
  persistedRuns: 1,
  scaleoutRuns: 40,
  scaleoutRounds: 1,
  scaleoutWorkers: [1, 2, 4],
  scaleoutConcurrency: 16,
  ceilingS: 1,
  ceilingClients: 4,
  profileS: 1.5,
  statsSettleMs: 1500,
  drainTimeoutS: 20,
};
