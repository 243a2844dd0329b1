import { randomUUID } from 'node:crypto';
import type { ConnectionResolver, ResolvedConnection } from '@switchyard/workflow';
import { decryptSecret, encryptSecret } from '../secrets/cipher';
import type { SecretKeyring } from '../secrets/key';
import { assertUuid, json, type SqlClient } from '../sql';

// A tenant's connections to ERPs and APIs. Every query has the tenant in its `where`; credentials are
// written encrypted (bound to tenant and connection id) and only `resolveConnection` hands them out,
// to the worker's executors. Everything the API reads goes through `ConnectionSummary`, which carries
// the names of the credential fields that are set and never their values.

export interface ConnectionSummary {
  id: string;
  name: string;
  system: string;
  baseUrl: string;
  config: Record<string, unknown>;
  /** Names of the credential fields holding a value. */
  credentialFields: string[];
  /** Set when this process's key cannot open the credentials (key rotated elsewhere, wrong key). */
  credentialsError?: string;
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewConnection {
  name: string;
  system: string;
  baseUrl: string;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

export type ConnectionChanges = Partial<NewConnection>;

export type ConnectionWriteResult =
  | { status: 'saved'; connection: ConnectionSummary }
  | { status: 'name_taken' }
  | { status: 'not_found' };

interface Row {
  id: string;
  tenant_id: string;
  name: string;
  system: string;
  base_url: string;
  config: Record<string, unknown>;
  encrypted_credentials: Buffer;
  key_id: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, tenant_id, name, system, base_url, config, encrypted_credentials, key_id, created_at, updated_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function openCredentials(keyring: SecretKeyring, row: Row): Record<string, unknown> {
  const value = decryptSecret(keyring, row.key_id, { tenantId: row.tenant_id, connectionId: row.id }, row.encrypted_credentials);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function summarize(keyring: SecretKeyring, row: Row): ConnectionSummary {
  const summary: ConnectionSummary = {
    id: row.id,
    name: row.name,
    system: row.system,
    baseUrl: row.base_url,
    config: row.config ?? {},
    credentialFields: [],
    keyId: row.key_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  try {
    const credentials = openCredentials(keyring, row);
    summary.credentialFields = Object.keys(credentials)
      .filter((k) => credentials[k] !== undefined && credentials[k] !== null && credentials[k] !== '')
      .sort();
  } catch (err) {
    summary.credentialsError = err instanceof Error ? err.message : String(err);
  }
  return summary;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

export async function listConnections(pool: SqlClient, keyring: SecretKeyring, tenantId: string): Promise<ConnectionSummary[]> {
  assertUuid(tenantId, 'listConnections: tenantId');
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM connections WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
  return rows.map((row) => summarize(keyring, row));
}

export async function getConnection(pool: SqlClient, keyring: SecretKeyring, tenantId: string, id: string): Promise<ConnectionSummary | null> {
  assertUuid(tenantId, 'getConnection: tenantId');
  assertUuid(id, 'getConnection: id');
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM connections WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return rows[0] ? summarize(keyring, rows[0]) : null;
}

export async function createConnection(pool: SqlClient, keyring: SecretKeyring, tenantId: string, input: NewConnection): Promise<ConnectionWriteResult> {
  assertUuid(tenantId, 'createConnection: tenantId');
  // The id is chosen here because it is part of the ciphertext's associated data.
  const id = randomUUID();
  const blob = encryptSecret(keyring.current, { tenantId, connectionId: id }, input.credentials);
  try {
    const { rows } = await pool.query<Row>(
      `INSERT INTO connections (id, tenant_id, name, system, base_url, config, encrypted_credentials, key_id, created_at, updated_at)
       SELECT $2, t.id, $3, $4, $5, $6::jsonb, $7, $8, now(), now() FROM tenants t WHERE t.id = $1
       RETURNING ${COLUMNS}`,
      [tenantId, id, input.name, input.system, input.baseUrl, json(input.config), blob, keyring.current.id],
    );
    return rows[0] ? { status: 'saved', connection: summarize(keyring, rows[0]) } : { status: 'not_found' };
  } catch (err) {
    if (isUniqueViolation(err)) return { status: 'name_taken' };
    throw err;
  }
}

/** Changes the given parts; `credentials`, when given, replaces the stored set (callers merge first). */
export async function updateConnection(
  pool: SqlClient,
  keyring: SecretKeyring,
  tenantId: string,
  id: string,
  changes: ConnectionChanges,
): Promise<ConnectionWriteResult> {
  assertUuid(tenantId, 'updateConnection: tenantId');
  assertUuid(id, 'updateConnection: id');
  const blob = changes.credentials === undefined ? null : encryptSecret(keyring.current, { tenantId, connectionId: id }, changes.credentials);
  try {
    const { rows } = await pool.query<Row>(
      `UPDATE connections SET
         name = COALESCE($3, name),
         system = COALESCE($4, system),
         base_url = COALESCE($5, base_url),
         config = COALESCE($6::jsonb, config),
         encrypted_credentials = COALESCE($7, encrypted_credentials),
         key_id = CASE WHEN $7::bytea IS NULL THEN key_id ELSE $8 END,
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2
       RETURNING ${COLUMNS}`,
      [tenantId, id, changes.name ?? null, changes.system ?? null, changes.baseUrl ?? null, json(changes.config), blob, keyring.current.id],
    );
    return rows[0] ? { status: 'saved', connection: summarize(keyring, rows[0]) } : { status: 'not_found' };
  } catch (err) {
    if (isUniqueViolation(err)) return { status: 'name_taken' };
    throw err;
  }
}

export async function deleteConnection(pool: SqlClient, tenantId: string, id: string): Promise<boolean> {
  assertUuid(tenantId, 'deleteConnection: tenantId');
  assertUuid(id, 'deleteConnection: id');
  const { rowCount } = await pool.query(`DELETE FROM connections WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return (rowCount ?? 0) > 0;
}

/**
 * A connection with its decrypted credentials, by id or by name, within the tenant. For executors
 * (through `connectionResolver`) and the connection test; never for API responses.
 */
export async function resolveConnection(pool: SqlClient, keyring: SecretKeyring, tenantId: string, idOrName: string): Promise<ResolvedConnection | null> {
  assertUuid(tenantId, 'resolveConnection: tenantId');
  const byId = UUID.test(idOrName);
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM connections WHERE tenant_id = $1 AND ${byId ? 'id = $2::uuid' : 'name = $2'}`, [tenantId, idOrName]);
  const row = rows[0];
  if (!row) return null;
  return { id: row.id, name: row.name, kind: row.system, baseUrl: row.base_url, config: row.config ?? {}, credentials: openCredentials(keyring, row) };
}

/** What the worker gives `withConnections`: a resolver bound to each step's tenant. */
export function connectionResolver(pool: SqlClient, keyring: SecretKeyring): (tenantId: string) => ConnectionResolver {
  return (tenantId) => ({ get: (idOrName) => resolveConnection(pool, keyring, tenantId, idOrName) });
}
