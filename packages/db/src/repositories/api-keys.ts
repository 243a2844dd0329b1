import type pg from 'pg';
import { assertUuid } from '../sql';
import type { DbClient } from './client';

// API keys of a tenant. The key itself is never stored: rows hold its SHA-256 (computed by the API
// layer) and a unique public prefix that finds the row. Reads for lists never select the hash.

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

const summarySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  createdAt: true,
} as const;

export interface NewApiKeyRow {
  name: string;
  prefix: string;
  keyHash: string;
  scopes: string[];
  expiresAt: Date | null;
}

export function insertApiKey(db: DbClient, tenantId: string, row: NewApiKeyRow): Promise<ApiKeySummary> {
  return db.apiKey.create({ data: { tenantId, ...row }, select: summarySelect });
}

export function listApiKeys(db: DbClient, tenantId: string): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({ where: { tenantId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: summarySelect });
}

export function getApiKey(db: DbClient, tenantId: string, id: string): Promise<ApiKeySummary | null> {
  return db.apiKey.findFirst({ where: { tenantId, id }, select: summarySelect });
}

/** Sets revoked_at once; revoking a revoked key keeps the first time. Null when the key is not the tenant's. */
export async function revokeApiKey(db: DbClient, tenantId: string, id: string): Promise<ApiKeySummary | null> {
  await db.apiKey.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: new Date() } });
  return getApiKey(db, tenantId, id);
}

export interface ApiKeyCredential extends ApiKeySummary {
  tenantId: string;
  keyHash: string;
}

/**
 * For authentication only: the row a presented key's prefix names, with its hash. Not tenant-scoped
 * by design (a key is what tells us the tenant); the caller compares the hash and, where the request
 * names a tenant, checks that it is this key's.
 */
export function findApiKeyByPrefix(db: DbClient, prefix: string): Promise<ApiKeyCredential | null> {
  return db.apiKey.findUnique({ where: { prefix }, select: { ...summarySelect, tenantId: true, keyHash: true } });
}

/** Records use at most once a minute per key, so a busy client does not turn every request into a write. */
export async function touchApiKey(pool: pg.Pool, tenantId: string, id: string): Promise<void> {
  assertUuid(tenantId, 'touchApiKey: tenantId');
  assertUuid(id, 'touchApiKey: id');
  await pool.query(
    `UPDATE api_keys SET last_used_at = clock_timestamp()
     WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < clock_timestamp() - interval '1 minute')`,
    [tenantId, id],
  );
}
