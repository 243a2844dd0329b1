/**
 * The load generator: autocannon's programmatic API in its own process, so that generating load
 * does not share an event loop with anything it measures. Options come as one JSON argument; the
 * result goes to stdout as one JSON line.
 */
import { createHmac, randomUUID } from 'node:crypto';
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
  /**
   * Sign every request as a Standard Webhooks sender does (webhook-id, webhook-timestamp,
   * webhook-signature = v1,base64(HMAC-SHA256(secret, `${id}.${timestamp}.${body}`))), with a fresh
   * id per request. The body's and headers' `[<id>]` are replaced here, before signing.
   */
  signingSecret?: string;
}

let firstError: string | undefined;

function onResponse(status: number, body: string): void {
  if (firstError === undefined && (status < 200 || status >= 300)) firstError = `${status} ${body.slice(0, 300)}`;
}

function requestsOf(spec: LoadSpec): autocannon.Request[] {
  if (!spec.signingSecret) return [{ method: spec.method ?? 'POST', onResponse }];
  const key = Buffer.from(spec.signingSecret.replace(/^whsec_/, ''), 'base64');
  return [
    {
      method: spec.method ?? 'POST',
      onResponse,
      setupRequest: (request) => {
        const id = randomUUID();
        const messageId = `msg_${id}`;
        const body = (spec.body ?? '').split('[<id>]').join(id);
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.`).update(body).digest('base64');
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name] = value.split('[<id>]').join(id);
        return {
          ...request,
          body,
          headers: { ...headers, 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
        };
      },
    },
  ];
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
  /** Status and body of the first non-2xx answer, to say why requests failed. */
  firstError?: string;
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
    idReplacement: !spec.signingSecret,
    requests: requestsOf(spec),
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
    ...(firstError === undefined ? {} : { firstError }),
    cpuS: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`load generator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
