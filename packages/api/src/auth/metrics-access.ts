import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiDatabase } from '../trpc';
import { sessionUserOf } from './server-auth';

export const METRICS_TOKEN_ENV = 'SWITCHYARD_METRICS_TOKEN';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read /api/metrics (tenant-labelled figures): a scraper presenting
 * `Authorization: Bearer $SWITCHYARD_METRICS_TOKEN`, or a signed-in platform admin.
 */
export async function mayReadMetrics(db: Pick<ApiDatabase, 'pool' | 'kind'>, headers: Headers, env: Record<string, string | undefined> = process.env): Promise<boolean> {
  const token = env[METRICS_TOKEN_ENV]?.trim();
  const presented = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1]?.trim();
  // Hashing first gives equal lengths, so the comparison is constant-time whatever was sent.
  if (token && presented && timingSafeEqual(digest(token), digest(presented))) return true;
  const user = await sessionUserOf(db, headers);
  return user?.platformAdmin === true;
}
