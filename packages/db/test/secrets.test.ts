import { mkdtemp, rm, stat, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnection,
  decryptSecret,
  encryptSecret,
  generateSecretKey,
  getConnection,
  keyringOf,
  listConnections,
  loadKeyFile,
  loadSecretKeyring,
  migrate,
  openDatabase,
  parseSecretKey,
  resolveConnection,
  rotateSecrets,
  connectionResolver,
  updateConnection,
  deleteConnection,
  getTenantMapping,
  listTenantMappings,
  saveTenantMapping,
  type Database,
} from '../src/index';
import { backends, type TestDatabase } from './support';

const binding = { tenantId: '11111111-1111-4111-8111-111111111111', connectionId: '22222222-2222-4222-8222-222222222222' };
const PLANTED = 'planted-secret-value-6a9d0c';

describe('AES-256-GCM credentials', () => {
  const key = generateSecretKey();
  const keyring = keyringOf(key);

  it('round-trips and never writes the plaintext', () => {
    const blob = encryptSecret(key, binding, { clientSecret: PLANTED });
    expect(blob.includes(Buffer.from(PLANTED))).toBe(false);
    expect(decryptSecret(keyring, key.id, binding, blob)).toEqual({ clientSecret: PLANTED });
    // A fresh IV every time: the same secret never gives the same ciphertext.
    expect(encryptSecret(key, binding, { clientSecret: PLANTED }).equals(blob)).toBe(false);
  });

  it('refuses another tenant or connection (associated data), another key, and altered bytes', () => {
    const blob = encryptSecret(key, binding, { clientSecret: PLANTED });
    expect(() => decryptSecret(keyring, key.id, { ...binding, tenantId: '33333333-3333-4333-8333-333333333333' }, blob)).toThrow(/could not be decrypted/);
    expect(() => decryptSecret(keyring, key.id, { ...binding, connectionId: '44444444-4444-4444-8444-444444444444' }, blob)).toThrow(/could not be decrypted/);
    const other = generateSecretKey();
    expect(() => decryptSecret(keyringOf(other), key.id, binding, blob)).toThrow(/which this process does not have/);
    expect(() => decryptSecret(keyringOf({ id: key.id, key: other.key }), key.id, binding, blob)).toThrow(/could not be decrypted/);
    const tampered = Buffer.from(blob);
    tampered[20] = (tampered[20] as number) ^ 1;
    expect(() => decryptSecret(keyring, key.id, binding, tampered)).toThrow(/could not be decrypted/);
    try {
      decryptSecret(keyring, key.id, { ...binding, tenantId: '33333333-3333-4333-8333-333333333333' }, blob);
    } catch (err) {
      expect((err as Error).message).not.toContain(PLANTED);
    }
  });

  it('reads the key from SWITCHYARD_SECRET_KEY, naming the variable (not the value) when it is wrong', () => {
    const b64 = key.key.toString('base64');
    expect(loadSecretKeyring({ env: { SWITCHYARD_SECRET_KEY: b64 }, databaseKind: 'postgres' }).current.id).toBe(key.id);
    const previous = generateSecretKey();
    const rotating = loadSecretKeyring({ env: { SWITCHYARD_SECRET_KEY: `${b64},${previous.key.toString('base64')}` }, databaseKind: 'postgres' });
    expect(rotating.current.id).toBe(key.id);
    expect(rotating.byId.has(previous.id)).toBe(true);
    expect(() => parseSecretKey('c2hvcnQ=')).toThrow('SWITCHYARD_SECRET_KEY must decode to 32 bytes (a 256-bit key), got 5');
    expect(() => parseSecretKey('not base64 at all!')).toThrow('SWITCHYARD_SECRET_KEY is not base64');
    expect(() => loadSecretKeyring({ env: {}, databaseKind: 'postgres' })).toThrow(/SWITCHYARD_SECRET_KEY is not set/);
  });

  describe('embedded key file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-key-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('is generated once outside the database, mode 0600, and read back by every process', async () => {
      const first = loadSecretKeyring({ env: { SWITCHYARD_DATA_DIR: dir }, databaseKind: 'pglite' });
      const second = loadSecretKeyring({ env: { SWITCHYARD_DATA_DIR: dir }, databaseKind: 'pglite' });
      expect(second.current.id).toBe(first.current.id);
      expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    });

    it('tightens a key file others can read', async () => {
      const file = path.join(dir, 'loose.key');
      await writeFile(file, `${generateSecretKey().key.toString('base64')}\n`);
      await chmod(file, 0o644);
      loadKeyFile(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });
  });
});

describe.each(backends)('connections and mappings on $name', (backend) => {
  let test: TestDatabase;
  let db: Database;
  let tenantId: string;
  let otherTenant: string;
  const key = generateSecretKey();
  const keyring = keyringOf(key);

  beforeAll(async () => {
    if (backend.skipReason) return;
    test = await backend.create();
    await migrate(test.url);
    db = await openDatabase({ url: test.url, kind: backend.name, poolMax: 4 });
    tenantId = (await db.prisma.tenant.create({ data: { slug: 'acme', name: 'Acme' }, select: { id: true } })).id;
    otherTenant = (await db.prisma.tenant.create({ data: { slug: 'globex', name: 'Globex' }, select: { id: true } })).id;
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await test?.teardown();
  });

  it.skipIf(Boolean(backend.skipReason))('stores credentials encrypted, lists only which fields are set, and scopes by tenant', async () => {
    const created = await createConnection(db.pool, keyring, tenantId, {
      name: 'netsuite-prod',
      system: 'netsuite',
      baseUrl: 'https://1234567.suitetalk.api.netsuite.com',
      config: { accountId: '1234567' },
      credentials: { consumerKey: 'ck-1', consumerSecret: PLANTED, tokenId: 'tk-1', tokenSecret: 'ts-1' },
    });
    expect(created.status).toBe('saved');
    if (created.status !== 'saved') return;
    const { id } = created.connection;
    expect(created.connection).toMatchObject({ name: 'netsuite-prod', credentialFields: ['consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret'], keyId: key.id });
    expect(JSON.stringify(created.connection)).not.toContain(PLANTED);

    const raw = await db.pool.query<{ encrypted_credentials: Buffer; row: string }>(`SELECT encrypted_credentials, row_to_json(c)::text AS row FROM connections c WHERE id = $1`, [id]);
    expect(raw.rows[0]?.encrypted_credentials.includes(Buffer.from(PLANTED))).toBe(false);
    expect(raw.rows[0]?.row).not.toContain(PLANTED);

    expect(await resolveConnection(db.pool, keyring, tenantId, 'netsuite-prod')).toMatchObject({ id, kind: 'netsuite', credentials: { consumerSecret: PLANTED } });
    expect(await connectionResolver(db.pool, keyring)(tenantId).get(id)).toMatchObject({ name: 'netsuite-prod' });
    // Another tenant sees nothing, by id or by name.
    expect(await resolveConnection(db.pool, keyring, otherTenant, id)).toBeNull();
    expect(await resolveConnection(db.pool, keyring, otherTenant, 'netsuite-prod')).toBeNull();
    expect(await getConnection(db.pool, keyring, otherTenant, id)).toBeNull();
    expect(await listConnections(db.pool, keyring, otherTenant)).toEqual([]);
    expect(await deleteConnection(db.pool, otherTenant, id)).toBe(false);

    // A row moved to another tenant by hand (or a restored backup) cannot be opened there.
    await db.pool.query(`UPDATE connections SET tenant_id = $2 WHERE id = $1`, [id, otherTenant]);
    await expect(resolveConnection(db.pool, keyring, otherTenant, id)).rejects.toThrow(/could not be decrypted/);
    expect((await listConnections(db.pool, keyring, otherTenant))[0]?.credentialsError).toMatch(/could not be decrypted/);
    await db.pool.query(`UPDATE connections SET tenant_id = $2 WHERE id = $1`, [id, tenantId]);

    expect(await createConnection(db.pool, keyring, tenantId, { name: 'netsuite-prod', system: 'netsuite', baseUrl: 'https://x', config: {}, credentials: {} })).toEqual({ status: 'name_taken' });
    const renamed = await updateConnection(db.pool, keyring, tenantId, id, { name: 'ns', credentials: { consumerKey: 'ck-2' } });
    expect(renamed).toMatchObject({ status: 'saved', connection: { name: 'ns', credentialFields: ['consumerKey'] } });
    expect(await deleteConnection(db.pool, tenantId, id)).toBe(true);
  });

  it.skipIf(Boolean(backend.skipReason))('rotates every row to a new key in one transaction, or none when one cannot be opened', async () => {
    const a = await createConnection(db.pool, keyring, tenantId, { name: 'rot-a', system: 'rest', baseUrl: 'https://a', config: {}, credentials: { token: PLANTED } });
    const b = await createConnection(db.pool, keyring, otherTenant, { name: 'rot-b', system: 'rest', baseUrl: 'https://b', config: {}, credentials: { token: 'other' } });
    expect(a.status === 'saved' && b.status === 'saved').toBe(true);
    const next = generateSecretKey();
    const result = await rotateSecrets(db.pool, key, next);
    expect(result.rotated).toBeGreaterThanOrEqual(2);
    const rotated = keyringOf(next);
    expect(await resolveConnection(db.pool, rotated, tenantId, 'rot-a')).toMatchObject({ credentials: { token: PLANTED } });
    await expect(resolveConnection(db.pool, keyring, tenantId, 'rot-a')).rejects.toThrow(/which this process does not have/);

    // A key that opens nothing: the rotation stops and leaves every row as it was.
    const stranger = generateSecretKey();
    await expect(rotateSecrets(db.pool, stranger, generateSecretKey())).rejects.toThrow(/does not have|could not be decrypted/);
    expect(await resolveConnection(db.pool, rotated, otherTenant, 'rot-b')).toMatchObject({ credentials: { token: 'other' } });
    await rotateSecrets(db.pool, next, key);
  });

  it.skipIf(Boolean(backend.skipReason))('versions mapping overlays per tenant and refuses a save that lost a race', async () => {
    const first = await saveTenantMapping(db.pool, tenantId, { erp: 'netsuite', object: 'invoice', overlay: { fieldOverrides: { memo: "'v1'" }, lookups: {} } });
    expect(first).toMatchObject({ status: 'saved', mapping: { version: 1 } });
    const second = await saveTenantMapping(db.pool, tenantId, { erp: 'netsuite', object: 'invoice', overlay: { fieldOverrides: {}, lookups: {} }, expectedVersion: 1, note: 'reset' });
    expect(second).toMatchObject({ status: 'saved', mapping: { version: 2, note: 'reset' } });
    expect(await saveTenantMapping(db.pool, tenantId, { erp: 'netsuite', object: 'invoice', overlay: {}, expectedVersion: 1 })).toEqual({ status: 'conflict', latestVersion: 2 });
    expect(await getTenantMapping(db.pool, tenantId, 'netsuite', 'invoice')).toMatchObject({ version: 2 });
    expect(await getTenantMapping(db.pool, tenantId, 'netsuite', 'invoice', 1)).toMatchObject({ version: 1, overlay: { fieldOverrides: { memo: "'v1'" } } });
    expect(await getTenantMapping(db.pool, otherTenant, 'netsuite', 'invoice')).toBeNull();
    expect(await listTenantMappings(db.pool, tenantId)).toMatchObject([{ erp: 'netsuite', object: 'invoice', latestVersion: 2 }]);
  });
});
