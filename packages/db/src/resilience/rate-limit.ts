import type pg from 'pg';
import { RateLimitSchema, type RateLimit } from '../policy/schema';
import { assertUuid } from '../sql';

/**
 * Token buckets per tenant × connection, shared by every worker (table rate_limit_buckets).
 *
 * A take is one INSERT … ON CONFLICT DO UPDATE: Postgres locks the bucket row and evaluates the
 * update against its latest committed version, so concurrent takers on any number of workers are
 * serialised on the row and can never be granted more tokens than the bucket holds. Refill is
 * computed lazily from the time since the last take; the database clock is the only clock, so
 * workers with skewed clocks agree.
 */

/** The bucket's balance now: what it held at the last grant plus the refill since, up to capacity ($3, rate $4). */
const REFILLED = `least($3::float8, b.tokens + greatest(0, extract(epoch FROM (clock_timestamp() - b.refilled_at))::float8) * $4::float8)`;

export type TakeResult = { granted: true; remaining: number } | { granted: false; retryAfterMs: number };

export interface TakeTokenInput {
  tenantId: string;
  /** Connection key (see ConnectionKeySchema). */
  key: string;
  limit: RateLimit;
  /** Tokens this call costs (default 1); must not exceed the capacity. */
  cost?: number;
}

export async function takeToken(pool: pg.Pool, input: TakeTokenInput): Promise<TakeResult> {
  assertUuid(input.tenantId, 'takeToken: tenantId');
  if (typeof input.key !== 'string' || input.key.length === 0) throw new TypeError('takeToken: key must be a non-empty string');
  const limit = RateLimitSchema.safeParse(input.limit);
  if (!limit.success) {
    throw new TypeError(`takeToken: limit is invalid: ${limit.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  const { capacity, refillPerSecond } = limit.data;
  const cost = input.cost ?? 1;
  if (!(cost > 0 && cost <= capacity)) throw new TypeError(`takeToken: cost must be > 0 and at most the capacity ${capacity} (got ${cost})`);

  // The conflict branch updates only when the refilled bucket can pay: a refused take leaves the row
  // as it was (its refill keeps accruing from the last grant) and returns no row.
  const granted = await pool.query<{ tokens: number }>(
    `INSERT INTO rate_limit_buckets AS b (tenant_id, key, tokens, refilled_at)
     VALUES ($1, $2, $3::float8 - $5::float8, clock_timestamp())
     ON CONFLICT (tenant_id, key) DO UPDATE SET
       tokens = ${REFILLED} - $5::float8,
       refilled_at = clock_timestamp()
     WHERE ${REFILLED} >= $5::float8
     RETURNING tokens`,
    [input.tenantId, input.key, capacity, refillPerSecond, cost],
  );
  const row = granted.rows[0];
  if (row) return { granted: true, remaining: row.tokens };
  // Only an estimate for the retry: other takers may drain or leave the bucket meanwhile.
  const { rows } = await pool.query<{ available: number }>(
    `SELECT ${REFILLED} AS available FROM rate_limit_buckets AS b WHERE b.tenant_id = $1 AND b.key = $2`,
    [input.tenantId, input.key, capacity, refillPerSecond],
  );
  const available = rows[0]?.available ?? 0;
  return { granted: false, retryAfterMs: Math.max(1, Math.ceil(((cost - available) / refillPerSecond) * 1000)) };
}
