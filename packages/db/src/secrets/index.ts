// Encryption of connection credentials at rest (AES-256-GCM, key outside the database).
export { decryptSecret, encryptSecret, SecretDecryptError, type SecretBinding } from './cipher';
export {
  defaultKeyFile,
  generateSecretKey,
  keyId,
  keyringOf,
  loadKeyFile,
  loadSecretKeyring,
  parseSecretKey,
  secretKeyFromBytes,
  SECRET_KEY_ENV,
  SECRET_KEY_FILE,
  SecretKeyError,
  type LoadKeyringOptions,
  type SecretKey,
  type SecretKeyring,
} from './key';
export { rotateSecrets, type RotateResult } from './rotate';
export { ENCRYPTED_COLUMNS, secretBindings, type EncryptedColumn } from './bindings';
