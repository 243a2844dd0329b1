/**
 * ISO 4217 currency codes in circulation, with their minor units (decimal places). Kept as data rather
 * than taken from `Intl.supportedValuesOf('currency')`, whose list varies with the ICU build and
 * includes withdrawn codes (DEM, FRF), so the exported JSON Schema is the same everywhere.
 * Fund codes and precious metals (XAU, XDR, …) are left out: no invoice is issued in them.
 * BGN and HRK stay for historic documents after the euro changeover.
 */

const TWO_DIGIT = `AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
  CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK HTG
  HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR
  MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK
  SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED VES WST XCD
  XCG YER ZAR ZMW ZWG`;
const ZERO_DIGIT = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF';
const THREE_DIGIT = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DIGIT = 'CLF UYW';

function codes(list: string): string[] {
  return list.split(/\s+/).filter((code) => code.length > 0);
}

const minorUnits = new Map<string, number>();
for (const code of codes(TWO_DIGIT)) minorUnits.set(code, 2);
for (const code of codes(ZERO_DIGIT)) minorUnits.set(code, 0);
for (const code of codes(THREE_DIGIT)) minorUnits.set(code, 3);
for (const code of codes(FOUR_DIGIT)) minorUnits.set(code, 4);

export const CURRENCY_CODES: readonly [string, ...string[]] = (() => {
  const sorted = [...minorUnits.keys()].sort();
  const [first, ...rest] = sorted;
  if (first === undefined) throw new Error('currency table is empty');
  return [first, ...rest];
})();

/** Decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3); undefined for unknown codes. */
export function currencyMinorUnits(code: string): number | undefined {
  return minorUnits.get(code);
}
