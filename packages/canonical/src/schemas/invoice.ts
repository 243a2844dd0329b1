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
  NonNegativeAmount,
  PartyRef,
  Percent,
  text,
} from './common';
import { SalesLineV1 } from './sales-order';

/** Header fields both invoice versions share. */
const invoiceHeader = {
  id: CanonicalId,
  externalIds: ExternalIds.optional(),
  number: text(40).describe('Invoice number; the idempotency key when upserting into an ERP.'),
  customer: PartyRef,
  salesOrderNumber: text(40).optional(),
  customerPurchaseOrder: text(40).optional(),
  issueDate: IsoDate,
  dueDate: IsoDate,
  currency: CurrencyCode,
  legalEntity: Code.optional().describe("Tenant's code for the invoicing legal entity."),
  paymentTerms: Code.optional(),
  status: z.enum(['draft', 'open', 'paid', 'void']),
  billingAddress: Address.optional(),
  subtotal: Amount.describe('Sum of line amounts (net, before tax).'),
  total: Amount,
  memo: text(4000).optional(),
  customFields: CustomFields.optional(),
};

/** v1: one tax amount for the whole invoice; lines carry at most a tax code. */
export const InvoiceV1 = z
  .strictObject({
    ...invoiceHeader,
    lines: z.array(SalesLineV1).min(1, 'must have at least one line').max(5000),
    taxAmount: NonNegativeAmount.describe('Total tax of the invoice.'),
  })
  .superRefine((invoice, ctx) => {
    checkPricedLines(ctx, invoice.currency, invoice.lines);
    for (const field of ['subtotal', 'taxAmount', 'total'] as const) checkCurrencyScale(ctx, invoice.currency, [field], invoice[field]);
    checkSum(ctx, ['subtotal'], invoice.subtotal, invoice.lines.map((l) => l.amount), 'the sum of line amounts');
    checkSum(ctx, ['total'], invoice.total, [invoice.subtotal, invoice.taxAmount], 'subtotal + taxAmount');
    checkDateOrder(ctx, invoice.issueDate, invoice.dueDate, ['dueDate'], 'must not be before issueDate');
  })
  .meta({ title: 'Invoice v1', description: 'A customer invoice with a single tax amount.' });
export type InvoiceV1 = z.infer<typeof InvoiceV1>;

export const LineTax = z.strictObject({
  taxCode: Code.describe("Tenant's tax code, e.g. VAT19 or US-CA-STATE."),
  rate: Percent.optional(),
  taxableAmount: Amount.describe('The base the tax was computed on.'),
  amount: Amount.describe('The tax on this line for this code.'),
});
export type LineTax = z.infer<typeof LineTax>;

const { taxCode: _v1TaxCode, ...v1LineShape } = SalesLineV1.shape;

export const InvoiceLineV2 = z.strictObject({
  ...v1LineShape,
  taxes: z.array(LineTax).max(20).describe('Per-line tax breakdown; empty for untaxed lines.'),
});
export type InvoiceLineV2 = z.infer<typeof InvoiceLineV2>;

/**
 * v2: tax moves from one header amount to a breakdown per line (code, rate, base, amount), which is
 * what VAT reporting, US sales tax by jurisdiction and NetSuite SuiteTax need. `taxTotal` replaces
 * `taxAmount` and must equal the sum of the line taxes. Migrate v1 data with migrateCanonical.
 */
export const InvoiceV2 = z
  .strictObject({
    ...invoiceHeader,
    lines: z.array(InvoiceLineV2).min(1, 'must have at least one line').max(5000),
    taxTotal: Amount.describe('Sum of all line taxes.'),
  })
  .superRefine((invoice, ctx) => {
    checkPricedLines(ctx, invoice.currency, invoice.lines);
    for (const field of ['subtotal', 'taxTotal', 'total'] as const) checkCurrencyScale(ctx, invoice.currency, [field], invoice[field]);
    invoice.lines.forEach((line, index) =>
      line.taxes.forEach((tax, taxIndex) => checkCurrencyScale(ctx, invoice.currency, ['lines', index, 'taxes', taxIndex, 'amount'], tax.amount)),
    );
    checkSum(ctx, ['subtotal'], invoice.subtotal, invoice.lines.map((l) => l.amount), 'the sum of line amounts');
    checkSum(ctx, ['taxTotal'], invoice.taxTotal, invoice.lines.flatMap((l) => l.taxes.map((t) => t.amount)), 'the sum of line taxes');
    checkSum(ctx, ['total'], invoice.total, [invoice.subtotal, invoice.taxTotal], 'subtotal + taxTotal');
    checkDateOrder(ctx, invoice.issueDate, invoice.dueDate, ['dueDate'], 'must not be before issueDate');
  })
  .meta({ title: 'Invoice v2', description: 'A customer invoice with a tax breakdown per line.' });
export type InvoiceV2 = z.infer<typeof InvoiceV2>;
