import { z } from 'zod';
import { CanonicalId, Code, CurrencyCode, CustomFields, ExternalIds, IsoDateTime, NonNegativeAmount, text } from './common';

const Price = z.strictObject({
  currency: CurrencyCode,
  unitPrice: NonNegativeAmount,
});

export const ProductV1 = z
  .strictObject({
    id: CanonicalId,
    externalIds: ExternalIds.optional(),
    sku: Code.describe('Stock-keeping unit; the key sales lines use (NetSuite item, SAP material, BC item number).'),
    name: text(200),
    description: text(4000).optional(),
    type: z.enum(['inventory', 'non_inventory', 'service', 'subscription']),
    unitOfMeasure: Code.optional().describe('Sales unit, e.g. EA, H, KG.'),
    gtin: z
      .string()
      .regex(/^\d{8}$|^\d{12,14}$/, 'must be a GTIN of 8, 12, 13 or 14 digits')
      .optional(),
    prices: z.array(Price).max(200).optional().describe('List prices, at most one per currency.'),
    taxCode: Code.optional().describe("Tenant's default tax code for the product."),
    incomeAccount: Code.optional(),
    expenseAccount: Code.optional(),
    active: z.boolean(),
    customFields: CustomFields.optional(),
    updatedAt: IsoDateTime.optional(),
  })
  .superRefine((product, ctx) => {
    const seen = new Set<string>();
    (product.prices ?? []).forEach((price, index) => {
      if (seen.has(price.currency)) ctx.addIssue({ code: 'custom', path: ['prices', index, 'currency'], message: `repeats currency ${price.currency}` });
      seen.add(price.currency);
    });
  })
  .meta({ title: 'Product v1', description: 'An item or service the tenant sells or buys.' });
export type ProductV1 = z.infer<typeof ProductV1>;
