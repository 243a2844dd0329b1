import { z } from 'zod';
import {
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

const VendorBillLine = z
  .strictObject({
    lineNumber: LineNumber,
    sku: Code.optional().describe('Item bought; leave out for expense lines.'),
    description: text(1000),
    quantity: PositiveQuantity,
    unitPrice: NonNegativeAmount,
    discountAmount: NonNegativeAmount.optional(),
    amount: Amount,
    taxCode: Code.optional(),
    account: Code.optional().describe("Tenant's expense account code; required for lines without sku."),
    purchaseOrderLine: LineNumber.optional().describe('Matching purchase-order line, for three-way match.'),
  })
  .refine((line) => line.sku !== undefined || line.account !== undefined, {
    message: 'must have a sku (item line) or an account (expense line)',
  });

export const VendorBillV1 = z
  .strictObject({
    id: CanonicalId,
    externalIds: ExternalIds.optional(),
    number: text(40).describe("The supplier's invoice number."),
    supplier: PartyRef,
    purchaseOrderNumber: text(40).optional(),
    billDate: IsoDate,
    dueDate: IsoDate,
    currency: CurrencyCode,
    legalEntity: Code.optional(),
    paymentTerms: Code.optional(),
    status: z.enum(['draft', 'open', 'approved', 'paid', 'void']),
    lines: z.array(VendorBillLine).min(1, 'must have at least one line').max(5000),
    subtotal: Amount,
    taxAmount: NonNegativeAmount,
    total: Amount,
    memo: text(4000).optional(),
    customFields: CustomFields.optional(),
  })
  .superRefine((bill, ctx) => {
    checkPricedLines(ctx, bill.currency, bill.lines);
    for (const field of ['subtotal', 'taxAmount', 'total'] as const) checkCurrencyScale(ctx, bill.currency, [field], bill[field]);
    checkSum(ctx, ['subtotal'], bill.subtotal, bill.lines.map((l) => l.amount), 'the sum of line amounts');
    checkSum(ctx, ['total'], bill.total, [bill.subtotal, bill.taxAmount], 'subtotal + taxAmount');
    checkDateOrder(ctx, bill.billDate, bill.dueDate, ['dueDate'], 'must not be before billDate');
  })
  .meta({ title: 'Vendor bill v1', description: "A supplier's invoice to the tenant (accounts payable)." });
export type VendorBillV1 = z.infer<typeof VendorBillV1>;
