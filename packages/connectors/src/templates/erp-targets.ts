import type { TenantMappingOverlay } from '@switchyard/canonical';

export const TEMPLATE_ERPS = ['netsuite', 'business-central', 'sap', 'workday', 'oracle-fusion'] as const;
export type TemplateErp = (typeof TEMPLATE_ERPS)[number];

export interface ErpTarget {
  displayName: string;
  kind: string;
  invoice?: { recordType: string; object: 'invoice' | 'journalEntry' };
  salesOrder?: { recordType: string; cancel: Record<string, unknown> };
  /** `post`: the journal is a batch that a bound action posts to the ledger (Business Central). */
  journal?: { recordType: string; post?: boolean };
  vendorBill?: { recordType: string };
  /** Business Central sales documents need the customer to exist first. */
  customerFirst?: { recordType: string };
  /**
   * Adjustments the template applies under the tenant's own overlay, where the default mapping and
   * the ERP API disagree (fields the API does not have). The tenant's overrides win.
   */
  fixes: Partial<Record<string, Record<string, string>>>;
}

export const ERP_TARGETS: Record<TemplateErp, ErpTarget> = {
  netsuite: {
    displayName: 'NetSuite',
    kind: 'netsuite.record',
    invoice: { recordType: 'invoice', object: 'invoice' },
    // orderStatus C: Cancelled. NetSuite keeps the order for the audit trail instead of deleting it.
    salesOrder: { recordType: 'salesOrder', cancel: { operation: 'update', recordType: 'salesOrder', idPath: 'output.id', payload: '{"orderStatus": "C"}' } },
    journal: { recordType: 'journalEntry' },
    vendorBill: { recordType: 'vendorBill' },
    fixes: {},
  },
  'business-central': {
    displayName: 'Business Central',
    kind: 'business-central.record',
    invoice: { recordType: 'salesInvoices', object: 'invoice' },
    salesOrder: { recordType: 'salesOrders', cancel: { operation: 'delete', recordType: 'salesOrders', idPath: 'output.id' } },
    customerFirst: { recordType: 'customers' },
    // One general journal batch per posting, keyed by the document number, posted once its lines are in.
    journal: { recordType: 'journals', post: true },
    fixes: {
      invoice: { billToAddressLine1: '', billToAddressLine2: '', billToCity: '', billToState: '', billToPostCode: '', billToCountry: '' },
      salesOrder: { shipToAddressLine1: '', shipToAddressLine2: '', shipToCity: '', shipToState: '', shipToPostCode: '', shipToCountry: '' },
    },
  },
  sap: {
    displayName: 'SAP S/4HANA',
    kind: 'sap.record',
    invoice: { recordType: 'A_BillingDocument', object: 'invoice' },
    salesOrder: { recordType: 'A_SalesOrder', cancel: { operation: 'delete', recordType: 'A_SalesOrder', idPath: 'output.id' } },
    journal: { recordType: 'A_JournalEntry' },
    fixes: {
      invoice: { NetDueDate: '', 'to_Item[].TaxAmount': '', 'to_Item[].TaxCode': '', 'to_Item[].GLAccount': '' },
      salesOrder: { 'to_Item[].to_PricingElement': '' },
      // The posting service takes the items as to_Item; the default mapping names them after the SOAP structure.
      journalEntry: {
        to_JournalEntryItem: '',
        ExchangeRate: '',
        to_Item: `[lines.{"GLAccount": $lookup('accounts', account), "AmountInTransactionCurrency": $number(debit) > 0 ? debit : '-' & credit, "DocumentItemText": $substring(memo ? memo : '', 0, 50), "CostCenter": costCenter}]`,
      },
    },
  },
  workday: {
    displayName: 'Workday',
    kind: 'workday.record',
    // Workday Financials receives the invoice as its accounting journal (receivable, revenue, tax).
    invoice: { recordType: 'accountingJournals', object: 'journalEntry' },
    journal: { recordType: 'accountingJournals' },
    fixes: {},
  },
  'oracle-fusion': {
    displayName: 'Oracle Fusion',
    kind: 'oracle-fusion.record',
    invoice: { recordType: 'receivablesInvoices', object: 'invoice' },
    journal: { recordType: 'journalBatches' },
    vendorBill: { recordType: 'invoices' },
    // The receivables REST resource has no due date or tax attribute on create: Fusion derives them from terms and tax setup.
    fixes: { invoice: { DueDate: '', 'receivablesInvoiceLines[].TaxClassificationCode': '' } },
  },
};

/** The template's fixes under the tenant's overlay. */
export function effectiveOverlay(erp: TemplateErp, object: string, tenant: TenantMappingOverlay | undefined): TenantMappingOverlay {
  return {
    fieldOverrides: { ...(ERP_TARGETS[erp].fixes[object] ?? {}), ...(tenant?.fieldOverrides ?? {}) },
    lookups: { ...(tenant?.lookups ?? {}) },
  };
}
