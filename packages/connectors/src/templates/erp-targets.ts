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
  /** `externalIdPath`: what the bill is upserted by (default its id; BC checks the vendor's invoice number). */
  vendorBill?: { recordType: string; externalIdPath?: string };
  /** Business Central sales documents need the customer to exist first. */
  customerFirst?: { recordType: string };
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
  },
  'business-central': {
    displayName: 'Business Central',
    kind: 'business-central.record',
    invoice: { recordType: 'salesInvoices', object: 'invoice' },
    salesOrder: { recordType: 'salesOrders', cancel: { operation: 'delete', recordType: 'salesOrders', idPath: 'output.id' } },
    customerFirst: { recordType: 'customers' },
    // One general journal batch per posting, keyed by the document number, posted once its lines are in.
    journal: { recordType: 'journals', post: true },
    vendorBill: { recordType: 'purchaseInvoices', externalIdPath: 'number' },
  },
  sap: {
    displayName: 'SAP S/4HANA',
    kind: 'sap.record',
    invoice: { recordType: 'A_BillingDocument', object: 'invoice' },
    salesOrder: { recordType: 'A_SalesOrder', cancel: { operation: 'delete', recordType: 'A_SalesOrder', idPath: 'output.id' } },
    journal: { recordType: 'A_JournalEntry' },
  },
  workday: {
    displayName: 'Workday',
    kind: 'workday.record',
    // Workday Financials receives the invoice as its accounting journal (receivable, revenue, tax).
    invoice: { recordType: 'accountingJournals', object: 'journalEntry' },
    journal: { recordType: 'accountingJournals' },
  },
  'oracle-fusion': {
    displayName: 'Oracle Fusion',
    kind: 'oracle-fusion.record',
    invoice: { recordType: 'receivablesInvoices', object: 'invoice' },
    journal: { recordType: 'journalBatches' },
    vendorBill: { recordType: 'invoices' },
  },
};

/**
 * The overlay a template node carries: the tenant's own, nothing added. The default mappings produce
 * payloads the vendors' APIs (and the simulators) accept as they are, so templates need no
 * adjustments of their own under the tenant's overlay.
 */
export function effectiveOverlay(_erp: TemplateErp, _object: string, tenant: TenantMappingOverlay | undefined): TenantMappingOverlay {
  return { fieldOverrides: { ...(tenant?.fieldOverrides ?? {}) }, lookups: { ...(tenant?.lookups ?? {}) } };
}
