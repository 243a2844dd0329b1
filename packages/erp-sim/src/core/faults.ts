import { z } from 'zod';
import { hash32, mulberry32, standardNormal } from './prng';

const rate = z.number().min(0).max(1);

export const latencySchema = z.union([
  z.number().min(0).max(120_000),
  z
    .object({ p50: z.number().min(0).max(120_000), p99: z.number().min(0).max(120_000) })
    .refine((l) => l.p99 >= l.p50, { message: 'p99 must be at least p50', path: ['p99'] }),
]);

/**
 * What an admin (or a test) can inject for one account, or for every account with `account: "*"`.
 * Rates are independent probabilities per request; a timeout wins over a 429, a 429 over an error.
 */
export const faultSpecSchema = z.strictObject({
  account: z.string().min(1),
  latencyMs: latencySchema.optional(),
  errorRate: rate.optional(),
  rate429: rate.optional(),
  timeoutRate: rate.optional(),
  /** The request is processed (the write happens) but the connection is dropped before any answer. */
  lostResponseRate: rate.optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  seed: z.union([z.number().int(), z.string().min(1)]).optional(),
});
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultSpecInput = z.input<typeof faultSpecSchema>;

export type FaultOutcome = 'proceed' | 'timeout' | 'throttle' | 'error';

export interface FaultDecision {
  delayMs: number;
  outcome: FaultOutcome;
  loseResponse: boolean;
  retryAfterSeconds: number;
}

export const WILDCARD_ACCOUNT = '*';

/** Turns fault specs into per-request decisions, one seeded random stream per account. */
export class FaultInjector {
  private readonly specs = new Map<string, FaultSpec>();
  private readonly streams = new Map<string, () => number>();

  constructor(private readonly baseSeed: number) {}

  set(input: FaultSpecInput): FaultSpec {
    const spec = faultSpecSchema.parse(input);
    this.specs.set(spec.account, spec);
    // A new spec restarts the stream so "set faults, then send N requests" is repeatable.
    if (spec.account === WILDCARD_ACCOUNT) this.streams.clear();
    else this.streams.delete(spec.account);
    return spec;
  }

  clear(account?: string): void {
    if (account === undefined) {
      this.specs.clear();
      this.streams.clear();
      return;
    }
    this.specs.delete(account);
    this.streams.delete(account);
  }

  list(): FaultSpec[] {
    return [...this.specs.values()];
  }

  specFor(account: string): FaultSpec | undefined {
    return this.specs.get(account) ?? this.specs.get(WILDCARD_ACCOUNT);
  }

  /** Undefined when no faults apply to the account (the common, zero-cost case). */
  decide(account: string): FaultDecision | undefined {
    const spec = this.specFor(account);
    if (!spec) return undefined;
    const next = this.stream(account, spec);
    // Always draw the same number of values so one knob does not shift the others' sequence.
    const [uLatA, uLatB, uTimeout, u429, uError, uLost] = [next(), next(), next(), next(), next(), next()];
    let outcome: FaultOutcome = 'proceed';
    if (uTimeout < (spec.timeoutRate ?? 0)) outcome = 'timeout';
    else if (u429 < (spec.rate429 ?? 0)) outcome = 'throttle';
    else if (uError < (spec.errorRate ?? 0)) outcome = 'error';
    return {
      delayMs: sampleLatency(spec.latencyMs, uLatA, uLatB),
      outcome,
      loseResponse: outcome === 'proceed' && uLost < (spec.lostResponseRate ?? 0),
      retryAfterSeconds: spec.retryAfterSeconds ?? 1,
    };
  }

  private stream(account: string, spec: FaultSpec): () => number {
    let s = this.streams.get(account);
    if (!s) {
      const seed = spec.seed === undefined ? this.baseSeed : typeof spec.seed === 'number' ? spec.seed : hash32(spec.seed);
      s = mulberry32((seed ^ hash32(account)) >>> 0);
      this.streams.set(account, s);
    }
    return s;
  }
}

/**
 * Latency as a log-normal fitted to the median and 99th percentile, the usual shape of service
 * latency: ln(X) ~ N(mu, sigma) with mu = ln(p50) and sigma = (ln(p99) - ln(p50)) / z(0.99).
 */
export function sampleLatency(latency: FaultSpec['latencyMs'], u1: number, u2: number): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  if (latency.p50 <= 0) return 0;
  const Z99 = 2.3263478740408408;
  const mu = Math.log(latency.p50);
  const sigma = (Math.log(Math.max(latency.p99, latency.p50)) - mu) / Z99;
  return Math.min(120_000, Math.round(Math.exp(mu + sigma * standardNormal(u1, u2))));
}
