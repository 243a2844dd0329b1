/**
 * The load generator: autocannon's programmatic API in its own process, so that generating load
 * does not share an event loop with anything it measures. Options come as one JSON argument; the
 * result goes to stdout as one JSON line.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method?: 'POST' | 'GET';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Total requests, then stop. */
  amount?: number;
  /** Open-loop rate (requests per second over all connections). */
  overallRate?: number;
  timeoutS?: number;
}

export interface LoadResult {
  durationS: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  reqPerS: number;
  /** CPU this load generator used (user + system), so it can be told apart from the system under test. */
  cpuS: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const result = await autocannon({
    url: spec.url,
    method: spec.method ?? 'POST',
    headers: spec.headers ?? {},
    body: spec.body,
    connections: spec.connections,
    duration: spec.duration ?? 10,
    ...(spec.amount ? { amount: spec.amount } : {}),
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    timeout: spec.timeoutS ?? 30,
    // `[<id>]` in headers or body becomes a fresh id per request: every request is a new run.
    idReplacement: true,
    pipelining: 1,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (stats as { count: number }).count;
  const out: LoadResult = {
    durationS: result.duration,
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    reqPerS: result['2xx'] / result.duration,
    cpuS: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`load generator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
