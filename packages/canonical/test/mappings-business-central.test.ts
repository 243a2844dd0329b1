import { describe, expect, it } from 'vitest';
import { sampleCustomer, sampleInvoice, sampleJournalEntry, sampleOverlay, sampleSalesOrder, sampleVendorBill } from '../src/index';
import { businessCentralCustomer, businessCentralInvoice } from './fixtures/erp-records';
import { mapErrors, mapOk } from './helpers';

describe('Business Central default mappings', () => {
  it('invoice → salesInvoices with customerNumber and salesInvoiceLines (deep insert)', async () => {
    const payload = await mapOk({ erp: 'business-central', object: 'invoice', direction: 'toErp', canonical: sampleInvoice() });
    expect(payload).toMatchObject({
      externalDocumentNumber: 'INV-2026-000123',
      invoiceDate: '2026-03-17',
      dueDate: '2026-04-16',
      customerNumber: 'C1001',
      customerPurchaseOrderReference: 'PO-77810',
      // USD is this company's local currency, which BC writes as "".
      currencyCode: '',
      paymentTermsId: '4c2f5a1e-9d1b-4f57-9c2e-3a3b1f0d7e21',
      billToAddressLine1: '500 Howard Street',
      billToPostCode: '94105',
    });
    expect((payload as { salesInvoiceLines: unknown[] }).salesInvoiceLines).toEqual([
      { sequence: 10000, lineType: 'Item', lineObjectNumber: 'ROB-ARM-200', description: 'Robotic arm, 6-axis', quantity: 2, unitPrice: 4500, taxCode: 'TAXABLE' },
      { sequence: 20000, lineType: 'Item', lineObjectNumber: 'SVC-INSTALL', description: 'On-site installation', quantity: 6.5, unitPrice: 120, discountAmount: 60, taxCode: 'NONTAXABLE' },
    ]);
    expect(payload).not.toHaveProperty('customerId');
  });

  it('a line with two tax codes is an error naming the line field', async () => {
    const invoice = sampleInvoice();
    invoice.lines[0]!.taxes = [
      { taxCode: 'US-CA', rate: '7.25', taxableAmount: '9000.00', amount: '652.50' },
      { taxCode: 'EXEMPT', rate: '1.375', taxableAmount: '9000.00', amount: '123.75' },
    ];
    const errors = await mapErrors({ erp: 'business-central', object: 'invoice', direction: 'toErp', canonical: invoice, overlay: sampleOverlay('business-central') });
    expect(errors).toEqual([
      {
        mapping: 'business-central.invoice.toErp',
        field: 'salesInvoiceLines[0].taxCode',
        stage: 'mapping',
        origin: 'default',
        message: 'has 2 tax codes; a Business Central line takes one (map a combined tax code instead)',
      },
    ]);
  });

  it('sales order → salesOrders with salesOrderLines and ship-to address', async () => {
    const payload = await mapOk({ erp: 'business-central', object: 'salesOrder', direction: 'toErp', canonical: sampleSalesOrder() });
    expect(payload).toMatchObject({
      externalDocumentNumber: 'SO-2026-000042',
      orderDate: '2026-03-02',
      requestedDeliveryDate: '2026-03-16',
      customerNumber: 'C1001',
      shipToAddressLine1: '2200 Marina Boulevard',
      shipToCity: 'San Leandro',
      salesOrderLines: [{ sequence: 10000, lineObjectNumber: 'ROB-ARM-200', quantity: 2, taxCode: 'TAXABLE' }, { sequence: 20000, discountAmount: 60 }],
    });
  });

  it('customer → customers', async () => {
    const payload = await mapOk({ erp: 'business-central', object: 'customer', direction: 'toErp', canonical: sampleCustomer() });
    expect(payload).toEqual({
      number: 'C1001',
      displayName: 'Northwind Robotics',
      type: 'Company',
      addressLine1: '500 Howard Street',
      addressLine2: 'Suite 300',
      city: 'San Francisco',
      state: 'CA',
      country: 'US',
      postalCode: '94105',
      phoneNumber: '+1 415 555 0100',
      email: 'ap@northwind-robotics.example',
      website: 'https://northwind-robotics.example',
      taxRegistrationNumber: '94-1234567',
      currencyCode: '',
      paymentTermsId: '4c2f5a1e-9d1b-4f57-9c2e-3a3b1f0d7e21',
      creditLimit: 50000,
      blocked: ' ',
    });
  });

  it('journal entry → journal lines, debits positive and credits negative', async () => {
    const payload = await mapOk({ erp: 'business-central', object: 'journalEntry', direction: 'toErp', canonical: sampleJournalEntry() });
    const lines = (payload as { journalLines: { accountNumber: string; amount: number; documentNumber: string }[] }).journalLines;
    expect(lines.map((l) => [l.accountNumber, l.amount])).toEqual([
      ['13100', 10496.25],
      ['40100', -9000],
      ['40200', -720],
      ['23100', -776.25],
    ]);
    expect(lines.every((l) => l.documentNumber === 'JE-2026-0317')).toBe(true);
    expect(payload).toMatchObject({ code: 'DEFAULT', displayName: 'March revenue recognition' });
    expect(lines[0]).toMatchObject({ lineNumber: 10000, accountType: 'G/L Account', postingDate: '2026-03-31', externalDocumentNumber: 'JE-2026-03-REV' });
  });

  it('customer → canonical, with blanks dropped and the local currency translated back', async () => {
    const customer = await mapOk({ erp: 'business-central', object: 'customer', direction: 'fromErp', erpPayload: businessCentralCustomer });
    expect(customer).toEqual({
      id: 'C1001',
      externalIds: { 'business-central': 'f3a5738a-44e3-ea11-bb43-000d3a2feca1' },
      number: 'C1001',
      kind: 'company',
      name: 'Northwind Robotics',
      email: 'ap@northwind-robotics.example',
      website: 'https://northwind-robotics.example',
      currency: 'USD',
      paymentTerms: 'NET30',
      billingAddress: { line1: '500 Howard Street', line2: 'Suite 300', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' },
      status: 'active',
      updatedAt: '2026-03-01T08:15:00.123Z',
    });
  });

  it('sales invoice → canonical invoice v2, comment lines skipped', async () => {
    const invoice = await mapOk({ erp: 'business-central', object: 'invoice', direction: 'fromErp', erpPayload: businessCentralInvoice });
    expect(invoice).toMatchObject({
      id: '9e0f5c9c-44e3-ea11-bb43-000d3a2feca1',
      number: 'INV-2026-000123',
      customer: { number: 'C1001', name: 'Northwind Robotics' },
      currency: 'USD',
      status: 'open',
      subtotal: '9720',
      taxTotal: '776.25',
      total: '10496.25',
      lines: [
        { sku: 'ROB-ARM-200', quantity: '2', amount: '9000', taxes: [{ taxCode: 'US-CA', rate: '8.625', amount: '776.25' }] },
        { sku: 'SVC-INSTALL', quantity: '6.5', discountAmount: '60', amount: '720', taxes: [{ taxCode: 'EXEMPT', amount: '0' }] },
      ],
    });
    expect((invoice as { lines: unknown[] }).lines).toHaveLength(2);
  });

  it('two codes mapped to the same BC tax group make the way back ambiguous, and say so', async () => {
    const overlay = sampleOverlay('business-central');
    overlay.lookups.taxCodes = { 'US-CA': 'TAXABLE', 'US-NY': 'TAXABLE', EXEMPT: 'NONTAXABLE' };
    const errors = await mapErrors({ erp: 'business-central', object: 'invoice', direction: 'fromErp', erpPayload: businessCentralInvoice, overlay });
    expect(errors).toEqual([
      {
        mapping: 'business-central.invoice.fromErp',
        field: 'lines[0].taxes',
        stage: 'mapping',
        origin: 'default',
        message: 'lookup table "taxCodes" maps several codes to "TAXABLE" (US-CA, US-NY); the way back is ambiguous',
      },
    ]);
  });

  it('vendor bill → purchase invoice with item and G/L account lines, keyed by the vendor invoice number', async () => {
    const payload = await mapOk({ erp: 'business-central', object: 'vendorBill', direction: 'toErp', canonical: sampleVendorBill() });
    expect(payload).toEqual({
      vendorInvoiceNumber: 'CC-INV-88231',
      invoiceDate: '2026-03-10',
      postingDate: '2026-03-10',
      dueDate: '2026-04-09',
      vendorNumber: 'V2001',
      currencyCode: '',
      purchaseInvoiceLines: [
        { sequence: 10000, lineType: 'Item', lineObjectNumber: 'SERVO-M3', description: 'Servo motor M3', quantity: 40, directUnitCost: 85.5 },
        { sequence: 20000, lineType: 'Account', lineObjectNumber: '61300', description: 'Freight', quantity: 1, directUnitCost: 180 },
      ],
    });
  });
});

