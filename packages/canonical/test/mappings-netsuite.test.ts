import { describe, expect, it } from 'vitest';
import { sampleCustomer, sampleInvoice, sampleInvoiceV1, sampleJournalEntry, sampleSalesOrder, sampleVendorBill } from '../src/index';
import { netsuiteCustomer, netsuiteInvoice } from './fixtures/erp-records';
import { mapOk } from './helpers';

describe('NetSuite default mappings', () => {
  it('invoice → REST invoice record with externalId, entity, subsidiary and SuiteTax details', async () => {
    const payload = await mapOk({ erp: 'netsuite', object: 'invoice', direction: 'toErp', canonical: sampleInvoice() });
    expect(payload).toMatchObject({
      externalId: 'INV-2026-000123',
      tranId: 'INV-2026-000123',
      entity: { externalId: 'CUST-1001' },
      subsidiary: { id: '1' },
      currency: { id: '1' },
      terms: { id: '2' },
      tranDate: '2026-03-17',
      dueDate: '2026-04-16',
      otherRefNum: 'PO-77810',
      billingAddress: { addr1: '500 Howard Street', city: 'San Francisco', state: 'CA', zip: '94105', country: { id: 'US' } },
      taxDetailsOverride: true,
    });
    expect((payload as { item: { items: unknown[] } }).item.items).toEqual([
      { item: { externalId: 'ROB-ARM-200' }, description: 'Robotic arm, 6-axis', quantity: 2, rate: 4500, amount: 9000, account: { id: '54' }, taxDetailsReference: 'L1' },
      { item: { externalId: 'SVC-INSTALL' }, description: 'On-site installation', quantity: 6.5, rate: 120, amount: 720, account: { id: '55' }, taxDetailsReference: 'L2' },
    ]);
    expect((payload as { taxDetails: { items: unknown[] } }).taxDetails.items).toEqual([
      { taxDetailsReference: 'L1', taxCode: { id: '1042' }, taxRate: 8.625, taxBasis: 9000, taxAmount: 776.25 },
      { taxDetailsReference: 'L2', taxCode: { id: '-7' }, taxRate: 0, taxBasis: 720, taxAmount: 0 },
    ]);
  });

  it('references the customer by NetSuite internal id when the canonical object knows it', async () => {
    const invoice = sampleInvoice();
    invoice.customer.externalIds = { netsuite: '1234' };
    const payload = await mapOk({ erp: 'netsuite', object: 'invoice', direction: 'toErp', canonical: invoice });
    expect(payload).toMatchObject({ entity: { id: '1234' } });
  });

  it('a v1 invoice is migrated to v2 before mapping', async () => {
    const payload = await mapOk({ erp: 'netsuite', object: 'invoice', direction: 'toErp', canonical: sampleInvoiceV1(), canonicalVersion: 1 });
    expect((payload as { taxDetails: { items: { taxAmount: number }[] } }).taxDetails.items.map((t) => t.taxAmount)).toEqual([718.75, 57.5]);
  });

  it('sales order → salesOrder record', async () => {
    const payload = await mapOk({ erp: 'netsuite', object: 'salesOrder', direction: 'toErp', canonical: sampleSalesOrder() });
    expect(payload).toMatchObject({
      externalId: 'SO-2026-000042',
      entity: { externalId: 'CUST-1001' },
      tranDate: '2026-03-02',
      shipDate: '2026-03-16',
      orderStatus: 'B',
      subsidiary: { id: '1' },
      item: { items: [{ item: { externalId: 'ROB-ARM-200' }, quantity: 2, rate: 4500 }, { item: { externalId: 'SVC-INSTALL' }, quantity: 6.5, amount: 720 }] },
    });
  });

  it('customer → customer record with address book', async () => {
    const payload = await mapOk({ erp: 'netsuite', object: 'customer', direction: 'toErp', canonical: sampleCustomer() });
    expect(payload).toMatchObject({
      externalId: 'CUST-1001',
      entityId: 'C1001',
      isPerson: false,
      companyName: 'Northwind Robotics',
      subsidiary: { id: '1' },
      receivablesAccount: { id: '119' },
      creditLimit: 50000,
      isInactive: false,
      addressBook: {
        items: [
          { defaultBilling: true, defaultShipping: false, addressBookAddress: { addr1: '500 Howard Street', addr2: 'Suite 300' } },
          { defaultBilling: false, defaultShipping: true, addressBookAddress: { addr1: '2200 Marina Boulevard' } },
        ],
      },
    });
    expect(payload).not.toHaveProperty('firstName');
  });

  it('journal entry → journalEntry with line.items debits and credits', async () => {
    const payload = await mapOk({ erp: 'netsuite', object: 'journalEntry', direction: 'toErp', canonical: sampleJournalEntry() });
    expect(payload).toMatchObject({ externalId: 'JE-2026-03-REV', tranDate: '2026-03-31', subsidiary: { id: '1' } });
    expect((payload as { line: { items: unknown[] } }).line.items).toEqual([
      { account: { id: '119' }, debit: 10496.25, memo: 'Accounts receivable' },
      { account: { id: '54' }, credit: 9000, memo: 'Hardware revenue', class: { id: 'CC-100' } },
      { account: { id: '55' }, credit: 720, memo: 'Services revenue', department: { id: 'PRO-SERV' }, class: { id: 'CC-200' } },
      { account: { id: '111' }, credit: 776.25, memo: 'Sales tax payable' },
    ]);
  });

  it('vendor bill → item lines for skus, expense lines for accounts', async () => {
    const payload = await mapOk({ erp: 'netsuite', object: 'vendorBill', direction: 'toErp', canonical: sampleVendorBill() });
    expect(payload).toMatchObject({
      externalId: 'BILL-2026-0311',
      tranId: 'CC-INV-88231',
      entity: { externalId: 'SUP-2001' },
      approvalStatus: { id: '1' },
      item: { items: [{ item: { externalId: 'SERVO-M3' }, quantity: 40, rate: 85.5, amount: 3420 }] },
      expense: { items: [{ account: { id: '67' }, amount: 180, memo: 'Freight' }] },
    });
  });

  it('customer record → canonical customer', async () => {
    const customer = await mapOk({ erp: 'netsuite', object: 'customer', direction: 'fromErp', erpPayload: netsuiteCustomer });
    expect(customer).toEqual({
      id: 'CUST-1001',
      externalIds: { netsuite: '1234' },
      number: 'C1001',
      kind: 'company',
      name: 'Northwind Robotics',
      email: 'ap@northwind-robotics.example',
      phone: '415-555-0100',
      website: 'https://northwind-robotics.example',
      currency: 'USD',
      paymentTerms: 'NET30',
      legalEntity: 'US01',
      billingAddress: { line1: '500 Howard Street', line2: 'Suite 300', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' },
      status: 'active',
      createdAt: '2026-01-05T10:00:00Z',
      updatedAt: '2026-03-01T08:15:00Z',
    });
  });

  it('invoice record → canonical invoice v2 with tax details joined back to lines', async () => {
    const invoice = await mapOk({ erp: 'netsuite', object: 'invoice', direction: 'fromErp', erpPayload: netsuiteInvoice });
    expect(invoice).toMatchObject({
      id: 'INV-2026-000123',
      externalIds: { netsuite: '8812' },
      number: 'INV-2026-000123',
      customer: { externalIds: { netsuite: '1234' }, name: 'C1001 Northwind Robotics' },
      currency: 'USD',
      legalEntity: 'US01',
      status: 'open',
      subtotal: '9720',
      taxTotal: '776.25',
      total: '10496.25',
      lines: [
        { lineNumber: 1, sku: 'ROB-ARM-200', quantity: '2', unitPrice: '4500', amount: '9000', taxes: [{ taxCode: 'US-CA', rate: '8.625', taxableAmount: '9000', amount: '776.25' }] },
        { lineNumber: 2, sku: 'SVC-INSTALL', quantity: '6', unitPrice: '120', amount: '720', taxes: [{ taxCode: 'EXEMPT', rate: '0', taxableAmount: '720', amount: '0' }] },
      ],
    });
    expect(invoice).not.toHaveProperty('memo');
  });
});
