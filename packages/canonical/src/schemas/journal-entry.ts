import { z } from 'zod';
import { compareDecimals, isDecimalString, sumDecimals } from '../decimal';
import {
  CanonicalId,
  checkCurrencyScale,
  checkDateOrder,
  Code,
  CurrencyCode,
  CustomFields,
  ExternalIds,
  IsoDate,
  LineNumber,
  NonNegativeAmount,
  PositiveDecimal,
  text,
} from './common';

const JournalLine = z
  .strictObject({
    lineNumber: LineNumber,
    account: Code.describe("Tenant's general-ledger account code."),
    debit: NonNegativeAmount.optional(),
    credit: NonNegativeAmount.optional(),
    memo: text(500).optional(),
    costCenter: Code.optional(),
    department: Code.optional(),
    location: Code.optional(),
    project: Code.optional(),
  })
  .superRefine((line, ctx) => {
    const positive = (v: string | undefined) => v !== undefined && isDecimalString(v) && compareDecimals(v, '0') > 0;
    // One side per line is what every ERP posts; a line with both is two lines written as one.
    if (positive(line.debit) === positive(line.credit)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must have either a debit or a credit greater than 0, not both or neither' });
    }
  });

export const JournalEntryV1 = z
  .strictObject({
    id: CanonicalId,
    externalIds: ExternalIds.optional(),
    number: text(40).optional(),
    postingDate: IsoDate,
    documentDate: IsoDate.optional(),
    reversalDate: IsoDate.optional().describe('When set, the ERP reverses the entry on this date (accruals).'),
    currency: CurrencyCode,
    exchangeRate: PositiveDecimal.optional().describe('Units of the legal entity currency per unit of `currency`.'),
    legalEntity: Code.describe("Tenant's code for the legal entity the entry posts to."),
    source: text(100).optional().describe('The process that produced the entry, e.g. "billing" or "payroll".'),
    memo: text(500).optional(),
    lines: z.array(JournalLine).min(2, 'must have at least two lines').max(10_000),
    customFields: CustomFields.optional(),
  })
  .superRefine((entry, ctx) => {
    const debits: string[] = [];
    const credits: string[] = [];
    const seen = new Set<number>();
    entry.lines.forEach((line, index) => {
      if (seen.has(line.lineNumber)) ctx.addIssue({ code: 'custom', path: ['lines', index, 'lineNumber'], message: `repeats line number ${line.lineNumber}` });
      seen.add(line.lineNumber);
      checkCurrencyScale(ctx, entry.currency, ['lines', index, 'debit'], line.debit);
      checkCurrencyScale(ctx, entry.currency, ['lines', index, 'credit'], line.credit);
      if (line.debit !== undefined) debits.push(line.debit);
      if (line.credit !== undefined) credits.push(line.credit);
    });
    // With fewer than two lines the count is the problem, not the balance.
    if (entry.lines.length >= 2 && [...debits, ...credits].every(isDecimalString)) {
      const debit = sumDecimals(debits);
      const credit = sumDecimals(credits);
      if (compareDecimals(debit, credit) !== 0) {
        ctx.addIssue({ code: 'custom', path: ['lines'], message: `are not balanced: debits ${debit}, credits ${credit}` });
      }
    }
    checkDateOrder(ctx, entry.postingDate, entry.reversalDate, ['reversalDate'], 'must not be before postingDate');
  })
  .meta({ title: 'Journal entry v1', description: 'A balanced general-ledger posting.' });
export type JournalEntryV1 = z.infer<typeof JournalEntryV1>;
