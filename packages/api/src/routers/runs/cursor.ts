import { TRPCError } from '@trpc/server';
import type { RunKey } from '@switchyard/db';

/**
 * Opaque to clients (base64url of the last row's created_at and id) so the ordering key can change
 * without breaking the contract; clients only pass back what they were given.
 */
export function encodeRunCursor(key: RunKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeRunCursor(cursor: string): RunKey {
  const invalid = (why: string) =>
    new TRPCError({ code: 'BAD_REQUEST', message: `cursor: not a cursor returned by runs.list (${why}); start again without it` });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not encoded JSON');
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid('wrong shape');
  const [at, id] = decoded as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalid('wrong fields');
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime())) throw invalid('bad timestamp');
  return { createdAt, id };
}
