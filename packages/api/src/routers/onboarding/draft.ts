import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { LOOKUP_TABLES } from '@switchyard/canonical';
import { decryptSecret, encryptSecret, secretBindings, toJsonValue, type PrismaClient, type SecretKeyring } from '@switchyard/db';

/**
 * The wizard's draft: what the admin entered per step, kept server side (table onboarding_drafts) so
 * the wizard can be left and resumed. Inputs are shaped loosely here (lengths only) and judged by
 * validate.ts, which names the field and says what is wrong in words; credentials are split off and
 * stored encrypted, bound to the draft id.
 */

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
export const draftId = z.guid('must be an onboarding draft id');

export const profileInput = z.object({
  name: text(120),
  slug: text(60),
  region: text(20),
  timeZone: text(60),
  baseCurrency: text(3),
});

export const connectionInput = z.object({
  /** `erp` for the ERP; other systems use their own slot (`back-office`, `rest`). */
  slot: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a short lower-case name'),
  system: text(40),
  name: text(100),
  baseUrl: text(500),
  config: z.record(z.string().max(60), z.unknown()).default({}),
  /** New values only: a blank or missing field keeps what was stored. Never returned. */
  credentials: z.record(z.string().max(60), z.string().max(4000)).default({}),
});

export const systemsInput = z.object({
  erp: text(40),
  connections: z.array(connectionInput).max(6),
});

export const mappingsInput = z.object({
  lookups: z.partialRecord(z.enum(LOOKUP_TABLES), z.record(z.string().max(64), z.string().max(128))),
});

export const policiesInput = z.object({
  /** Policy path (`retry.maxAttempts`, `rateLimits.*.capacity`) → overriding value. */
  overrides: z.record(z.string().max(80), z.number()),
});

export const workflowsInput = z.object({
  selected: z
    .array(z.object({ templateId: text(100), variables: z.record(z.string().max(60), z.unknown()).default({}) }))
    .max(8),
});

export type ProfileDraft = z.infer<typeof profileInput>;
export type ConnectionDraft = Omit<z.infer<typeof connectionInput>, 'credentials'>;
export type SystemsDraft = { erp: string; connections: ConnectionDraft[] };
export type MappingsDraft = z.infer<typeof mappingsInput>;
export type PoliciesDraft = z.infer<typeof policiesInput>;
export type WorkflowsDraft = z.infer<typeof workflowsInput>;

export interface DraftData {
  profile?: ProfileDraft;
  systems?: SystemsDraft;
  mappings?: MappingsDraft;
  policies?: PoliciesDraft;
  workflows?: WorkflowsDraft;
  /** On an edit draft only (set by the server): the stored connection behind each slot. */
  editing?: { connectionIds: Record<string, string> };
}

/** Credentials per connection slot. */
export type DraftSecrets = Record<string, Record<string, string>>;

export interface Draft {
  id: string;
  data: DraftData;
  step: number;
  tenantId: string | null;
  /** Set on a draft that edits a live tenant from its overview (tenant-edit.ts); it never goes live. */
  editsTenantId: string | null;
  secrets: DraftSecrets;
  updatedAt: Date;
}

// The same binding key rotation uses (packages/db/src/secrets/bindings.ts).
const binding = secretBindings.onboardingDraft;

export async function createDraft(prisma: PrismaClient, data: DraftData = {}, editsTenantId: string | null = null): Promise<string> {
  const row = await prisma.onboardingDraft.create({ data: { data: toJsonValue(data), editsTenantId }, select: { id: true } });
  return row.id;
}

export async function loadDraft(prisma: PrismaClient, keyring: SecretKeyring, id: string): Promise<Draft> {
  const row = await prisma.onboardingDraft.findUnique({ where: { id } });
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'This onboarding draft does not exist (it was discarded or never saved). Start a new one.' });
  let secrets: DraftSecrets = {};
  if (row.encryptedSecrets && row.keyId) {
    const value = decryptSecret(keyring, row.keyId, binding(row.id), Buffer.from(row.encryptedSecrets));
    if (value && typeof value === 'object') secrets = value as DraftSecrets;
  }
  return { id: row.id, data: (row.data ?? {}) as DraftData, step: row.step, tenantId: row.tenantId, editsTenantId: row.editsTenantId, secrets, updatedAt: row.updatedAt };
}

/** A draft that went live is a record of what was done: it cannot be edited any more. */
export function assertEditable(draft: Draft): void {
  if (draft.tenantId) throw new TRPCError({ code: 'CONFLICT', message: 'This onboarding is already live; edit the tenant from its overview page.' });
}

export async function saveDraft(prisma: PrismaClient, keyring: SecretKeyring, draft: Draft): Promise<void> {
  const hasSecrets = Object.values(draft.secrets).some((s) => Object.keys(s).length > 0);
  await prisma.onboardingDraft.update({
    where: { id: draft.id },
    data: {
      data: toJsonValue(draft.data),
      step: draft.step,
      encryptedSecrets: hasSecrets ? new Uint8Array(encryptSecret(keyring.current, binding(draft.id), draft.secrets)) : null,
      keyId: hasSecrets ? keyring.current.id : null,
      updatedAt: new Date(),
    },
  });
}

/** What the browser sees: the answers, and for credentials only which fields are set. */
export function publicDraft(draft: Draft, tenantSlug: string | null) {
  const credentialFields: Record<string, string[]> = {};
  for (const [slot, values] of Object.entries(draft.secrets)) credentialFields[slot] = Object.keys(values).filter((k) => values[k] !== '').sort();
  return { id: draft.id, step: draft.step, data: draft.data, credentialFields, tenantSlug, updatedAt: draft.updatedAt };
}
