import { z } from 'zod';
import { Address, CanonicalId, Code, CurrencyCode, CustomFields, ExternalIds, IsoDateTime, NonNegativeAmount, text } from './common';

/** Fields customers and suppliers share: who they are, how to reach them, how they are paid. */
const partyFields = {
  id: CanonicalId,
  externalIds: ExternalIds.optional(),
  number: text(40).optional().describe('Party number users see; ERPs that number parties themselves may assign it.'),
  kind: z.enum(['company', 'individual']),
  name: text(200).describe('Display name.'),
  legalName: text(200).optional(),
  firstName: text(100).optional().describe('For individuals.'),
  lastName: text(100).optional().describe('For individuals; required when kind is "individual".'),
  email: z.email({ error: 'must be an e-mail address' }).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()./-]{4,40}$/, 'must be a phone number (digits, spaces and + ( ) . / -)')
    .optional(),
  website: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  taxId: text(40).optional().describe('VAT registration number, EIN or similar.'),
  currency: CurrencyCode.optional().describe('Default transaction currency.'),
  paymentTerms: Code.optional().describe("Tenant's payment-terms code, e.g. NET30."),
  legalEntity: Code.optional().describe("Tenant's code for the legal entity (subsidiary, company code) the party belongs to."),
  status: z.enum(['active', 'inactive']),
  customFields: CustomFields.optional(),
  createdAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime.optional(),
};

function requireLastNameForIndividuals(value: { kind: string; lastName?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.kind === 'individual' && value.lastName === undefined) {
    ctx.addIssue({ code: 'custom', path: ['lastName'], message: 'is required when kind is "individual"' });
  }
}

export const CustomerV1 = z
  .strictObject({
    ...partyFields,
    billingAddress: Address.optional(),
    shippingAddress: Address.optional(),
    receivablesAccount: Code.optional().describe("Tenant's account code for accounts receivable."),
    creditLimit: NonNegativeAmount.optional().describe('In the customer currency.'),
  })
  .superRefine(requireLastNameForIndividuals)
  .meta({ title: 'Customer v1', description: 'A party the tenant sells to.' });
export type CustomerV1 = z.infer<typeof CustomerV1>;

/** IBAN check digits (ISO 13616 mod-97), so a mistyped account is caught before it reaches a payment run. */
function validIban(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' && char <= 'Z' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const BankAccount = z
  .strictObject({
    accountHolder: text(200),
    bankName: text(200).optional(),
    iban: z
      .string()
      .regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/, 'must be an IBAN without spaces, e.g. DE89370400440532013000')
      .refine((v) => !/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v) || validIban(v), 'has wrong check digits')
      .optional(),
    bic: z
      .string()
      .regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC/SWIFT code of 8 or 11 characters')
      .optional(),
    accountNumber: text(34).optional(),
    routingNumber: text(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code').optional(),
  })
  .refine((b) => b.iban !== undefined || b.accountNumber !== undefined, { message: 'must have an iban or an accountNumber' });

export const SupplierV1 = z
  .strictObject({
    ...partyFields,
    remitToAddress: Address.optional(),
    payablesAccount: Code.optional().describe("Tenant's account code for accounts payable."),
    defaultExpenseAccount: Code.optional(),
    bankAccount: BankAccount.optional(),
  })
  .superRefine(requireLastNameForIndividuals)
  .meta({ title: 'Supplier v1', description: 'A party the tenant buys from (a vendor in NetSuite, a supplier in SAP and Workday).' });
export type SupplierV1 = z.infer<typeof SupplierV1>;
