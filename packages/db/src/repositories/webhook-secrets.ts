import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client';
import { secretBindings } from '../secrets/bindings';
import { decryptSecret, encryptSecret } from '../secrets/cipher';
import type { SecretKeyring } from '../secrets/key';
import { assertUuid } from '../sql';
import type { DbClient } from './client';

// Standard Webhooks signing secrets per workflow route, encrypted at rest like connection
// credentials (bound to tenant and secret id, so a row copied to another tenant will not open), and
// the accepted message ids that make each delivery count once.

/** How many secrets verify at once: the newest and, while a rotation is in progress, the previous one. */
export const LIVE_WEBHOOK_SECRETS = 2;

export interface WebhookSecretSummary {
  id: string;
  createdAt: Date;
  keyId: string;
}

// The same binding key rotation uses (secrets/bindings.ts).
const binding = secretBindings.webhookSecret;

/**
 * The ciphertext of a new secret with the binding `openWebhookSecrets` expects, for callers that write
 * the row inside a larger transaction of their own (tenant onboarding's go-live).
 */
export function sealWebhookSecret(keyring: SecretKeyring, tenantId: string, secretId: string, secret: string): { encryptedSecret: Uint8Array<ArrayBuffer>; keyId: string } {
  return { encryptedSecret: new Uint8Array(encryptSecret(keyring.current, binding(tenantId, secretId), secret)), keyId: keyring.current.id };
}

/**
 * Stores a new secret (the caller generated it) as the newest one and drops all but the newest
 * LIVE_WEBHOOK_SECRETS, in one transaction so concurrent rotations cannot leave three live.
 */
export async function addWebhookSecret(
  prisma: PrismaClient,
  keyring: SecretKeyring,
  input: { tenantId: string; workflowId: string; secret: string },
  /** Runs inside the same transaction (the audit entry). */
  afterWrite?: (tx: DbClient, created: { id: string }) => Promise<void>,
): Promise<WebhookSecretSummary> {
  const id = randomUUID();
  const run = async (tx: DbClient) => {
    const created = await tx.webhookSecret.create({
      data: {
        id,
        tenantId: input.tenantId,
        workflowId: input.workflowId,
        encryptedSecret: new Uint8Array(encryptSecret(keyring.current, binding(input.tenantId, id), input.secret)),
        keyId: keyring.current.id,
      },
      select: { id: true, createdAt: true, keyId: true },
    });
    const keep = await tx.webhookSecret.findMany({
      where: { tenantId: input.tenantId, workflowId: input.workflowId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: LIVE_WEBHOOK_SECRETS,
      select: { id: true },
    });
    // The row just created is always kept, even if clocks made another look newer.
    const keepIds = [...new Set([id, ...keep.map((k) => k.id)])].slice(0, LIVE_WEBHOOK_SECRETS);
    await tx.webhookSecret.deleteMany({ where: { tenantId: input.tenantId, workflowId: input.workflowId, id: { notIn: keepIds } } });
    await afterWrite?.(tx, created);
    return created;
  };
  return prisma.$transaction(run);
}

/** Newest first, without the secrets. */
export function listWebhookSecrets(db: DbClient, tenantId: string, workflowId: string): Promise<WebhookSecretSummary[]> {
  return db.webhookSecret.findMany({
    where: { tenantId, workflowId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, createdAt: true, keyId: true },
  });
}

/** Ends a rotation: every secret but the newest stops verifying. Returns how many were removed. */
export async function revokeOldWebhookSecrets(db: DbClient, tenantId: string, workflowId: string): Promise<number> {
  const newest = await db.webhookSecret.findFirst({
    where: { tenantId, workflowId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  if (!newest) return 0;
  const { count } = await db.webhookSecret.deleteMany({ where: { tenantId, workflowId, id: { not: newest.id } } });
  return count;
}

/**
 * The live secrets in clear, newest first, for verifying a delivery. Empty when the route is unsigned.
 * The keyring may be passed lazily: an unsigned route (the demo's) then needs no secret key at all.
 */
export async function openWebhookSecrets(
  db: DbClient,
  keyringOrLoader: SecretKeyring | (() => SecretKeyring),
  tenantId: string,
  workflowId: string,
): Promise<string[]> {
  return (await openWebhookSecretsWithIds(db, keyringOrLoader, tenantId, workflowId)).map((s) => s.secret);
}

/** As openWebhookSecrets, with each secret's id (ingress caches them and has the enqueue check the ids still hold). */
export async function openWebhookSecretsWithIds(
  db: DbClient,
  keyringOrLoader: SecretKeyring | (() => SecretKeyring),
  tenantId: string,
  workflowId: string,
): Promise<{ id: string; secret: string }[]> {
  const rows = await db.webhookSecret.findMany({
    where: { tenantId, workflowId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: LIVE_WEBHOOK_SECRETS,
    select: { id: true, keyId: true, encryptedSecret: true },
  });
  if (rows.length === 0) return [];
  const keyring = typeof keyringOrLoader === 'function' ? keyringOrLoader() : keyringOrLoader;
  return rows.map((row) => {
    const value = decryptSecret(keyring, row.keyId, binding(tenantId, row.id), row.encryptedSecret);
    if (typeof value !== 'string') throw new TypeError(`webhook secret ${row.id} does not hold a string`);
    return { id: row.id, secret: value };
  });
}

/** True when the route has a signing secret, i.e. deliveries must be signed (or carry an ingress key). */
export async function webhookRequiresAuth(db: DbClient, tenantId: string, workflowId: string): Promise<boolean> {
  return (await db.webhookSecret.count({ where: { tenantId, workflowId } })) > 0;
}

/**
 * Claims a message id for a tenant × route: true the first time, false for a replay. The primary key
 * settles concurrent deliveries of the same id.
 */
export async function claimWebhookDelivery(pool: pg.Pool, tenantId: string, workflowId: string, messageId: string): Promise<boolean> {
  assertUuid(tenantId, 'claimWebhookDelivery: tenantId');
  assertUuid(workflowId, 'claimWebhookDelivery: workflowId');
  const { rowCount } = await pool.query(
    `INSERT INTO webhook_deliveries (tenant_id, workflow_id, message_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [tenantId, workflowId, messageId],
  );
  return rowCount === 1;
}

/** Forgets message ids received before `before` (older deliveries fail the timestamp check anyway). */
export async function purgeWebhookDeliveries(pool: pg.Pool, before: Date): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM webhook_deliveries WHERE received_at < $1`, [before]);
  return rowCount ?? 0;
}
