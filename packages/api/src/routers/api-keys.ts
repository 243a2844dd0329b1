import { z } from 'zod';
import { insertApiKey, isUniqueViolation, listApiKeys, recordAudit, revokeApiKey } from '@switchyard/db';
import { notFound } from '../errors';
import { actorOf } from '../security/actor';
import { API_KEY_SCOPES, generateApiKey } from '../security/api-keys';
import { tenantAdminProcedure, tenantProcedure } from '../trpc';

const createInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'choose at least one scope').max(API_KEY_SCOPES.length),
  /** Omitted: the key never expires (revoke it instead). */
  expiresAt: z.coerce.date().refine((d) => d.getTime() > Date.now(), 'must be in the future').optional(),
});

/** What the audit log keeps of a key: never the key or its hash. */
function auditView(key: { name: string; prefix: string; scopes: string[]; expiresAt: Date | null; revokedAt: Date | null }) {
  return { name: key.name, prefix: key.prefix, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null, revokedAt: key.revokedAt?.toISOString() ?? null };
}

/** What each scope allows, for the key form (the browser cannot import this package's node code). */
const SCOPE_DESCRIPTIONS: Record<(typeof API_KEY_SCOPES)[number], string> = {
  ingress: 'Start runs through webhook routes (POST /api/hooks/{tenant}/{path})',
  'runs:read': 'Read a run\'s status (GET /api/v1/runs/{id})',
  events: 'Deliver events and approval decisions to waiting runs (POST /api/events/{tenant})',
  status: 'Read runs\' status by business key (GET /api/v1/status/{key})',
};

export const apiKeysRouter = {
  scopes: tenantProcedure.query(() => API_KEY_SCOPES.map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] }))),

  /** Lists the tenant's keys: prefix, scopes and dates, never the key. */
  list: tenantProcedure.query(({ ctx }) => listApiKeys(ctx.db.prisma, ctx.tenant.id)),

  /** Creates a key and returns it this once; only its SHA-256 is stored. */
  create: tenantAdminProcedure.input(createInput).mutation(async ({ ctx, input }) => {
    const scopes = [...new Set(input.scopes)].sort();
    for (let attempt = 0; ; attempt += 1) {
      const generated = generateApiKey();
      try {
        const summary = await ctx.db.prisma.$transaction(async (tx) => {
          const row = await insertApiKey(tx, ctx.tenant.id, {
            name: input.name,
            prefix: generated.prefix,
            keyHash: generated.keyHash,
            scopes,
            expiresAt: input.expiresAt ?? null,
          });
          await recordAudit(tx, { tenantId: ctx.tenant.id, actor: actorOf(ctx), action: 'api_key.create', entityType: 'api_key', entityId: row.id, after: auditView(row) });
          return row;
        });
        return { ...summary, key: generated.key };
      } catch (error) {
        // A prefix collision (64 random bits) is retried once with a fresh key; anything else is real.
        if (isUniqueViolation(error) && attempt === 0) continue;
        throw error;
      }
    }
  }),

  revoke: tenantAdminProcedure.input(z.object({ id: z.guid('must be an API key id') })).mutation(async ({ ctx, input }) => {
    return ctx.db.prisma.$transaction(async (tx) => {
      const before = await tx.apiKey.findFirst({ where: { tenantId: ctx.tenant.id, id: input.id }, select: { name: true, prefix: true, scopes: true, expiresAt: true, revokedAt: true } });
      if (!before) throw notFound('API key', input.id);
      const after = await revokeApiKey(tx, ctx.tenant.id, input.id);
      if (!after) throw notFound('API key', input.id);
      if (!before.revokedAt) {
        await recordAudit(tx, { tenantId: ctx.tenant.id, actor: actorOf(ctx), action: 'api_key.revoke', entityType: 'api_key', entityId: input.id, before: auditView(before), after: auditView(after) });
      }
      return after;
    });
  }),
};
