import { z } from 'zod';
import type { RecordData } from '../core/record-store';
import { boError, crud, getOne, present, send, type BoCtx, type ResourceDef } from './common';

const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like USD');
const minor = z.number().int('amounts are integers in minor units (cents)');
const common = { externalId: z.string().min(1).max(255).optional(), metadata: z.record(z.string(), z.string()).optional() };

export const charges: ResourceDef = {
  kind: 'charges',
  object: 'charge',
  idPrefix: 'ch',
  createSchema: z.object({
    customerId: z.string().min(1),
    amount: minor.positive(),
    currency,
    description: z.string().optional(),
    period: z.string().optional(),
    ...common,
  }),
  filters: ['customerId', 'externalId', 'status', 'currency', 'period'],
  prepare: (_ctx, data) => ({ data: { ...data, status: 'succeeded' } }),
};

export const invoices: ResourceDef = {
  kind: 'invoices',
  object: 'invoice',
  idPrefix: 'in',
  createSchema: z.object({
    customerId: z.string().min(1),
    currency,
    dueDate: z.iso.date().optional(),
    lines: z.array(z.object({ description: z.string().min(1), quantity: z.number().int().positive().default(1), unitAmount: minor.nonnegative() })).min(1),
    ...common,
  }),
  filters: ['customerId', 'externalId', 'status', 'currency'],
  prepare: (ctx, data) => {
    const lines = (data.lines as Array<{ quantity: number; unitAmount: number }>).map((l) => ({ ...l, amount: l.quantity * l.unitAmount }));
    const total = lines.reduce((s, l) => s + l.amount, 0);
    const number = `INV-${String(ctx.kit.store.nextSequence(ctx.account, 'invoiceNumber', 1)).padStart(6, '0')}`;
    return { data: { ...data, number, lines, total, amountPaid: 0, amountDue: total, status: total === 0 ? 'paid' : 'open' } };
  },
};

export const payments: ResourceDef = {
  kind: 'payments',
  object: 'payment',
  idPrefix: 'py',
  createSchema: z.object({
    invoiceId: z.string().min(1),
    amount: minor.positive(),
    currency,
    method: z.enum(['card', 'bank_transfer', 'direct_debit', 'check']).default('card'),
    ...common,
  }),
  filters: ['invoiceId', 'externalId', 'status'],
  prepare: (ctx, data) => {
    const invoice = ctx.kit.store.get(ctx.account, 'invoices', String(data.invoiceId));
    if (!invoice) return { error: boError(400, 'invalid_request_error', 'resource_missing', `No such invoice: '${String(data.invoiceId)}'`, 'invoiceId') };
    const inv = invoice.data;
    if (inv.status === 'void')
      return { error: boError(409, 'invalid_request_error', 'invoice_void', `Invoice ${invoice.id} is void and cannot be paid.`, 'invoiceId') };
    if (data.currency !== inv.currency)
      return {
        error: boError(
          400,
          'invalid_request_error',
          'currency_mismatch',
          `Payment currency ${String(data.currency)} does not match invoice currency ${String(inv.currency)}.`,
          'currency',
        ),
      };
    const due = Number(inv.amountDue);
    if (Number(data.amount) > due)
      return { error: boError(400, 'invalid_request_error', 'amount_too_large', `Amount ${String(data.amount)} exceeds the amount due (${due}).`, 'amount') };
    const paid = Number(inv.amountPaid) + Number(data.amount);
    const updated: RecordData = { ...inv, amountPaid: paid, amountDue: Number(inv.total) - paid, status: paid >= Number(inv.total) ? 'paid' : 'open' };
    ctx.kit.store.replace(ctx.account, 'invoices', invoice.id, updated);
    return { data: { ...data, status: 'succeeded' } };
  },
};

/** `/billing/v1/{charges|invoices|payments}[/{id}]` plus `POST /billing/v1/invoices/{id}/void`. */
export function handleBilling(ctx: BoCtx, rest: string[]): void {
  const [collection, id, action, extra] = rest;
  const def = collection === 'charges' ? charges : collection === 'invoices' ? invoices : collection === 'payments' ? payments : undefined;
  if (!def || extra !== undefined)
    return send(ctx.res, boError(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL: ${ctx.req.url.pathname}`));
  if (action === undefined) return crud(ctx, { ...def, updateSchema: undefined }, id);
  if (def !== invoices || action !== 'void' || ctx.req.method !== 'POST')
    return send(ctx.res, boError(404, 'invalid_request_error', 'unknown_path', `Unrecognized request URL: ${ctx.req.url.pathname}`));
  const rec = getOne(ctx, def, id as string);
  if (!rec) return;
  if (rec.data.status === 'paid')
    return send(ctx.res, boError(409, 'invalid_request_error', 'invoice_paid', `Invoice ${rec.id} is paid and cannot be voided.`));
  const saved = ctx.kit.store.replace(ctx.account, def.kind, rec.id, { ...rec.data, status: 'void', amountDue: 0 });
  if (saved) ctx.res.send(200, present(def, saved));
}
