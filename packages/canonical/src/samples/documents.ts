import type { InvoiceV1, InvoiceV2 } from '../schemas/invoice';
import type { JournalEntryV1 } from '../schemas/journal-entry';
import type { CustomerV1, SupplierV1 } from '../schemas/parties';
import type { PaymentV1 } from '../schemas/payment';
import type { ProductV1 } from '../schemas/product';
import type { SalesOrderV1 } from '../schemas/sales-order';
import type { VendorBillV1 } from '../schemas/vendor-bill';

/**
 * One order-to-cash story told through every canonical object: Northwind Robotics (US01) orders two
 * robotic arms and installation hours, is invoiced with California sales tax, pays by ACH; revenue is
 * journaled; a supplier bills the parts. Used by the mapping preview screen and by tests.
 * Exported as factories so that callers can modify their copy freely.
 */

const northwindBilling = { line1: '500 Howard Street', line2: 'Suite 300', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' };
const northwindShipping = { line1: '2200 Marina Boulevard', city: 'San Leandro', region: 'CA', postalCode: '94577', country: 'US' };
const northwindRef = { id: 'CUST-1001', number: 'C1001', name: 'Northwind Robotics' };

export function sampleCustomer(): CustomerV1 {
  return {
    id: 'CUST-1001',
    externalIds: { crm: '0015g00000XyZ12AAB' },
    number: 'C1001',
    kind: 'company',
    name: 'Northwind Robotics',
    legalName: 'Northwind Robotics Inc.',
    email: 'ap@northwind-robotics.example',
    phone: '+1 415 555 0100',
    website: 'https://northwind-robotics.example',
    taxId: '94-1234567',
    currency: 'USD',
    paymentTerms: 'NET30',
    legalEntity: 'US01',
    status: 'active',
    billingAddress: { ...northwindBilling },
    shippingAddress: { ...northwindShipping },
    receivablesAccount: '1200',
    creditLimit: '50000.00',
    createdAt: '2026-01-05T10:00:00Z',
  };
}

export function sampleProduct(): ProductV1 {
  return {
    id: 'PRD-ROB-ARM-200',
    sku: 'ROB-ARM-200',
    name: 'Robotic arm, 6-axis',
    type: 'inventory',
    unitOfMeasure: 'EA',
    gtin: '4006381333931',
    prices: [
      { currency: 'USD', unitPrice: '4500.00' },
      { currency: 'EUR', unitPrice: '4150.00' },
    ],
    taxCode: 'US-CA',
    incomeAccount: '4000',
    expenseAccount: '5000',
    active: true,
  };
}

export function sampleSalesOrder(): SalesOrderV1 {
  return {
    id: 'SO-2026-000042',
    number: 'SO-2026-000042',
    customer: { ...northwindRef },
    customerPurchaseOrder: 'PO-77810',
    orderDate: '2026-03-02',
    requestedDeliveryDate: '2026-03-16',
    currency: 'USD',
    legalEntity: 'US01',
    paymentTerms: 'NET30',
    status: 'confirmed',
    shippingAddress: { ...northwindShipping },
    lines: [
      { lineNumber: 1, sku: 'ROB-ARM-200', description: 'Robotic arm, 6-axis', quantity: '2', unitOfMeasure: 'EA', unitPrice: '4500.00', amount: '9000.00', taxCode: 'US-CA' },
      {
        lineNumber: 2,
        sku: 'SVC-INSTALL',
        description: 'On-site installation',
        quantity: '6.5',
        unitOfMeasure: 'H',
        unitPrice: '120.00',
        discountAmount: '60.00',
        amount: '720.00',
        taxCode: 'EXEMPT',
      },
    ],
    subtotal: '9720.00',
    taxAmount: '776.25',
    total: '10496.25',
  };
}

/** The sample invoice in its current version (v2: tax per line). */
export function sampleInvoice(): InvoiceV2 {
  return {
    id: 'INV-2026-000123',
    externalIds: { billing: 'in_1OxYzAbCdEf' },
    number: 'INV-2026-000123',
    customer: { ...northwindRef },
    salesOrderNumber: 'SO-2026-000042',
    customerPurchaseOrder: 'PO-77810',
    issueDate: '2026-03-17',
    dueDate: '2026-04-16',
    currency: 'USD',
    legalEntity: 'US01',
    paymentTerms: 'NET30',
    status: 'open',
    billingAddress: { ...northwindBilling },
    lines: [
      {
        lineNumber: 1,
        sku: 'ROB-ARM-200',
        description: 'Robotic arm, 6-axis',
        quantity: '2',
        unitOfMeasure: 'EA',
        unitPrice: '4500.00',
        amount: '9000.00',
        account: '4000',
        taxes: [{ taxCode: 'US-CA', rate: '8.625', taxableAmount: '9000.00', amount: '776.25' }],
      },
      {
        lineNumber: 2,
        sku: 'SVC-INSTALL',
        description: 'On-site installation',
        quantity: '6.5',
        unitOfMeasure: 'H',
        unitPrice: '120.00',
        discountAmount: '60.00',
        amount: '720.00',
        account: '4100',
        taxes: [{ taxCode: 'EXEMPT', rate: '0', taxableAmount: '720.00', amount: '0.00' }],
      },
    ],
    subtotal: '9720.00',
    taxTotal: '776.25',
    total: '10496.25',
    memo: 'Thank you for your business.',
  };
}

/** The same invoice as v1 (one header tax amount), for migration tests and older producers. */
export function sampleInvoiceV1(): InvoiceV1 {
  const { lines, taxTotal, ...header } = sampleInvoice();
  return {
    ...header,
    lines: lines.map(({ taxes, ...line }) => ({ ...line, taxCode: taxes[0]?.taxCode })),
    taxAmount: taxTotal,
  };
}

export function samplePayment(): PaymentV1 {
  return {
    id: 'PAY-2026-0091',
    number: 'PAY-2026-0091',
    customer: { ...northwindRef },
    paymentDate: '2026-04-10',
    currency: 'USD',
    amount: '10496.25',
    method: 'ach',
    reference: 'ACH-091000019-4471',
    status: 'completed',
    depositAccount: '1010',
    legalEntity: 'US01',
    applications: [{ invoiceNumber: 'INV-2026-000123', invoiceId: 'INV-2026-000123', amount: '10496.25' }],
  };
}

export function sampleSupplier(): SupplierV1 {
  return {
    id: 'SUP-2001',
    number: 'V2001',
    kind: 'company',
    name: 'Contoso Components',
    legalName: 'Contoso Components GmbH',
    email: 'billing@contoso-components.example',
    taxId: 'DE123456789',
    currency: 'EUR',
    paymentTerms: 'NET30',
    legalEntity: 'US01',
    status: 'active',
    remitToAddress: { line1: 'Industriestraße 12', city: 'Stuttgart', postalCode: '70565', country: 'DE' },
    payablesAccount: '2000',
    bankAccount: { accountHolder: 'Contoso Components GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  };
}

export function sampleVendorBill(): VendorBillV1 {
  return {
    id: 'BILL-2026-0311',
    number: 'CC-INV-88231',
    supplier: { id: 'SUP-2001', number: 'V2001', name: 'Contoso Components' },
    purchaseOrderNumber: 'PO-2026-0311',
    billDate: '2026-03-10',
    dueDate: '2026-04-09',
    currency: 'USD',
    legalEntity: 'US01',
    paymentTerms: 'NET30',
    status: 'open',
    lines: [
      { lineNumber: 1, sku: 'SERVO-M3', description: 'Servo motor M3', quantity: '40', unitPrice: '85.50', amount: '3420.00', taxCode: 'US-CA', purchaseOrderLine: 1 },
      { lineNumber: 2, description: 'Freight', quantity: '1', unitPrice: '180.00', amount: '180.00', account: '5100' },
    ],
    subtotal: '3600.00',
    taxAmount: '294.98',
    total: '3894.98',
  };
}

export function sampleJournalEntry(): JournalEntryV1 {
  return {
    id: 'JE-2026-03-REV',
    number: 'JE-2026-0317',
    postingDate: '2026-03-31',
    documentDate: '2026-03-31',
    currency: 'USD',
    legalEntity: 'US01',
    source: 'billing',
    memo: 'March revenue recognition',
    lines: [
      { lineNumber: 1, account: '1200', debit: '10496.25', memo: 'Accounts receivable' },
      { lineNumber: 2, account: '4000', credit: '9000.00', memo: 'Hardware revenue', costCenter: 'CC-100' },
      { lineNumber: 3, account: '4100', credit: '720.00', memo: 'Services revenue', costCenter: 'CC-200', department: 'PRO-SERV' },
      { lineNumber: 4, account: '2200', credit: '776.25', memo: 'Sales tax payable' },
    ],
  };
}

/** Every sample, keyed like canonicalSchemas (name → version). */
export function canonicalSamples() {
  return {
    customer: { 1: sampleCustomer() },
    product: { 1: sampleProduct() },
    salesOrder: { 1: sampleSalesOrder() },
    invoice: { 1: sampleInvoiceV1(), 2: sampleInvoice() },
    payment: { 1: samplePayment() },
    supplier: { 1: sampleSupplier() },
    vendorBill: { 1: sampleVendorBill() },
    journalEntry: { 1: sampleJournalEntry() },
  };
}
