import { z } from 'zod';
import {
  createStatusSubscription,
  deleteStatusSubscription,
  listStatusDeliveries,
  listStatusSubscriptions,
  recordAudit,
  redeliverStatusDelivery,
  setStatusSubscriptionActive,
} from '@switchyard/db';
import { TRPCError } from '@trpc/server';
import { notFound } from '../../errors';
import { generateWebhookSecret } from '../../ingress/signature';
import { actorOf } from '../../security/actor';
import { serverKeyring } from '../../security/keyring';
import { tenantProcedure } from '../../trpc';

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

  create: tenantProcedure.input(createInput).mutation(async ({ ctx, input }) => {
    if (input.workflowIds.length > 0) {
      const found = await ctx.db.prisma.workflow.count({ where: { tenantId: ctx.tenant.id, id: { in: input.workflowIds } } });
      if (found !== new Set(input.workflowIds).size) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'workflowIds: one or more ids are not workflows of this tenant' });
      }
    }
    const secret = generateWebhookSecret();
    const result = await createStatusSubscription(ctx.db.prisma, serverKeyring(ctx.db), ctx.tenant.id, {
      name: input.name,
      url: input.url,
      workflowIds: [...new Set(input.workflowIds)],
      statuses: [...new Set(input.statuses)],
      secret,
    });
    if (result.status === 'name_taken') throw new TRPCError({ code: 'CONFLICT', message: `name: a subscription named ${JSON.stringify(input.name)} already exists` });
    const { subscription } = result;
    await recordAudit(ctx.db.prisma, {
      tenantId: ctx.tenant.id,
      actor: actorOf(ctx),
      action: 'status_subscription.create',
      entityType: 'status_subscription',
      entityId: subscription.id,
      after: { name: subscription.name, url: subscription.url, workflowIds: subscription.workflowIds, statuses: subscription.statuses },
    });
    return { subscription, secret };
  }),

  setActive: tenantProcedure.input(z.object({ id: z.guid(), active: z.boolean() })).mutation(async ({ ctx, input }) => {
    if (!(await setStatusSubscriptionActive(ctx.db.prisma, ctx.tenant.id, input.id, input.active))) throw notFound('Status subscription', input.id);
    return { id: input.id, active: input.active };
  }),

  delete: tenantProcedure.input(z.object({ id: z.guid() })).mutation(async ({ ctx, input }) => {
    if (!(await deleteStatusSubscription(ctx.db.prisma, ctx.tenant.id, input.id))) throw notFound('Status subscription', input.id);
    await recordAudit(ctx.db.prisma, { tenantId: ctx.tenant.id, actor: actorOf(ctx), action: 'status_subscription.delete', entityType: 'status_subscription', entityId: input.id });
    return { id: input.id };
  }),

  deliveries: tenantProcedure
    .input(z.object({ subscriptionId: z.guid().optional(), runId: z.guid().optional(), limit: z.number().int().min(1).max(200).optional() }).default({}))
    .query(({ ctx, input }) => listStatusDeliveries(ctx.db.prisma, ctx.tenant.id, input)),

  redeliver: tenantProcedure.input(z.object({ id: z.guid() })).mutation(async ({ ctx, input }) => {
    if (!(await redeliverStatusDelivery(ctx.db.prisma, ctx.tenant.id, input.id))) throw notFound('Status delivery', input.id);
    return { id: input.id, state: 'pending' as const };
  }),
};
