import type pg from 'pg';
import { inTransaction } from '../sql';
import { ENCRYPTED_COLUMNS } from './bindings';
import { decryptSecret, encryptSecret, SecretDecryptError } from './cipher';
import { keyringOf, type SecretKey } from './key';

export interface RotateResult {
  /** Rows re-encrypted with the new key, over every encrypted column. */
  rotated: number;
  /** The same count per `table.column`, so an operator sees what was covered. */
  byColumn: Record<string, number>;
  newKeyId: string;
}

/**
 * Re-encrypts every secret at rest (connection credentials, webhook signing secrets, status-out
 * signing secrets, onboarding-draft credentials: `ENCRYPTED_COLUMNS`) from `oldKey` to `newKey` in
 * one transaction: either every row moves to the new key or none does (a row the old key cannot
 * open aborts the rotation, naming the table and row). Rows already under the new key are checked
 * and rewritten with a fresh IV. Rows are locked while this runs, so no write under the old key can
 * slip in between.
 */
export async function rotateSecrets(pool: pg.Pool, oldKey: SecretKey, newKey: SecretKey): Promise<RotateResult> {
  const keyring = keyringOf(oldKey, newKey);
  return inTransaction(pool, async (client) => {
    // Rotation covers every tenant: under forced row-level security a connection that is neither
    // superuser nor in the platform scope would see no rows and "rotate" nothing.
    await client.query(`SELECT set_config('app.scope', 'platform', true), set_config('app.platform_reason', 'secret-rotation', true)`);
    const byColumn: Record<string, number> = {};
    let rotated = 0;
    for (const target of ENCRYPTED_COLUMNS) {
      const tenantColumn = target.table === 'onboarding_drafts' ? 'NULL::uuid' : 'tenant_id';
      const { rows } = await client.query<{ id: string; tenant_id: string | null; key_id: string; blob: Buffer }>(
        `SELECT id, ${tenantColumn} AS tenant_id, key_id, ${target.column} AS blob FROM ${target.table}
          WHERE ${target.column} IS NOT NULL ORDER BY id FOR UPDATE`,
      );
      for (const row of rows) {
        const binding = target.binding(row);
        let plain: unknown;
        try {
          plain = decryptSecret(keyring, row.key_id, binding, row.blob);
        } catch (err) {
          // The cipher's message speaks of "connection"; say which table the row is in (never its content).
          if (err instanceof SecretDecryptError) throw new SecretDecryptError(`${target.table} row ${row.id}: ${err.message}`);
          throw err;
        }
        await client.query(`UPDATE ${target.table} SET ${target.column} = $2, key_id = $3 WHERE id = $1`, [row.id, encryptSecret(newKey, binding, plain), newKey.id]);
      }
      byColumn[`${target.table}.${target.column}`] = rows.length;
      rotated += rows.length;
    }
    return { rotated, byColumn, newKeyId: newKey.id };
  });
}
