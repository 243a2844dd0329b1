import { describe, expect, it } from 'vitest';
import { sampleCustomer, sampleInvoice, sampleJournalEntry, sampleSalesOrder } from '../src/index';
import { sapBillingDocument, sapBusinessPartner } from './fixtures/erp-records';
import { mapOk } from './helpers';

describe('SAP S/4HANA default mappings', () => {
  it('sales order → A_SalesOrder with sales area, SoldToParty and to_Item deep insert', async () => {
    const payload = await mapOk({ erp: 'sap', object: 'salesOrder', direction: 'toErp', canonical: sampleSalesOrder() });
    expect(payload).toEqual({
      SalesOrderType: 'OR',
      SalesOrganization: '1710',
      DistributionChannel: '10',
      OrganizationDivision: '00',
      SoldToParty: 'C1001',
      PurchaseOrderByCustomer: 'PO-77810',
      SalesOrderDate: `/Date(${Date.UTC(2026, 2, 2)})/`,
      RequestedDeliveryDate: `/Date(${Date.UTC(2026, 2, 16)})/`,
      TransactionCurrency: 'USD',
      CustomerPaymentTerms: 'NT30',
      to_Item: [
        {
          SalesOrderItem: '10',
          Material: 'ROB-ARM-200',
          SalesOrderItemText: 'Robotic arm, 6-axis',
          RequestedQuantity: '2',
          RequestedQuantityUnit: 'EA',
          to_PricingElement: [{ ConditionType: 'PR00', ConditionRateValue: '4500.00', ConditionCurrency: 'USD' }],
        },
        {
          SalesOrderItem: '20',
          Material: 'SVC-INSTALL',
          SalesOrderItemText: 'On-site installation',
          RequestedQuantity: '6.5',
          RequestedQuantityUnit: 'H',
          to_PricingElement: [{ ConditionType: 'PR00', ConditionRateValue: '120.00', ConditionCurrency: 'USD' }],
        },
      ],
    });
  });

  it('invoice → A_BillingDocument F2 with company code, decimals as strings and tax amounts per item', async () => {
    const payload = await mapOk({ erp: 'sap', object: 'invoice', direction: 'toErp', canonical: sampleInvoice() });
    expect(payload).toMatchObject({
      BillingDocumentType: 'F2',
      CompanyCode: '1710',
      SoldToParty: 'C1001',
      DocumentReferenceID: 'INV-2026-000123',
      BillingDocumentDate: `/Date(${Date.UTC(2026, 2, 17)})/`,
      TotalNetAmount: '9720.00',
      TotalTaxAmount: '776.25',
      to_Item: [
        { BillingDocumentItem: '10', Material: 'ROB-ARM-200', BillingQuantity: '2', NetAmount: '9000.00', TaxAmount: '776.25' },
        { BillingDocumentItem: '20', Material: 'SVC-INSTALL', BillingQuantity: '6.5', NetAmount: '720.00', TaxAmount: '0.00' },
      ],
    });
    // A_BillingDocument has no due date, and its items neither tax code nor G/L account (SAP derives them).
    expect(payload).not.toHaveProperty('NetDueDate');
    for (const item of (payload as { to_Item: object[] }).to_Item) expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['TaxCode']));
    for (const item of (payload as { to_Item: object[] }).to_Item) expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['GLAccount']));
  });

  it('journal entry → the SOAP JournalEntry (JSON form): SA document with S/H indicators and signed amounts', async () => {
    const payload = await mapOk({ erp: 'sap', object: 'journalEntry', direction: 'toErp', canonical: sampleJournalEntry() });
    expect(payload).toMatchObject({
      CompanyCode: '1710',
      AccountingDocumentType: 'SA',
      DocumentReferenceID: 'JE-2026-0317',
      DocumentHeaderText: 'March revenue recognition',
      DocumentDate: '2026-03-31',
      PostingDate: '2026-03-31',
      TransactionCurrency: 'USD',
    });
    const items = (payload as { Item: { GLAccount: string; DebitCreditCode: string; AmountInTransactionCurrency: string; AccountAssignment?: object }[] }).Item;
    expect(items[1]?.AccountAssignment).toEqual({ CostCenter: 'CC-100' });
    expect(items.map((i) => [i.GLAccount, i.DebitCreditCode, i.AmountInTransactionCurrency])).toEqual([
      ['12100000', 'S', '10496.25'],
      ['41000000', 'H', '-9000.00'],
      ['41000100', 'H', '-720.00'],
      ['22000000', 'H', '-776.25'],
    ]);
  });

  it('customer → A_BusinessPartner in the customer roles with company and sales-area data', async () => {
    const payload = await mapOk({ erp: 'sap', object: 'customer', direction: 'toErp', canonical: sampleCustomer() });
    expect(payload).toMatchObject({
      BusinessPartnerCategory: '2',
      OrganizationBPName1: 'Northwind Robotics',
      to_BusinessPartnerAddress: [{ StreetName: '500 Howard Street', CityName: 'San Francisco', Country: 'US', to_EmailAddress: [{ EmailAddress: 'ap@northwind-robotics.example' }] }],
      to_BusinessPartnerRole: [{ BusinessPartnerRole: 'FLCU00' }, { BusinessPartnerRole: 'FLCU01' }],
      to_Customer: {
        to_CustomerCompany: [{ CompanyCode: '1710', PaymentTerms: 'NT30', ReconciliationAccount: '12100000' }],
        to_CustomerSalesArea: [{ SalesOrganization: '1710', DistributionChannel: '10', Division: '00', Currency: 'USD' }],
      },
    });
  });

  it('business partner (OData v2 results lists) → canonical customer', async () => {
    const customer = await mapOk({ erp: 'sap', object: 'customer', direction: 'fromErp', erpPayload: sapBusinessPartner });
    expect(customer).toEqual({
      id: '10100001',
      externalIds: { sap: '10100001' },
      number: '10100001',
      kind: 'company',
      name: 'Northwind Robotics',
      email: 'ap@northwind-robotics.example',
      taxId: '94-1234567',
      billingAddress: { line1: 'Howard Street 500', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' },
      legalEntity: 'US01',
      paymentTerms: 'NET30',
      status: 'active',
    });
  });

  it('billing document → canonical invoice v2, /Date()/ values converted and unit prices derived', async () => {
    const invoice = await mapOk({ erp: 'sap', object: 'invoice', direction: 'fromErp', erpPayload: sapBillingDocument });
    expect(invoice).toMatchObject({
      id: '90000042',
      number: 'INV-2026-000123',
      customer: { number: '10100001' },
      issueDate: '2026-03-17',
      dueDate: '2026-04-16',
      currency: 'USD',
      legalEntity: 'US01',
      paymentTerms: 'NET30',
      lines: [
        { sku: 'ROB-ARM-200', quantity: '2', unitPrice: '4500', amount: '9000.00', taxes: [{ taxCode: 'US-CA', amount: '776.25' }] },
        { sku: 'SVC-INSTALL', quantity: '6', unitPrice: '120', amount: '720.00', taxes: [{ taxCode: 'EXEMPT', amount: '0.00' }] },
      ],
      subtotal: '9720.00',
      taxTotal: '776.25',
      total: '10496.25',
    });
  });
});
