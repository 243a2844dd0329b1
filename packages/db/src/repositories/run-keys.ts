import type pg from 'pg';
import { insertRun, type EnqueueRunInput, type EnqueueRunResult } from '../dispatch';
import { inTransaction } from '../sql';

/** A run carries at most this many business keys, each at most MAX_BUSINESS_KEY_LENGTH characters. */
export const MAX_BUSINESS_KEYS = 20;
export const MAX_BUSINESS_KEY_LENGTH = 200;

/** Rejects keys the search could never match exactly (empty, too long, too many) with the field named. */
export function checkBusinessKeys(keys: readonly unknown[]): string[] {
  if (!Array.isArray(keys)) throw new TypeError('businessKeys must be an array of strings');
  if (keys.length > MAX_BUSINESS_KEYS) throw new TypeError(`businessKeys: at most ${MAX_BUSINESS_KEYS} keys (got ${keys.length})`);
  keys.forEach((key, i) => {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_BUSINESS_KEY_LENGTH) {
      throw new TypeError(`businessKeys[${i}] must be a string of 1 to ${MAX_BUSINESS_KEY_LENGTH} characters (got ${JSON.stringify(key)})`);
    }
  });
  return [...new Set(keys as string[])];
}

/**
 * enqueueRun plus the run's business keys, in one transaction: the run is announced (NOTIFY) only
 * at commit, so no worker or search sees it without its keys. An idempotent repeat (created: false)
 * leaves the existing run's keys alone.
 *
 * The keys are written by an UPDATE of the row just inserted because dispatch.ts's INSERT has no
 * column for them yet; adding `business_keys` to that INSERT would save the second row version.
 */
export async function enqueueRunWithKeys(pool: pg.Pool, input: EnqueueRunInput, businessKeys: readonly string[]): Promise<EnqueueRunResult> {
  const keys = checkBusinessKeys(businessKeys);
  return inTransaction(pool, async (client) => {
    const result = await insertRun(client, input);
    if (result.created && keys.length > 0) {
      await client.query('UPDATE runs SET business_keys = $3::text[] WHERE id = $1 AND tenant_id = $2', [result.runId, input.tenantId, keys]);
    }
    return result;
  });
}
