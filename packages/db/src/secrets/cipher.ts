import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKey, SecretKeyring } from './key';

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a ciphertext belongs: bound into it as associated data, so a row copied elsewhere will not open. */
export interface SecretBinding {
  tenantId: string;
  connectionId: string;
}

export class SecretDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

function aad(binding: SecretBinding): Buffer {
  return Buffer.from(`switchyard/connection-credentials/v1\0${binding.tenantId}\0${binding.connectionId}`, 'utf8');
}

/** AES-256-GCM: `[format byte][12-byte IV][ciphertext][16-byte tag]`, a fresh random IV every time. */
export function encryptSecret(key: SecretKey, binding: SecretBinding, value: unknown): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(binding));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_V1]), iv, body, cipher.getAuthTag()]);
}

/**
 * Opens a ciphertext with the key that wrote it. Fails (without saying anything about the content)
 * when the key is unknown or wrong, the data was altered, or it belongs to another tenant or connection.
 */
export function decryptSecret(keyring: SecretKeyring, keyIdOfRow: string, binding: SecretBinding, blob: Uint8Array): unknown {
  const key = keyring.byId.get(keyIdOfRow);
  if (!key) {
    throw new SecretDecryptError(
      `credentials of connection ${binding.connectionId} were encrypted with key ${keyIdOfRow}, which this process does not have (current key ${keyring.current.id})`,
    );
  }
  const data = Buffer.from(blob);
  if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== FORMAT_V1) {
    throw new SecretDecryptError(`credentials of connection ${binding.connectionId} are not in a known format`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(binding));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    throw new SecretDecryptError(`credentials of connection ${binding.connectionId} could not be decrypted: wrong key, or the data does not belong to this tenant and connection`);
  }
}
