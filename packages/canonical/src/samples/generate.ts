import { currencyMinorUnits } from '../currencies';
import { multiplyDecimals, percentOf, roundDecimal, sumDecimals } from '../decimal';
import type { InvoiceLineV2, InvoiceV1, InvoiceV2 } from '../schemas/invoice';

/**
 * Deterministic synthetic invoices for load tests, benchmarks and demo data: the same seed gives the
 * same invoices on every machine, and every invoice passes validation (amounts, taxes and totals add
 * up exactly), so a failure downstream is never the generator's fault.
 */

export interface GenerateInvoicesOptions {
  /** PRNG seed; default 1. */
  seed?: number;
  /** Canonical invoice version to produce; default 2. */
  version?: 1 | 2;
  currency?: string;
  /** Issue date of the first invoice; later ones advance by up to two days each. Default 2026-01-01. */
  startDate?: string;
  /** Prefix of ids and numbers; default INV-GEN. */
  prefix?: string;
  legalEntity?: string;
}

const CATALOG = [
  { sku: 'ROB-ARM-200', description: 'Robotic arm, 6-axis', unitPrice: '4500.00', unit: 'EA', account: '4000' },
  { sku: 'SERVO-M3', description: 'Servo motor M3', unitPrice: '129.90', unit: 'EA', account: '4000' },
  { sku: 'SENSOR-LIDAR', description: 'Lidar sensor', unitPrice: '899.00', unit: 'EA', account: '4000' },
  { sku: 'SVC-INSTALL', description: 'On-site installation', unitPrice: '120.00', unit: 'H', account: '4100' },
  { sku: 'SUB-FLEET', description: 'Fleet monitoring subscription (monthly)', unitPrice: '49.00', unit: 'EA', account: '4200' },
  { sku: 'API-CALLS', description: 'API calls (per call)', unitPrice: '0.0125', unit: 'EA', account: '4200' },
] as const;

const TAX_CODES = [
  { taxCode: 'US-CA', rate: '8.625' },
  { taxCode: 'US-NY', rate: '8.875' },
  { taxCode: 'EXEMPT', rate: '0' },
] as const;

const CUSTOMERS = [
  { id: 'CUST-1001', number: 'C1001', name: 'Northwind Robotics' },
  { id: 'CUST-1002', number: 'C1002', name: 'Fabrikam Logistics' },
  { id: 'CUST-1003', number: 'C1003', name: 'Tailspin Automation' },
  { id: 'CUST-1004', number: 'C1004', name: 'Wide World Warehousing' },
] as const;

/** mulberry32: tiny, fast and good enough for test data; not for anything secret. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function generateInvoices(count: number, options: { version: 1 } & GenerateInvoicesOptions): InvoiceV1[];
export function generateInvoices(count: number, options?: GenerateInvoicesOptions): InvoiceV2[];
export function generateInvoices(count: number, options: GenerateInvoicesOptions = {}): (InvoiceV1 | InvoiceV2)[] {
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) throw new RangeError(`count must be a whole number from 0 to 1000000, got ${count}`);
  const random = prng(options.seed ?? 1);
  const currency = options.currency ?? 'USD';
  const places = currencyMinorUnits(currency);
  if (places === undefined) throw new RangeError(`unknown currency ${currency}`);
  const prefix = options.prefix ?? 'INV-GEN';
  let issueDate = options.startDate ?? '2026-01-01';
  const invoices: (InvoiceV1 | InvoiceV2)[] = [];
  for (let i = 1; i <= count; i++) {
    issueDate = addDays(issueDate, Math.floor(random() * 3));
    const customer = pick(random, CUSTOMERS);
    const lineCount = 1 + Math.floor(random() * 5);
    const lines: InvoiceLineV2[] = [];
    for (let n = 1; n <= lineCount; n++) {
      const item = pick(random, CATALOG);
      const tax = pick(random, TAX_CODES);
      const quantity = item.sku === 'API-CALLS' ? String(1000 * (1 + Math.floor(random() * 50))) : String(1 + Math.floor(random() * 9));
      const amount = roundDecimal(multiplyDecimals(quantity, item.unitPrice), places);
      lines.push({
        lineNumber: n,
        sku: item.sku,
        description: item.description,
        quantity,
        unitOfMeasure: item.unit,
        unitPrice: item.unitPrice,
        amount,
        account: item.account,
        taxes: [{ taxCode: tax.taxCode, rate: tax.rate, taxableAmount: amount, amount: percentOf(amount, tax.rate, places) }],
      });
    }
    const subtotal = sumDecimals(lines.map((l) => l.amount), places);
    const taxTotal = sumDecimals(lines.flatMap((l) => l.taxes.map((t) => t.amount)), places);
    const number = `${prefix}-${String(i).padStart(6, '0')}`;
    const invoice: InvoiceV2 = {
      id: number,
      number,
      customer: { ...customer },
      issueDate,
      dueDate: addDays(issueDate, 30),
      currency,
      legalEntity: options.legalEntity ?? 'US01',
      paymentTerms: 'NET30',
      status: 'open',
      lines,
      subtotal,
      taxTotal,
      total: sumDecimals([subtotal, taxTotal], places),
    };
    invoices.push(options.version === 1 ? toV1(invoice) : invoice);
  }
  return invoices;
}

function toV1(invoice: InvoiceV2): InvoiceV1 {
  const { lines, taxTotal, ...header } = invoice;
  return { ...header, lines: lines.map(({ taxes, ...line }) => ({ ...line, taxCode: taxes[0]?.taxCode })), taxAmount: taxTotal };
}
