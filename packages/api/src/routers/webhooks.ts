import { z } from 'zod';
import { addWebhookSecret, listWebhookSecrets, recordAudit, revokeOldWebhookSecrets, workflowExists } from '@switchyard/db';
import { auditedPrisma } from '../security/audited';
import { notFound } from '../errors';
import { generateWebhookSecret } from '../ingress/signature';
import { actorOf } from '../security/actor';
import { serverKeyring } from '../security/keyring';
import { tenantAdminProcedure, tenantProcedure } from '../trpc';

const byWorkflow = z.object({ workflowId: z.guid('must be a workflow id') });

export const webhooksRouter = {
  /** The route's live signing secrets (ids and dates only); signing is required when there is one. */
  secrets: tenantProcedure.input(byWorkflow).query(async ({ ctx, input }) => {
    if (!(await workflowExists(ctx.db.prisma, ctx.tenant.id, input.workflowId))) throw notFound('Workflow', input.workflowId);
    const secrets = await listWebhookSecrets(ctx.db.prisma, ctx.tenant.id, input.workflowId);
    return { signingRequired: secrets.length > 0, secrets };
  }),

  /**
   * Adds a new signing secret and returns it this once. The previous secret keeps verifying until
   * `revokeOldSecret`, so senders can switch over without dropped deliveries. The first call turns
   * signing on for the route.
   */
  rotateSecret: tenantAdminProcedure.input(byWorkflow).mutation(async ({ ctx, input }) => {
    if (!(await workflowExists(ctx.db.prisma, ctx.tenant.id, input.workflowId))) throw notFound('Workflow', input.workflowId);
    const secret = generateWebhookSecret();
    let live = 0;
    const created = await addWebhookSecret(ctx.db.prisma, serverKeyring(ctx.db), { tenantId: ctx.tenant.id, workflowId: input.workflowId, secret }, async (tx, row) => {
      live = (await listWebhookSecrets(tx, ctx.tenant.id, input.workflowId)).length;
      await recordAudit(tx, {
        tenantId: ctx.tenant.id,
        actor: actorOf(ctx),
        action: 'webhook_secret.rotate',
        entityType: 'workflow',
        entityId: input.workflowId,
        after: { secretId: row.id, liveSecrets: live },
      });
    });
    return { secretId: created.id, secret, liveSecrets: live };
  }),

  /** Ends a rotation: only the newest secret verifies from now on. */
  revokeOldSecret: tenantAdminProcedure.input(byWorkflow).mutation(async ({ ctx, input }) => {
    if (!(await workflowExists(ctx.db.prisma, ctx.tenant.id, input.workflowId))) throw notFound('Workflow', input.workflowId);
    const revoked = await auditedPrisma(ctx, async (tx) => {
      const count = await revokeOldWebhookSecrets(tx, ctx.tenant.id, input.workflowId);
      return {
        result: count,
        audit: count > 0 ? { action: 'webhook_secret.revoke_old', entityType: 'workflow', entityId: input.workflowId, after: { revoked: count } } : null,
      };
    });
    return { revoked };
  }),
};
