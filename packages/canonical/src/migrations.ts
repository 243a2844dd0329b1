import { currencyMinorUnits } from './currencies';
import { compareDecimals, formatDecimal, parseDecimal, roundDecimal } from './decimal';
import { canonicalVersions, isCanonicalName, type CanonicalName } from './registry';
import type { InvoiceLineV2, InvoiceV1, InvoiceV2 } from './schemas/invoice';
import { validateCanonical, type FieldError, type ValidationResult } from './validate';

/**
 * Ordered, pure migrations between consecutive versions of a canonical object. Each step receives a
 * value already valid at `from` and returns one that must be valid at `from + 1` (checked after the
 * last step, so a faulty step shows up as a validation error rather than as bad data downstream).
 */
type MigrationStep = (value: never) => ValidationResult;

const steps: Partial<Record<CanonicalName, Record<number, MigrationStep>>> = {
  invoice: { 1: invoiceV1ToV2 as MigrationStep },
};

export function migrateCanonical(object: string, value: unknown, fromVersion: number, toVersion: number): ValidationResult {
  if (!isCanonicalName(object)) return validateCanonical(object, fromVersion, value);
  if (toVersion < fromVersion) {
    return fail('', `${object} cannot be migrated down from v${fromVersion} to v${toVersion}; downgrades lose data and are not offered`);
  }
  if (!canonicalVersions(object).includes(toVersion)) return validateCanonical(object, toVersion, value);
  let current = validateCanonical(object, fromVersion, value);
  for (let version = fromVersion; version < toVersion && current.ok; version++) {
    const step = steps[object]?.[version];
    if (step === undefined) return fail('', `no migration from ${object} v${version} to v${version + 1}`);
    current = step(current.value as never);
  }
  return current.ok ? validateCanonical(object, toVersion, current.value) : current;
}

function fail(path: string, message: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ path, message }] };
}

/**
 * Invoice v1 → v2: the header's single `taxAmount` becomes a per-line breakdown. v1 says which lines
 * are taxed (their `taxCode`) but not how much each carries, so the tax is spread over the taxed lines
 * in proportion to their amounts, in whole minor units, with the rounding remainder on the largest
 * line so that the line taxes add up exactly to the old total. Rates are not invented: v1 never had them.
 */
function invoiceV1ToV2(invoice: InvoiceV1): ValidationResult<InvoiceV2> {
  const { taxAmount, lines, ...header } = invoice;
  const places = currencyMinorUnits(invoice.currency) ?? 2;
  const taxed = lines.map((line, index) => ({ line, index })).filter(({ line }) => line.taxCode !== undefined);
  const total = parseDecimal(roundDecimal(taxAmount, places)).units;
  if (total !== 0n && taxed.length === 0) {
    return fail('taxAmount', `cannot be spread over the lines: ${taxAmount} of tax but no line has a taxCode`);
  }
  const base = taxed.reduce((sum, { line }) => sum + parseDecimal(roundDecimal(line.amount, places)).units, 0n);
  if (total !== 0n && base === 0n) {
    return fail('taxAmount', `cannot be spread over the lines: the taxed lines add up to 0`);
  }
  const shares = new Map<number, bigint>();
  if (total !== 0n) {
    const largest = taxed.reduce((a, b) => (compareDecimals(b.line.amount, a.line.amount) > 0 ? b : a));
    let allocated = 0n;
    for (const { line, index } of taxed) {
      if (index === largest.index) continue;
      const share = divideRounded(total * parseDecimal(roundDecimal(line.amount, places)).units, base);
      shares.set(index, share);
      allocated += share;
    }
    shares.set(largest.index, total - allocated);
  }
  const v2Lines: InvoiceLineV2[] = lines.map(({ taxCode, ...line }, index) => ({
    ...line,
    taxes:
      taxCode === undefined
        ? []
        : [{ taxCode, taxableAmount: line.amount, amount: formatDecimal({ units: shares.get(index) ?? 0n, scale: places }) }],
  }));
  return { ok: true, value: { ...header, lines: v2Lines, taxTotal: taxAmount } };
}

/** a / b rounded half away from zero, in integers. */
function divideRounded(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const x = a < 0n ? -a : a;
  const y = b < 0n ? -b : b;
  const q = (2n * x + y) / (2n * y);
  return negative ? -q : q;
}
