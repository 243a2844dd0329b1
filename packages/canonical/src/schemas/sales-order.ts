import { z } from 'zod';
import {
  Address,
  Amount,
  CanonicalId,
  checkCurrencyScale,
  checkDateOrder,
  checkPricedLines,
  checkSum,
  Code,
  CurrencyCode,
  CustomFields,
  ExternalIds,
  IsoDate,
  LineNumber,
  NonNegativeAmount,
  PartyRef,
  PositiveQuantity,
  text,
} from './common';

/** The priced line shared by sales orders and v1 invoices: net of discount, exclusive of tax. */
export const SalesLineV1 = z.strictObject({
  lineNumber: LineNumber,
  sku: Code,
  description: text(1000).optional(),
  quantity: PositiveQuantity,
  unitOfMeasure: Code.optional(),
  unitPrice: NonNegativeAmount,
  discountAmount: NonNegativeAmount.optional(),
  amount: Amount.describe('quantity × unitPrice − discountAmount, rounded to the currency; excludes tax.'),
  taxCode: Code.optional().describe("Tenant's tax code for the line."),
  account: Code.optional().describe("Tenant's revenue account code, when it should not come from the item."),
});

export const SalesOrderV1 = z
  .strictObject({
    id: CanonicalId,
    externalIds: ExternalIds.optional(),
    number: text(40).describe('Order number; the idempotency key when upserting into an ERP.'),
    customer: PartyRef,
    customerPurchaseOrder: text(40).optional(),
    orderDate: IsoDate,
    requestedDeliveryDate: IsoDate.optional(),
    currency: CurrencyCode,
    legalEntity: Code.optional().describe("Tenant's code for the selling legal entity."),
    paymentTerms: Code.optional(),
    status: z.enum(['draft', 'confirmed', 'partially_fulfilled', 'fulfilled', 'cancelled']),
    billingAddress: Address.optional(),
    shippingAddress: Address.optional(),
    lines: z.array(SalesLineV1).min(1, 'must have at least one line').max(5000),
    subtotal: Amount.describe('Sum of line amounts.'),
    taxAmount: NonNegativeAmount,
    total: Amount.describe('subtotal + taxAmount.'),
    memo: text(4000).optional(),
    customFields: CustomFields.optional(),
  })
  .superRefine((order, ctx) => {
    checkPricedLines(ctx, order.currency, order.lines);
    for (const field of ['subtotal', 'taxAmount', 'total'] as const) checkCurrencyScale(ctx, order.currency, [field], order[field]);
    checkSum(ctx, ['subtotal'], order.subtotal, order.lines.map((l) => l.amount), 'the sum of line amounts');
    checkSum(ctx, ['total'], order.total, [order.subtotal, order.taxAmount], 'subtotal + taxAmount');
    checkDateOrder(ctx, order.orderDate, order.requestedDeliveryDate, ['requestedDeliveryDate'], 'must not be before orderDate');
  })
  .meta({ title: 'Sales order v1', description: "A customer's order, priced and taxed." });
export type SalesOrderV1 = z.infer<typeof SalesOrderV1>;
