import { z } from 'zod';
import {
  createStatusSubscription,
  deleteStatusSubscription,
  listStatusDeliveries,
  listStatusSubscriptions,
  redeliverStatusDelivery,
  setStatusSubscriptionActive,
  type CreateSubscriptionResult,
} from '@switchyard/db';
import { TRPCError } from '@trpc/server';
import { notFound } from '../../errors';
import { generateWebhookSecret } from '../../ingress/signature';
import { auditedPrisma } from '../../security/audited';
import { serverKeyring } from '../../security/keyring';
import { operatorProcedure, tenantAdminProcedure, tenantProcedure } from '../../trpc';

/** Statuses a subscription can filter on; `dead_lettered` matches a failed run that was dead-lettered. */
export const SUBSCRIBABLE_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'compensated', 'compensation_failed', 'dead_lettered'] as const;

const createInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  url: z
    .string()
    .trim()
    .url('must be an absolute URL')
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL'),
  workflowIds: z.array(z.guid('must be a workflow id')).max(100).default([]),
  statuses: z.array(z.enum(SUBSCRIBABLE_STATUSES)).max(SUBSCRIBABLE_STATUSES.length).default([]),
});

/**
 * Status out: the tenant's subscriber endpoints for run status changes and their delivery log.
 * The signing secret is returned by `create` once and never again (it is stored encrypted).
 */
export const statusOutRouter = {
  subscriptions: tenantProcedure.query(({ ctx }) => listStatusSubscriptions(ctx.db.prisma, ctx.tenant.id)),

  create: tenantAdminProcedure.input(createInput).mutation(async ({ ctx, input }) => {
    if (input.workflowIds.length > 0) {
      const found = await ctx.db.prisma.workflow.count({ where: { tenantId: ctx.tenant.id, id: { in: input.workflowIds } } });
      if (found !== new Set(input.workflowIds).size) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'workflowIds: one or more ids are not workflows of this tenant' });
      }
    }
    const secret = generateWebhookSecret();
    const result = await auditedPrisma<CreateSubscriptionResult>(ctx, async (tx) => {
      const created = await createStatusSubscription(tx, serverKeyring(ctx.db), ctx.tenant.id, {
        name: input.name,
        url: input.url,
        workflowIds: [...new Set(input.workflowIds)],
        statuses: [...new Set(input.statuses)],
        secret,
      });
      if (created.status !== 'created') return { result: created, audit: null };
      const { subscription: s } = created;
      return {
        result: created,
        audit: { action: 'status_subscription.create', entityType: 'status_subscription', entityId: s.id, after: { name: s.name, url: s.url, workflowIds: s.workflowIds, statuses: s.statuses } },
      };
    });
    if (result.status === 'name_taken') throw new TRPCError({ code: 'CONFLICT', message: `name: a subscription named ${JSON.stringify(input.name)} already exists` });
    const { subscription } = result;
    return { subscription, secret };
  }),

  setActive: tenantAdminProcedure.input(z.object({ id: z.guid(), active: z.boolean() })).mutation(async ({ ctx, input }) => {
    const changed = await auditedPrisma(ctx, async (tx) => {
      const ok = await setStatusSubscriptionActive(tx, ctx.tenant.id, input.id, input.active);
      return { result: ok, audit: ok ? { action: 'status_subscription.set_active', entityType: 'status_subscription', entityId: input.id, after: { active: input.active } } : null };
    });
    if (!changed) throw notFound('Status subscription', input.id);
    return { id: input.id, active: input.active };
  }),

  delete: tenantAdminProcedure.input(z.object({ id: z.guid() })).mutation(async ({ ctx, input }) => {
    const deleted = await auditedPrisma(ctx, async (tx) => {
      const before = await tx.statusSubscription.findFirst({ where: { tenantId: ctx.tenant.id, id: input.id }, select: { name: true, url: true, workflowIds: true, statuses: true, active: true } });
      const ok = before !== null && (await deleteStatusSubscription(tx, ctx.tenant.id, input.id));
      return { result: ok, audit: ok ? { action: 'status_subscription.delete', entityType: 'status_subscription', entityId: input.id, before } : null };
    });
    if (!deleted) throw notFound('Status subscription', input.id);
    return { id: input.id };
  }),

  deliveries: tenantProcedure
    .input(z.object({ subscriptionId: z.guid().optional(), runId: z.guid().optional(), limit: z.number().int().min(1).max(200).optional() }).default({}))
    .query(({ ctx, input }) => listStatusDeliveries(ctx.db.prisma, ctx.tenant.id, input)),

  redeliver: operatorProcedure.input(z.object({ id: z.guid() })).mutation(async ({ ctx, input }) => {
    if (!(await redeliverStatusDelivery(ctx.db.prisma, ctx.tenant.id, input.id))) throw notFound('Status delivery', input.id);
    return { id: input.id, state: 'pending' as const };
  }),
};
