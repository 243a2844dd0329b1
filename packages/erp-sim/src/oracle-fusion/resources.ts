import { z } from 'zod';
import type { RecordData, RecordStore } from '../core/record-store';
import type { FusionErrorDetail } from './errors';

/**
 * The four Fusion resources the simulator serves, as data: key attribute, the attribute that must be
 * unique, the child collections (only returned with `expand`), what PATCH may change, and the
 * business rules Fusion applies on create.
 */
export interface FusionResource {
  name: FusionResourceName;
  /** The numeric primary key Fusion generates (`InvoiceId`). */
  idField: string;
  /** Attributes that must be unique within the instance, with the message Fusion gives. */
  unique: Array<{ fields: string[]; message: (row: RecordData) => string; code: string }>;
  children: string[];
  createSchema: z.ZodType<RecordData>;
  patchable: readonly string[];
  /** Business rules and generated attributes; returns errors or the attributes to add. */
  complete(row: RecordData, ctx: { store: RecordStore; account: string; now: number }): { errors: FusionErrorDetail[] } | { extra: RecordData };
}

export const FUSION_RESOURCE_NAMES = ['invoices', 'receivablesInvoices', 'journalBatches', 'suppliers'] as const;
export type FusionResourceName = (typeof FUSION_RESOURCE_NAMES)[number];

const date = z.iso.date();
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code');
const name = (max: number) => z.string().trim().min(1).max(max);
const amount = z.number().finite();
const cents = (n: unknown): number => Math.round(Number(n ?? 0) * 100);
const today = (now: number): string => new Date(now).toISOString().slice(0, 10);

const payablesInvoice = z.strictObject({
  InvoiceNumber: name(50),
  InvoiceCurrency: currency,
  InvoiceAmount: amount,
  InvoiceDate: date,
  BusinessUnit: name(240),
  Supplier: name(360),
  SupplierSite: name(15),
  InvoiceType: z.enum(['Standard', 'Credit memo', 'Prepayment']).default('Standard'),
  Description: z.string().max(240).optional(),
  PaymentTerms: z.string().max(50).optional(),
  invoiceLines: z
    .array(
      z.strictObject({
        LineNumber: z.number().int().positive(),
        LineType: z.enum(['Item', 'Freight', 'Miscellaneous', 'Tax']).default('Item'),
        LineAmount: amount,
        Description: z.string().max(240).optional(),
        DistributionCombination: z.string().max(240).optional(),
      }),
    )
    .optional(),
});

const receivablesInvoice = z.strictObject({
  TransactionNumber: name(20).optional(),
  BusinessUnit: name(240),
  TransactionSource: name(50),
  TransactionType: name(50),
  TransactionDate: date,
  AccountingDate: date.optional(),
  DueDate: date.optional(),
  BillToCustomerNumber: name(30),
  InvoiceCurrencyCode: currency,
  PaymentTerms: z.string().max(50).optional(),
  PurchaseOrder: z.string().max(50).optional(),
  Comments: z.string().max(1760).optional(),
  receivablesInvoiceLines: z
    .array(
      z.strictObject({
        LineNumber: z.number().int().positive(),
        ItemNumber: z.string().max(300).optional(),
        Description: name(240),
        Quantity: z.number().finite().positive(),
        UnitSellingPrice: amount,
        UnitOfMeasure: z.string().max(25).optional(),
        TaxClassificationCode: z.string().max(50).optional(),
      }),
    )
    .min(1),
});

const journalLine = z.strictObject({
  LineNumber: z.number().int().positive(),
  AccountCombination: name(240),
  EnteredDebitAmount: z.number().finite().nonnegative().optional(),
  EnteredCreditAmount: z.number().finite().nonnegative().optional(),
  Description: z.string().max(240).optional(),
});
const journalBatch = z.strictObject({
  BatchName: name(100),
  BatchDescription: z.string().max(240).optional(),
  AccountingPeriodName: name(15),
  Source: z.string().max(25).default('Spreadsheet'),
  journalHeaders: z
    .array(
      z.strictObject({
        HeaderName: name(100),
        LedgerName: name(30),
        AccountingDate: date,
        CurrencyCode: currency,
        Category: z.string().max(25).default('Manual'),
        journalLines: z.array(journalLine).min(2),
      }),
    )
    .min(1),
});

const supplier = z.strictObject({
  Supplier: name(360),
  SupplierNumber: name(30).optional(),
  TaxOrganizationType: z.enum(['Corporation', 'Individual', 'Partnership', 'Government Agency']).default('Corporation'),
  BusinessRelationship: z.enum(['SPEND_AUTHORIZED', 'PROSPECTIVE']).default('SPEND_AUTHORIZED'),
  TaxpayerId: z.string().max(20).optional(),
  DUNSNumber: z.string().max(30).optional(),
});

/** Fusion's generated keys are large integers (300000047386271); each instance has its own sequence. */
export const nextKey = (store: RecordStore, account: string): number => store.nextSequence(account, 'fusionKey', 300000047386001);

export const FUSION_RESOURCES: Record<FusionResourceName, FusionResource> = {
  invoices: {
    name: 'invoices',
    idField: 'InvoiceId',
    unique: [
      {
        fields: ['InvoiceNumber', 'Supplier'],
        code: 'AP-810099',
        message: (r) => `You must provide a unique invoice number. Invoice number ${String(r.InvoiceNumber)} already exists for supplier ${String(r.Supplier)}.`,
      },
    ],
    children: ['invoiceLines'],
    createSchema: payablesInvoice as unknown as z.ZodType<RecordData>,
    patchable: ['Description', 'PaymentTerms', 'InvoiceAmount'],
    complete(row, { store, account }) {
      const known = store.find(account, 'suppliers', (s) => s.data.Supplier === row.Supplier);
      if (!known) return { errors: [{ detail: `The value of the attribute Supplier isn't valid: ${String(row.Supplier)}.`, 'o:errorCode': 'AP-811282', 'o:errorPath': 'Supplier' }] };
      const lines = (row.invoiceLines as RecordData[] | undefined) ?? [];
      const lineTotal = lines.reduce((s, l) => s + cents(l.LineAmount), 0);
      // Fusion accepts an invoice whose lines do not add up, but leaves it unvalidated.
      const validated = lines.length > 0 && lineTotal === cents(row.InvoiceAmount);
      return {
        extra: {
          SupplierNumber: known.data.SupplierNumber,
          ValidationStatus: validated ? 'Validated' : 'Needs revalidation',
          ApprovalStatus: 'Required',
          PaidStatus: 'Unpaid',
          AccountingStatus: 'Unaccounted',
        },
      };
    },
  },
  receivablesInvoices: {
    name: 'receivablesInvoices',
    idField: 'CustomerTransactionId',
    unique: [
      {
        fields: ['TransactionNumber', 'TransactionSource'],
        code: 'AR-855245',
        message: (r) => `The transaction number ${String(r.TransactionNumber)} already exists for transaction source ${String(r.TransactionSource)}. Enter a unique transaction number.`,
      },
    ],
    children: ['receivablesInvoiceLines'],
    createSchema: receivablesInvoice as unknown as z.ZodType<RecordData>,
    patchable: ['Comments', 'PurchaseOrder'],
    complete(row, { store, account, now }) {
      const lines = row.receivablesInvoiceLines as RecordData[];
      const totalCents = lines.reduce((s, l) => s + Math.round(Number(l.Quantity) * Number(l.UnitSellingPrice) * 100), 0);
      return {
        extra: {
          TransactionNumber: row.TransactionNumber ?? String(store.nextSequence(account, 'arTransactionNumber', 100001)),
          AccountingDate: row.AccountingDate ?? row.TransactionDate,
          EnteredAmount: totalCents / 100,
          InvoiceBalanceAmount: totalCents / 100,
          InvoiceStatus: 'Complete',
          CreationDate: today(now),
        },
      };
    },
  },
  journalBatches: {
    name: 'journalBatches',
    idField: 'JeBatchId',
    unique: [{ fields: ['BatchName'], code: 'GL-781234', message: (r) => `A journal batch named ${String(r.BatchName)} already exists. Enter a unique batch name.` }],
    children: ['journalHeaders'],
    createSchema: journalBatch as unknown as z.ZodType<RecordData>,
    patchable: ['BatchDescription'],
    complete(row) {
      const errors: FusionErrorDetail[] = [];
      let dr = 0;
      let cr = 0;
      (row.journalHeaders as RecordData[]).forEach((h, hi) => {
        let hdr = 0;
        let hcr = 0;
        (h.journalLines as RecordData[]).forEach((l, li) => {
          const d = cents(l.EnteredDebitAmount);
          const c = cents(l.EnteredCreditAmount);
          if (d > 0 === c > 0)
            errors.push({ detail: 'Enter either a debit or a credit amount on each journal line.', 'o:errorCode': 'GL-780039', 'o:errorPath': `journalHeaders/${hi}/journalLines/${li}` });
          hdr += d;
          hcr += c;
        });
        if (hdr !== hcr)
          errors.push({
            detail: `The journal ${String(h.HeaderName)} is unbalanced: debits ${(hdr / 100).toFixed(2)} and credits ${(hcr / 100).toFixed(2)}.`,
            'o:errorCode': 'GL-780050',
            'o:errorPath': `journalHeaders/${hi}`,
          });
        dr += hdr;
        cr += hcr;
      });
      if (errors.length) return { errors };
      return { extra: { Status: 'Unposted', ApprovalStatus: 'Not required', RunningTotalAccountedDr: dr / 100, RunningTotalAccountedCr: cr / 100 } };
    },
  },
  suppliers: {
    name: 'suppliers',
    idField: 'SupplierId',
    unique: [
      { fields: ['Supplier'], code: 'POZ-2130170', message: (r) => `The supplier ${String(r.Supplier)} already exists.` },
      { fields: ['SupplierNumber'], code: 'POZ-2130171', message: (r) => `The supplier number ${String(r.SupplierNumber)} already exists.` },
    ],
    children: [],
    createSchema: supplier as unknown as z.ZodType<RecordData>,
    patchable: ['TaxpayerId', 'BusinessRelationship', 'DUNSNumber'],
    complete(row, { store, account, now }) {
      return {
        extra: {
          SupplierNumber: row.SupplierNumber ?? String(store.nextSequence(account, 'supplierNumber', 5001)),
          Status: 'ACTIVE',
          CreationDate: today(now),
        },
      };
    },
  },
};

/** Zod issues → `o:errorDetails`, each naming the attribute path the way Fusion does. */
export function validationDetails(error: z.ZodError): FusionErrorDetail[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('/');
    if (i.code === 'unrecognized_keys')
      return { detail: `The attribute ${i.keys.join(', ')} is not a valid attribute of this resource.`, 'o:errorCode': 'ADF-REST-ATTR', 'o:errorPath': path || '(body)' };
    if (i.code === 'invalid_type' && i.input === undefined)
      return { detail: `The attribute ${path} is required.`, 'o:errorCode': 'ADF-REST-REQ', 'o:errorPath': path };
    return { detail: `The value of the attribute ${path} isn't valid: ${i.message}.`, 'o:errorCode': 'ADF-REST-VAL', 'o:errorPath': path };
  });
}
