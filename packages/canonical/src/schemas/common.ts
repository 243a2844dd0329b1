import { z } from 'zod';
import { CURRENCY_CODES, currencyMinorUnits } from '../currencies';
import {
  compareDecimals,
  distanceInUnits,
  DECIMAL_PATTERN,
  fractionDigits,
  isDecimalString,
  multiplyDecimals,
  NON_NEGATIVE_DECIMAL_PATTERN,
  roundDecimal,
  subtractDecimals,
  sumDecimals,
} from '../decimal';

/**
 * Building blocks shared by the canonical objects. Amounts are decimal strings (see decimal.ts for
 * why), dates ISO 8601, currencies ISO 4217, countries ISO 3166-1 alpha-2. Codes that differ per
 * tenant and ERP (accounts, tax codes, legal entities, payment terms) are the tenant's own codes;
 * mappings translate them through the tenant's lookup tables.
 */

export const CanonicalId = z
  .string()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'may contain only letters, digits, "-" and "_" (it is sent to ERPs as an external id)')
  .describe('Stable identifier given by the system the object originated in; sent to ERPs as their external id.');

export const ExternalIds = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case system name such as "netsuite" or "business-central"'),
    z.string().min(1, 'must not be empty').max(128),
  )
  .describe('Identifiers of this object in other systems, keyed by system (netsuite, business-central, sap, workday, crm, …).');

/** A tenant-defined code (account, tax code, legal entity, payment terms, unit of measure, …). */
export const Code = z
  .string()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^(\S(.*\S)?)?$/, 'must not start or end with spaces');

export function text(max: number) {
  return z.string().min(1, 'must not be empty').max(max);
}

export const CurrencyCode = z
  .enum(CURRENCY_CODES, { error: 'must be an ISO 4217 currency code in circulation, such as "USD" or "EUR"' })
  .describe('ISO 4217 currency code.');

export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as "US" or "DE"')
  .describe('ISO 3166-1 alpha-2 country code.');

export const IsoDate = z.iso.date({ error: 'must be an ISO 8601 date (YYYY-MM-DD)' });
export const IsoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:30:00Z' });

export const Amount = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a decimal string such as "1234.50", not a number') })
  .regex(DECIMAL_PATTERN, 'must be a decimal string such as "1234.50" (at most 15 integer and 6 fraction digits)')
  .describe('Decimal string, e.g. "1234.50".');

export const NonNegativeAmount = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a decimal string such as "1234.50", not a number') })
  .regex(NON_NEGATIVE_DECIMAL_PATTERN, 'must be a non-negative decimal string such as "1234.50" (at most 6 fraction digits)')
  .describe('Non-negative decimal string, e.g. "1234.50".');

// Format errors are reported by the regex; zod still runs later checks, so these pass malformed input.
export const PositiveDecimal = NonNegativeAmount.refine((v) => !isDecimalString(v) || compareDecimals(v, '0') > 0, 'must be greater than 0').describe(
  'Positive decimal string, e.g. "2" or "2.5".',
);
export const PositiveQuantity = PositiveDecimal;

export const Percent = NonNegativeAmount.refine((v) => !isDecimalString(v) || compareDecimals(v, '100') <= 0, 'must be a percentage between 0 and 100').describe(
  'Percentage as a decimal string, e.g. "19" or "8.875".',
);

export const LineNumber = z.number().int().min(1).max(99_999).describe('1-based position of the line in the document.');

export const Address = z
  .strictObject({
    line1: text(200),
    line2: text(200).optional(),
    line3: text(200).optional(),
    city: text(100),
    region: text(100).optional().describe('State, province or county, as used in postal addresses.'),
    postalCode: text(20).optional(),
    country: CountryCode,
  })
  .describe('Postal address.');

export const PartyRef = z
  .strictObject({
    id: CanonicalId.optional(),
    number: text(40).optional().describe('The party number users see (e.g. the ERP customer number).'),
    name: text(200).optional(),
    externalIds: ExternalIds.optional(),
  })
  .refine((p) => p.id !== undefined || p.number !== undefined || Object.keys(p.externalIds ?? {}).length > 0, {
    message: 'must identify the party by id, number or externalIds',
  })
  .describe('Reference to a customer or supplier.');

export const CustomFields = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier (letters, digits, "_")'),
    z.union([z.string().max(4000), z.number(), z.boolean(), z.null()]),
  )
  .describe('Tenant-specific scalar fields, mapped to ERP custom fields by tenant overrides.');

export type RefinementCtx = z.RefinementCtx;
type Path = (string | number)[];

/** Amounts in the document currency must not carry more decimals than its minor unit (JPY "10.5" is wrong). */
export function checkCurrencyScale(ctx: RefinementCtx, currency: string, path: Path, value: string | undefined): void {
  if (!isDecimalString(value)) return;
  const places = currencyMinorUnits(currency);
  if (places !== undefined && fractionDigits(value) > places) {
    ctx.addIssue({ code: 'custom', path, message: `has more than ${places} decimal places, the minor unit of ${currency}` });
  }
}

export interface PricedLine {
  lineNumber: number;
  quantity: string;
  unitPrice: string;
  discountAmount?: string | undefined;
  amount: string;
}

/**
 * Line amounts are net of discount and exclusive of tax: quantity × unit price − discount, rounded to
 * the currency. One minor unit of slack absorbs the rounding-mode differences between source systems
 * (half-up versus half-even); anything further off is a data error worth stopping.
 */
export function checkPricedLines(ctx: RefinementCtx, currency: string, lines: readonly PricedLine[]): void {
  const places = currencyMinorUnits(currency) ?? 2;
  const seen = new Set<number>();
  lines.forEach((line, index) => {
    if (seen.has(line.lineNumber)) ctx.addIssue({ code: 'custom', path: ['lines', index, 'lineNumber'], message: `repeats line number ${line.lineNumber}` });
    seen.add(line.lineNumber);
    checkCurrencyScale(ctx, currency, ['lines', index, 'amount'], line.amount);
    checkCurrencyScale(ctx, currency, ['lines', index, 'discountAmount'], line.discountAmount);
    // Object refinements also run when a field only failed its format check; those are reported already.
    if (![line.quantity, line.unitPrice, line.amount, line.discountAmount ?? '0'].every(isDecimalString)) return;
    const gross = multiplyDecimals(line.quantity, line.unitPrice);
    const expected = roundDecimal(subtractDecimals(gross, line.discountAmount ?? '0'), places);
    if (distanceInUnits(expected, line.amount, places) > 1n) {
      const discount = line.discountAmount ? ` − ${line.discountAmount}` : '';
      ctx.addIssue({
        code: 'custom',
        path: ['lines', index, 'amount'],
        message: `must equal quantity × unit price${discount ? ' − discount' : ''} (${line.quantity} × ${line.unitPrice}${discount} = ${expected}), got ${line.amount}`,
      });
    }
  });
}

/** `path` must equal the exact sum of `parts`; `what` names the parts in the message. */
export function checkSum(ctx: RefinementCtx, path: Path, actual: string, parts: readonly string[], what: string): void {
  if (!isDecimalString(actual) || !parts.every(isDecimalString)) return;
  const expected = sumDecimals(parts);
  if (compareDecimals(actual, expected) !== 0) {
    ctx.addIssue({ code: 'custom', path, message: `must equal ${what} (${expected}), got ${actual}` });
  }
}

export function checkDateOrder(ctx: RefinementCtx, earlier: string, later: string | undefined, path: Path, message: string): void {
  if (later !== undefined && later < earlier) ctx.addIssue({ code: 'custom', path, message });
}
