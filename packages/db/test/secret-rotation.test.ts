import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addWebhookSecret,
  createConnection,
  createStatusSubscription,
  decryptSecret,
  ENCRYPTED_COLUMNS,
  encryptSecret,
  generateSecretKey,
  keyringOf,
  migrate,
  openDatabase,
  openStatusDeliverySecret,
  openWebhookSecrets,
  resolveConnection,
  rotateSecrets,
  secretBindings,
  type Database,
} from '../src/index';
import { repoRoot } from '../src/paths';
import { backends, publishWorkflow, type TestDatabase } from './support';

const PLANTED = 'planted-rotation-secret-51f0e2';

describe('the list of encrypted columns', () => {
  it('names every Bytes column of the schema, so rotation cannot forget one', () => {
    const schema = readFileSync(path.join(repoRoot(), 'prisma/schema.prisma'), 'utf8');
    const found: string[] = [];
    let table = '';
    for (const block of schema.split(/\nmodel /).slice(1)) {
      table = /@@map\("([^"]+)"\)/.exec(block)?.[1] ?? '';
      for (const m of block.matchAll(/^\s+\w+\s+Bytes\??\s+@map\("([^"]+)"\)/gm)) found.push(`${table}.${m[1]}`);
    }
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort()).toEqual(found.sort());
  });
});

describe.each(backends)('key rotation over every encrypted column on $name', (backend) => {
  let test: TestDatabase;
  let db: Database;
  const oldKey = generateSecretKey();
  const newKey = generateSecretKey();

  beforeAll(async () => {
    if (backend.skipReason) return;
    test = await backend.create();
    await migrate(test.url);
    db = await openDatabase({ url: test.url, kind: backend.name, poolMax: 4 });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await test?.teardown();
  });

  /** Key id of every encrypted row, per `table.column`. */
  async function keyIds(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const c of ENCRYPTED_COLUMNS) {
      const { rows } = await db.pool.query<{ key_id: string }>(`SELECT key_id FROM ${c.table} WHERE ${c.column} IS NOT NULL ORDER BY id`);
      out[`${c.table}.${c.column}`] = rows.map((r) => r.key_id);
    }
    return out;
  }

  it.skipIf(Boolean(backend.skipReason))('re-encrypts connections, webhook secrets, status-out secrets and onboarding drafts, all or nothing', async () => {
    const old = keyringOf(oldKey);
    const { tenantId, workflowId } = await publishWorkflow(db);
    const connection = await createConnection(db.pool, old, tenantId, { name: 'erp', system: 'rest', baseUrl: 'https://erp.example', config: {}, credentials: { token: PLANTED } });
    expect(connection.status).toBe('saved');
    await addWebhookSecret(db.prisma, old, { tenantId, workflowId, secret: `whsec_${PLANTED}` });
    const subscription = await createStatusSubscription(db.prisma, old, tenantId, { name: 'portal', url: 'https://portal.example/hook', workflowIds: [], statuses: [], secret: `whsec_status_${PLANTED}` });
    if (subscription.status !== 'created') throw new Error('subscription not created');
    const draft = await db.prisma.onboardingDraft.create({ data: {}, select: { id: true } });
    await db.prisma.onboardingDraft.update({
      where: { id: draft.id },
      data: { encryptedSecrets: new Uint8Array(encryptSecret(oldKey, secretBindings.onboardingDraft(draft.id), { erp: { password: PLANTED } })), keyId: oldKey.id },
    });
    // A draft without secrets stays without: nothing to rotate there.
    await db.prisma.onboardingDraft.create({ data: {}, select: { id: true } });

    const before = await keyIds();
    for (const ids of Object.values(before)) expect(ids).toEqual([oldKey.id]);

    const result = await rotateSecrets(db.pool, oldKey, newKey);
    expect(result).toEqual({
      rotated: 4,
      newKeyId: newKey.id,
      byColumn: {
        'connections.encrypted_credentials': 1,
        'webhook_secrets.encrypted_secret': 1,
        'status_subscriptions.encrypted_secret': 1,
        'onboarding_drafts.encrypted_secrets': 1,
      },
    });
    for (const ids of Object.values(await keyIds())) expect(ids).toEqual([newKey.id]);

    // Every reader opens its row with the new key alone, and no longer with the old one.
    const next = keyringOf(newKey);
    expect(await resolveConnection(db.pool, next, tenantId, 'erp')).toMatchObject({ credentials: { token: PLANTED } });
    expect(await openWebhookSecrets(db.prisma, next, tenantId, workflowId)).toEqual([`whsec_${PLANTED}`]);
    await expect(openWebhookSecrets(db.prisma, old, tenantId, workflowId)).rejects.toThrow(/which this process does not have/);
    const sub = await db.prisma.statusSubscription.findFirstOrThrow({ where: { id: subscription.subscription.id, tenantId }, select: { keyId: true, encryptedSecret: true } });
    expect(openStatusDeliverySecret(next, { tenantId, subscriptionId: subscription.subscription.id, keyId: sub.keyId, encryptedSecret: Buffer.from(sub.encryptedSecret) })).toBe(`whsec_status_${PLANTED}`);
    const row = await db.prisma.onboardingDraft.findUniqueOrThrow({ where: { id: draft.id } });
    expect(decryptSecret(next, row.keyId as string, secretBindings.onboardingDraft(draft.id), row.encryptedSecrets as Uint8Array)).toEqual({ erp: { password: PLANTED } });

    // A webhook secret under a key the rotation was not given: nothing moves, and the error names
    // the table and row but not the secret.
    const stray = generateSecretKey();
    await addWebhookSecret(db.prisma, keyringOf(stray), { tenantId, workflowId, secret: `whsec_stray_${PLANTED}` });
    const beforeFailure = await keyIds();
    const third = generateSecretKey();
    const failure = await rotateSecrets(db.pool, newKey, third).catch((err: unknown) => err as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^webhook_secrets row [0-9a-f-]{36}: .*which this process does not have/);
    expect((failure as Error).message).not.toContain(PLANTED);
    expect(await keyIds()).toEqual(beforeFailure);
    expect(await resolveConnection(db.pool, next, tenantId, 'erp')).toMatchObject({ credentials: { token: PLANTED } });
  });

  it.skipIf(Boolean(backend.skipReason))('sees every tenant under row-level security, also through the app role', async () => {
    const { tenantId } = await publishWorkflow(db);
    const saved = await createConnection(db.pool, keyringOf(oldKey), tenantId, { name: 'rls', system: 'rest', baseUrl: 'https://rls.example', config: {}, credentials: { token: PLANTED } });
    expect(saved.status).toBe('saved');
    // Leave only rows under oldKey so the rotation can open all of them.
    await db.pool.query(`DELETE FROM webhook_secrets`);
    await db.pool.query(`DELETE FROM connections WHERE key_id <> $1`, [oldKey.id]);
    await db.pool.query(`DELETE FROM status_subscriptions WHERE key_id <> $1`, [oldKey.id]);
    await db.pool.query(`UPDATE onboarding_drafts SET encrypted_secrets = NULL, key_id = NULL WHERE key_id <> $1`, [oldKey.id]);
    const app = await openDatabase({ url: test.url, kind: backend.name, poolMax: 2, role: 'app' });
    try {
      const result = await rotateSecrets(app.pool, oldKey, newKey);
      expect(result.byColumn['connections.encrypted_credentials']).toBe(1);
    } finally {
      await app.close();
    }
    expect(await resolveConnection(db.pool, keyringOf(newKey), tenantId, 'rls')).toMatchObject({ credentials: { token: PLANTED } });
  });
});
