import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths';

/** A 256-bit AES key and its id: a fingerprint stored beside each ciphertext, never the key itself. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

/** The key new secrets are written with, plus older keys still accepted for reading (rotation in progress). */
export interface SecretKeyring {
  current: SecretKey;
  byId: ReadonlyMap<string, SecretKey>;
}

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

export const SECRET_KEY_ENV = 'SWITCHYARD_SECRET_KEY';
export const SECRET_KEY_FILE = 'secret.key';

export function keyId(key: Buffer): string {
  return `k1-${createHash('sha256').update('switchyard-secret-key-id\0').update(key).digest('hex').slice(0, 16)}`;
}

export function secretKeyFromBytes(key: Buffer): SecretKey {
  if (key.length !== 32) throw new SecretKeyError(`a secret key must be 32 bytes (256 bits), got ${key.length}`);
  return { id: keyId(key), key: Buffer.from(key) };
}

/** Parses one base64 key; the message names where it came from but never echoes it. */
export function parseSecretKey(base64: string, source = SECRET_KEY_ENV): SecretKey {
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new SecretKeyError(`${source} is not base64: generate a key with \`openssl rand -base64 32\``);
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== 32) throw new SecretKeyError(`${source} must decode to 32 bytes (a 256-bit key), got ${bytes.length}: generate one with \`openssl rand -base64 32\``);
  return secretKeyFromBytes(bytes);
}

export function generateSecretKey(): SecretKey {
  return secretKeyFromBytes(randomBytes(32));
}

export function keyringOf(current: SecretKey, ...previous: SecretKey[]): SecretKeyring {
  return { current, byId: new Map([current, ...previous].map((k) => [k.id, k])) };
}

/**
 * The embedded default's key: generated once and kept in `<data dir>/secret.key` (mode 0600), beside
 * the database files but not in the database, so a copy of the database alone does not reveal the
 * credentials. Created exclusively, so two processes starting together end up with the same key.
 */
export function loadKeyFile(file: string): SecretKey {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${generateSecretKey().key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    // Tighten rather than refuse: the file is ours, and a copy made with a loose umask is still ours.
    chmodSync(file, 0o600);
  }
  return parseSecretKey(readFileSync(file, 'utf8'), file);
}

export interface LoadKeyringOptions {
  env?: Record<string, string | undefined>;
  /** `pglite` (the embedded default) may fall back to the key file; PostgreSQL estates must set the variable. */
  databaseKind: 'pglite' | 'postgres';
}

export function defaultKeyFile(env: Record<string, string | undefined> = process.env): string {
  const root = env.SWITCHYARD_DATA_DIR?.trim() || path.join(repoRoot(), '.data');
  return path.join(path.resolve(root), SECRET_KEY_FILE);
}

/**
 * `SWITCHYARD_SECRET_KEY` (base64; several comma-separated while rotating: the first is current),
 * else, on the embedded database only, the key file. A PostgreSQL estate runs workers on several
 * machines, which must share one key, so there a missing variable is a configuration error.
 */
export function loadSecretKeyring(options: LoadKeyringOptions): SecretKeyring {
  const env = options.env ?? process.env;
  const raw = env[SECRET_KEY_ENV]?.trim();
  if (raw) {
    const keys = raw.split(',').map((part, i) => parseSecretKey(part, i === 0 ? SECRET_KEY_ENV : `${SECRET_KEY_ENV} (key ${i + 1})`));
    return keyringOf(keys[0] as SecretKey, ...keys.slice(1));
  }
  if (options.databaseKind === 'pglite') return keyringOf(loadKeyFile(defaultKeyFile(env)));
  throw new SecretKeyError(
    `${SECRET_KEY_ENV} is not set: connection credentials are encrypted with it. Generate one with \`openssl rand -base64 32\` and give every web and worker process the same value.`,
  );
}
