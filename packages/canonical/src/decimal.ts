/**
 * Exact arithmetic on decimal strings ("1234.50"), the representation every canonical amount uses.
 *
 * Why decimal strings rather than integer minor units: the ERPs we map to take decimals on the wire
 * (NetSuite and Business Central JSON numbers, SAP OData `Edm.Decimal` as strings, Workday decimals),
 * unit prices routinely carry more places than the currency's minor unit (0.0125 USD per API call),
 * quantities are fractional (2.5 hours), and the minor unit differs per currency (JPY 0, KWD 3), so a
 * bare integer would be ambiguous without its currency and still could not hold a unit price. A
 * string also survives JSON untouched, where a binary float would turn 0.1 + 0.2 into 0.30000000000000004.
 * The few sums and products validation needs are done here exactly with BigInt.
 */

/** Up to 15 integer digits and 6 fraction digits, no exponent, no leading zeros, optional minus. */
export const DECIMAL_PATTERN = /^-?(0|[1-9]\d{0,14})(\.\d{1,6})?$/;
export const NON_NEGATIVE_DECIMAL_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,6})?$/;

export interface Decimal {
  /** The value times 10^scale. */
  units: bigint;
  scale: number;
}

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_PATTERN.test(value);
}

/** Any plain decimal, including the wide intermediate results of multiplication. */
const ANY_DECIMAL = /^-?\d+(\.\d+)?$/;

export function parseDecimal(text: string): Decimal {
  if (!ANY_DECIMAL.test(text)) throw new RangeError(`not a decimal string: ${JSON.stringify(text)}`);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '0', fraction = ''] = body.split('.');
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

export function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  return `${negative ? '-' : ''}${whole}${value.scale > 0 ? `.${fraction}` : ''}`;
}

/** Exact sum; the result carries the largest scale among the terms ("0.00" for an empty list). */
export function sumDecimals(values: readonly string[], minimumScale = 2): string {
  const parsed = values.map(parseDecimal);
  const scale = Math.max(minimumScale, ...parsed.map((d) => d.scale));
  const units = parsed.reduce((acc, d) => acc + rescale(d, scale), 0n);
  return formatDecimal({ units, scale });
}

export function subtractDecimals(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return formatDecimal({ units: rescale(x, scale) - rescale(y, scale), scale });
}

export function multiplyDecimals(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return formatDecimal({ units: x.units * y.units, scale: x.scale + y.scale });
}

export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const diff = rescale(x, scale) - rescale(y, scale);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/**
 * Rounds half away from zero to `places` fraction digits (the commercial rounding ERPs default to).
 * Accepts any scale, including the wide products of multiplyDecimals.
 */
export function roundDecimal(text: string, places: number): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '0', fraction = ''] = body.split('.');
  if (fraction.length <= places) return formatDecimal({ units: BigInt(whole + fraction.padEnd(places, '0')) * (negative ? -1n : 1n), scale: places });
  const kept = BigInt(whole + fraction.slice(0, places));
  const roundUp = Number(fraction[places]) >= 5;
  const units = kept + (roundUp ? 1n : 0n);
  return formatDecimal({ units: negative ? -units : units, scale: places });
}

/** amount × percent / 100, rounded half away from zero to `places` (tax from a rate). */
export function percentOf(amount: string, percent: string, places: number): string {
  const a = parseDecimal(amount);
  const p = parseDecimal(percent);
  return roundDecimal(formatDecimal({ units: a.units * p.units, scale: a.scale + p.scale + 2 }), places);
}

/** |a − b| expressed in units of 10^-places, for "within one minor unit" comparisons. */
export function distanceInUnits(a: string, b: string, places: number): bigint {
  const diff = parseDecimal(subtractDecimals(a, b));
  const scaled = diff.scale <= places ? rescale(diff, places) : diff.units / 10n ** BigInt(diff.scale - places);
  return scaled < 0n ? -scaled : scaled;
}

/**
 * Converts what an ERP sends (a JSON number or a numeric string) into a canonical decimal string.
 * Numbers go through 15 significant digits, the precision a double reliably holds, so 0.1 + 0.2
 * becomes "0.3". Returns undefined for anything that is not a finite number.
 */
export function toDecimalString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (DECIMAL_PATTERN.test(trimmed)) return trimmed;
    const n = Number(trimmed);
    return trimmed !== '' && Number.isFinite(n) ? toDecimalString(n) : undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const precise = Number(value.toPrecision(15));
  if (Object.is(precise, -0) || precise === 0) return '0';
  // toFixed avoids exponent notation; trimming restores the shortest form.
  const fixed = precise.toFixed(6).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}
