import { z } from 'zod';
import { boError, crud, newId, present, readBody, send, type BoCtx, type Prepared, type ResourceDef } from './common';

const external = { externalId: z.string().min(1).max(255).optional() };
const accountFields = {
  name: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().optional(),
  status: z.enum(['prospect', 'active', 'churned']).optional(),
  paymentStatus: z.enum(['current', 'overdue', 'paid']).optional(),
  industry: z.string().optional(),
};

export const accounts: ResourceDef = {
  kind: 'accounts',
  object: 'account',
  idPrefix: 'acc',
  createSchema: z.object({ ...accountFields, ...external }),
  updateSchema: z.object(accountFields).partial(),
  filters: ['externalId', 'status', 'paymentStatus'],
  prepare: (_ctx, data) => ({ data: { status: 'active', ...data } }),
};

const requireAccount = (ctx: BoCtx, id: unknown): Prepared | undefined =>
  ctx.kit.store.get(ctx.account, 'accounts', String(id))
    ? undefined
    : { error: boError(400, 'invalid_request_error', 'resource_missing', `No such account: '${String(id)}'`, 'accountId') };

const stage = z.enum(['prospecting', 'proposal', 'negotiation', 'closed_won', 'closed_lost']);
export const opportunities: ResourceDef = {
  kind: 'opportunities',
  object: 'opportunity',
  idPrefix: 'opp',
  createSchema: z.object({
    accountId: z.string().min(1),
    name: z.string().min(1),
    amount: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    stage: stage.default('prospecting'),
    closeDate: z.iso.date().optional(),
    ...external,
  }),
  updateSchema: z.object({ name: z.string().min(1), amount: z.number().int().nonnegative(), stage, closeDate: z.iso.date() }).partial(),
  filters: ['accountId', 'stage', 'externalId'],
  prepare: (ctx, data) => requireAccount(ctx, data.accountId) ?? { data },
};

export const statusUpdates: ResourceDef = {
  kind: 'statusUpdates',
  object: 'status_update',
  idPrefix: 'su',
  createSchema: z.object({
    accountId: z.string().min(1),
    status: z.string().min(1),
    subject: z.string().optional(),
    note: z.string().optional(),
    relatedObject: z.object({ type: z.string().min(1), id: z.string().min(1) }).optional(),
    ...external,
  }),
  filters: ['accountId', 'status', 'externalId'],
  prepare: (ctx, data) => requireAccount(ctx, data.accountId) ?? { data },
};

/**
 * `/crm/v1/{accounts|opportunities|status-updates}[/{id}]` and the upsert
 * `PATCH /crm/v1/accounts/by-external-id/{externalId}` (201 when created, 200 when updated).
 */
export function handleCrm(ctx: BoCtx, rest: string[]): void {
  const [collection, id, ext, extra] = rest;
  const def =
    collection === 'accounts' ? accounts : collection === 'opportunities' ? opportunities : collection === 'status-updates' ? statusUpdates : undefined;
  if (!def || extra !== undefined)
    return send(ctx.res, boError(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL: ${ctx.req.url.pathname}`));
  if (def === statusUpdates && id !== undefined && ctx.req.method === 'PATCH')
    return send(ctx.res, boError(405, 'invalid_request_error', 'method_not_allowed', 'Status updates cannot be changed.'));
  if (id !== 'by-external-id')
    return ext === undefined
      ? crud(ctx, def, id)
      : send(ctx.res, boError(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL: ${ctx.req.url.pathname}`));
  if (def !== accounts || ext === undefined || ctx.req.method !== 'PATCH')
    return send(ctx.res, boError(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL: ${ctx.req.url.pathname}`));
  const existing = ctx.kit.store.find(ctx.account, 'accounts', (r) => r.data.externalId === ext);
  const body = readBody(ctx, existing ? (accounts.updateSchema as z.ZodType<Record<string, unknown>>) : z.object(accountFields));
  if (!body) return;
  if (existing) {
    const saved = ctx.kit.store.replace(ctx.account, 'accounts', existing.id, { ...existing.data, ...body });
    if (saved) ctx.res.send(200, present(accounts, saved));
    return;
  }
  const rec = ctx.kit.store.insert(ctx.account, 'accounts', newId(accounts.idPrefix), { status: 'active', ...body, externalId: ext });
  ctx.res.send(201, present(accounts, rec));
}
