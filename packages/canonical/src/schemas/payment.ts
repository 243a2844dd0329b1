import { z } from 'zod';
import { compareDecimals, isDecimalString, sumDecimals } from '../decimal';
import { CanonicalId, checkCurrencyScale, Code, CurrencyCode, ExternalIds, IsoDate, PartyRef, PositiveDecimal, text } from './common';

const PaymentApplication = z.strictObject({
  invoiceNumber: text(40),
  invoiceId: CanonicalId.optional(),
  amount: PositiveDecimal,
});

export const PaymentV1 = z
  .strictObject({
    id: CanonicalId,
    externalIds: ExternalIds.optional(),
    number: text(40).optional(),
    customer: PartyRef,
    paymentDate: IsoDate,
    currency: CurrencyCode,
    amount: PositiveDecimal,
    method: z.enum(['card', 'bank_transfer', 'ach', 'sepa_debit', 'check', 'cash', 'other']),
    reference: text(100).optional().describe('Processor or bank reference.'),
    status: z.enum(['pending', 'completed', 'failed', 'refunded']),
    depositAccount: Code.optional().describe("Tenant's bank or undeposited-funds account code."),
    legalEntity: Code.optional(),
    applications: z.array(PaymentApplication).max(1000).describe('Invoices this payment settles; empty for a prepayment.'),
    memo: text(4000).optional(),
  })
  .superRefine((payment, ctx) => {
    checkCurrencyScale(ctx, payment.currency, ['amount'], payment.amount);
    payment.applications.forEach((a, i) => checkCurrencyScale(ctx, payment.currency, ['applications', i, 'amount'], a.amount));
    const applied = payment.applications.map((a) => a.amount);
    if (!isDecimalString(payment.amount) || !applied.every(isDecimalString)) return;
    // Partial application is normal (the rest stays unapplied credit); applying more than was paid is not.
    const total = sumDecimals(applied);
    if (compareDecimals(total, payment.amount) > 0) {
      ctx.addIssue({ code: 'custom', path: ['applications'], message: `apply ${total} in total, more than the payment amount ${payment.amount}` });
    }
  })
  .meta({ title: 'Payment v1', description: 'A customer payment and the invoices it is applied to.' });
export type PaymentV1 = z.infer<typeof PaymentV1>;
