import { describe, expect, it } from 'vitest';
import { sampleCustomer, sampleInvoice, sampleJournalEntry, sampleSalesOrder } from '../src/index';
import { workdayCustomer, workdayInvoice } from './fixtures/erp-records';
import { mapOk } from './helpers';

describe('Workday default mappings', () => {
  it('journal entry → accounting journal with company, ledger accounts and worktags', async () => {
    const payload = await mapOk({ erp: 'workday', object: 'journalEntry', direction: 'toErp', canonical: sampleJournalEntry() });
    expect(payload).toEqual({
      externalReferenceID: 'JE-2026-03-REV',
      journalNumber: 'JE-2026-0317',
      company: { id: 'Northwind_USA' },
      currency: { id: 'USD' },
      ledger: { id: 'Actuals' },
      accountingDate: '2026-03-31',
      journalSource: { id: 'Integration' },
      memo: 'March revenue recognition',
      journalEntryLines: [
        { lineOrder: 1, ledgerAccount: { id: '12000' }, debitAmount: 10496.25, memo: 'Accounts receivable' },
        { lineOrder: 2, ledgerAccount: { id: '40000' }, creditAmount: 9000, memo: 'Hardware revenue', worktags: [{ type: 'Cost_Center', id: 'CC-100' }] },
        {
          lineOrder: 3,
          ledgerAccount: { id: '41000' },
          creditAmount: 720,
          memo: 'Services revenue',
          worktags: [
            { type: 'Cost_Center', id: 'CC-200' },
            { type: 'Organization', id: 'PRO-SERV' },
          ],
        },
        { lineOrder: 4, ledgerAccount: { id: '22000' }, creditAmount: 776.25, memo: 'Sales tax payable' },
      ],
    });
  });

  it('invoice → customer invoice with references as { id }', async () => {
    const payload = await mapOk({ erp: 'workday', object: 'invoice', direction: 'toErp', canonical: sampleInvoice() });
    expect(payload).toMatchObject({
      externalReferenceID: 'INV-2026-000123',
      invoiceNumber: 'INV-2026-000123',
      company: { id: 'Northwind_USA' },
      customer: { id: 'C1001' },
      currency: { id: 'USD' },
      paymentTerms: { id: 'Net_30' },
      invoiceLines: [
        { lineOrder: 1, salesItem: { id: 'ROB-ARM-200' }, quantity: 2, unitCost: 4500, extendedAmount: 9000, ledgerAccount: { id: '40000' }, taxCode: { id: 'USA_CA_Sales_Tax' }, taxAmount: 776.25 },
        { lineOrder: 2, salesItem: { id: 'SVC-INSTALL' }, taxCode: { id: 'Exempt' }, taxAmount: 0 },
      ],
    });
  });

  it('sales order and customer', async () => {
    const order = await mapOk({ erp: 'workday', object: 'salesOrder', direction: 'toErp', canonical: sampleSalesOrder() });
    expect(order).toMatchObject({ orderNumber: 'SO-2026-000042', company: { id: 'Northwind_USA' }, orderLines: [{ lineOrder: 1, unitOfMeasure: { id: 'EA' } }, { lineOrder: 2, taxCode: { id: 'Exempt' } }] });
    const customer = await mapOk({ erp: 'workday', object: 'customer', direction: 'toErp', canonical: sampleCustomer() });
    expect(customer).toMatchObject({
      externalReferenceID: 'CUST-1001',
      customerID: 'C1001',
      defaultCurrency: { id: 'USD' },
      contactInformation: { addresses: [{ usage: 'BILLING', country: { id: 'US' } }, { usage: 'SHIPPING', city: 'San Leandro' }] },
    });
  });

  it('customer → canonical', async () => {
    const customer = await mapOk({ erp: 'workday', object: 'customer', direction: 'fromErp', erpPayload: workdayCustomer });
    expect(customer).toEqual({
      id: 'CUST-1001',
      externalIds: { workday: '3aa5550b7fe348b98d7b5741afc65534' },
      number: 'C1001',
      kind: 'company',
      name: 'Northwind Robotics',
      email: 'ap@northwind-robotics.example',
      taxId: '94-1234567',
      currency: 'USD',
      paymentTerms: 'NET30',
      billingAddress: { line1: '500 Howard Street', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' },
      status: 'active',
    });
  });

  it('customer invoice → canonical invoice v2 with totals summed exactly from the lines', async () => {
    const invoice = await mapOk({ erp: 'workday', object: 'invoice', direction: 'fromErp', erpPayload: workdayInvoice });
    expect(invoice).toMatchObject({
      id: 'INV-2026-000123',
      externalIds: { workday: 'd1f06c2a9b8e4f7c8e1a2b3c4d5e6f70' },
      customer: { externalIds: { workday: 'C1001' }, name: 'Northwind Robotics' },
      legalEntity: 'US01',
      status: 'open',
      lines: [
        { lineNumber: 1, account: '4000', taxes: [{ taxCode: 'US-CA', amount: '776.25' }] },
        { lineNumber: 2, account: '4100', taxes: [{ taxCode: 'EXEMPT', amount: '0' }] },
      ],
      subtotal: '9720',
      taxTotal: '776.25',
      total: '10496.25',
    });
  });
});
