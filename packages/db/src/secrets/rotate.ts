import type pg from 'pg';
import { inTransaction } from '../sql';
import { decryptSecret, encryptSecret } from './cipher';
import { keyringOf, type SecretKey } from './key';

export interface RotateResult {
  /** Rows re-encrypted with the new key. */
  rotated: number;
  newKeyId: string;
}

/**
 * Re-encrypts every connection's credentials from `oldKey` to `newKey` in one transaction: either
 * every row moves to the new key or none does (a row the old key cannot open aborts the rotation,
 * naming the connection). Rows already under the new key are checked and rewritten with a fresh IV.
 * Rows are locked while this runs, so no write under the old key can slip in between.
 */
export async function rotateSecrets(pool: pg.Pool, oldKey: SecretKey, newKey: SecretKey): Promise<RotateResult> {
  const keyring = keyringOf(oldKey, newKey);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; tenant_id: string; key_id: string; encrypted_credentials: Buffer }>(
      `SELECT id, tenant_id, key_id, encrypted_credentials FROM connections ORDER BY id FOR UPDATE`,
    );
    for (const row of rows) {
      const binding = { tenantId: row.tenant_id, connectionId: row.id };
      const plain = decryptSecret(keyring, row.key_id, binding, row.encrypted_credentials);
      await client.query(`UPDATE connections SET encrypted_credentials = $3, key_id = $4 WHERE id = $1 AND tenant_id = $2`, [
        row.id,
        row.tenant_id,
        encryptSecret(newKey, binding, plain),
        newKey.id,
      ]);
    }
    return { rotated: rows.length, newKeyId: newKey.id };
  });
}
