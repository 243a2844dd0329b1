import { defineMapping } from '../types';

/**
 * Dynamics 365 Business Central API v2.0 (`/api/v2.0/companies({id})/...`). The company is in the URL,
 * so legal entities map to the company id the connector calls, not to a payload field. Documents are
 * created with their lines in one deep insert (`salesOrderLines`, `salesInvoiceLines`); BC numbers
 * documents itself, so our number goes into `externalDocumentNumber`, which is also what an upsert
 * filters on. BC writes the company's local currency as "" (map it in the currencies table) and
 * identifies payment terms by GUID (`paymentTermsId`).
 */

const address = (prefix: string, a: string) => ({
  [`${prefix}AddressLine1`]: `${a}.line1`,
  [`${prefix}AddressLine2`]: `${a}.line2`,
  [`${prefix}City`]: `${a}.city`,
  [`${prefix}State`]: `${a}.region`,
  [`${prefix}PostCode`]: `${a}.postalCode`,
  [`${prefix}Country`]: `${a}.country`,
});

const customerRef = {
  customerNumber: 'customer.number',
  customerId: 'customer.externalIds.`business-central`',
};

const salesLine = {
  sequence: 'lineNumber * 10000',
  lineType: "'Item'",
  lineObjectNumber: 'sku',
  description: '$substring(description, 0, 100)',
  quantity: '$number(quantity)',
  unitPrice: '$number(unitPrice)',
  discountAmount: '$number(discountAmount)',
};

const customerToErp = defineMapping('business-central', {
  object: 'customer',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /api/v2.0/companies({companyId})/customers',
  description: 'Canonical customer → Business Central customer.',
  fields: {
    number: 'number',
    displayName: '$substring(name, 0, 100)',
    type: "kind = 'individual' ? 'Person' : 'Company'",
    addressLine1: 'billingAddress.line1',
    addressLine2: 'billingAddress.line2',
    city: 'billingAddress.city',
    state: 'billingAddress.region',
    country: 'billingAddress.country',
    postalCode: 'billingAddress.postalCode',
    phoneNumber: 'phone',
    email: 'email',
    website: 'website',
    taxRegistrationNumber: 'taxId',
    currencyCode: "$lookup('currencies', currency)",
    paymentTermsId: "$lookup('paymentTerms', paymentTerms)",
    creditLimit: '$number(creditLimit)',
    blocked: "status = 'inactive' ? 'All' : ' '",
  },
});

const salesOrderToErp = defineMapping('business-central', {
  object: 'salesOrder',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /api/v2.0/companies({companyId})/salesOrders',
  description: 'Canonical sales order → Business Central sales order with its lines (deep insert).',
  fields: {
    externalDocumentNumber: 'number',
    orderDate: 'orderDate',
    postingDate: 'orderDate',
    requestedDeliveryDate: 'requestedDeliveryDate',
    ...customerRef,
    currencyCode: "$lookup('currencies', currency)",
    paymentTermsId: "$lookup('paymentTerms', paymentTerms)",
    ...address('shipTo', 'shippingAddress'),
    salesOrderLines: {
      each: 'lines',
      fields: { ...salesLine, taxCode: "$lookup('taxCodes', taxCode)" },
    },
  },
});

const invoiceToErp = defineMapping('business-central', {
  object: 'invoice',
  direction: 'toErp',
  canonicalVersion: 2,
  resource: 'POST /api/v2.0/companies({companyId})/salesInvoices',
  description: 'Canonical invoice v2 → Business Central sales invoice with its lines (deep insert).',
  fields: {
    externalDocumentNumber: 'number',
    invoiceDate: 'issueDate',
    postingDate: 'issueDate',
    dueDate: 'dueDate',
    ...customerRef,
    customerPurchaseOrderReference: 'customerPurchaseOrder',
    currencyCode: "$lookup('currencies', currency)",
    paymentTermsId: "$lookup('paymentTerms', paymentTerms)",
    ...address('billTo', 'billingAddress'),
    salesInvoiceLines: {
      each: 'lines',
      fields: {
        ...salesLine,
        // A BC line has one tax group code; BC computes the amounts from it.
        taxCode: "$count(taxes) > 1 ? $error('has ' & $count(taxes) & ' tax codes; a Business Central line takes one (map a combined tax code instead)') : $lookup('taxCodes', taxes[0].taxCode)",
      },
    },
  },
});

const vendorBillToErp = defineMapping('business-central', {
  object: 'vendorBill',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /api/v2.0/companies({companyId})/purchaseInvoices',
  description:
    "Canonical vendor bill → Business Central purchase invoice with its lines (deep insert): item lines for lines with a sku, G/L account lines for the rest; the supplier's invoice number is BC's vendor invoice number.",
  fields: {
    vendorInvoiceNumber: 'number',
    invoiceDate: 'billDate',
    postingDate: 'billDate',
    dueDate: 'dueDate',
    vendorNumber:
      "supplier.number ? supplier.number : supplier.externalIds.`business-central` ? supplier.externalIds.`business-central` : $error('supplier needs a number (the Business Central vendor) or externalIds.business-central')",
    currencyCode: "$lookup('currencies', currency)",
    purchaseInvoiceLines: {
      each: 'lines',
      fields: {
        sequence: 'lineNumber * 10000',
        lineType: "sku ? 'Item' : 'Account'",
        lineObjectNumber: "sku ? sku : $lookup('accounts', account)",
        description: '$substring(description, 0, 100)',
        quantity: '$number(quantity)',
        directUnitCost: '$number(unitPrice)',
      },
    },
  },
});

const journalEntryToErp = defineMapping('business-central', {
  object: 'journalEntry',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /api/v2.0/companies({companyId})/journals({journalId})/journalLines (one per line)',
  description: 'Canonical journal entry → Business Central general journal lines (debits positive, credits negative).',
  fields: {
    code: "'DEFAULT'",
    displayName: '$substring(memo, 0, 50)',
    journalLines: {
      each: 'lines',
      fields: {
        lineNumber: 'lineNumber * 10000',
        accountType: "'G/L Account'",
        accountNumber: "$lookup('accounts', account)",
        postingDate: '$root.postingDate',
        documentNumber: '$substring($root.number ? $root.number : $root.id, 0, 20)',
        externalDocumentNumber: '$substring($root.id, 0, 35)',
        amount: '$number(debit) > 0 ? $number(debit) : -$number(credit)',
        description: '$substring(memo ? memo : $root.memo, 0, 100)',
      },
    },
  },
});

const customerFromErp = defineMapping('business-central', {
  object: 'customer',
  direction: 'fromErp',
  canonicalVersion: 1,
  resource: 'GET /api/v2.0/companies({companyId})/customers({id})',
  description: 'Business Central customer → canonical customer.',
  fields: {
    id: 'number',
    'externalIds.business-central': 'id',
    number: 'number',
    kind: "type = 'Person' ? 'individual' : 'company'",
    name: 'displayName',
    // BC keeps one display name; for people the last word is taken as the last name.
    firstName: "type = 'Person' ? $present($join($filter($split(displayName, ' '), function($v, $i, $a) { $i < $count($a) - 1 }), ' '))",
    lastName: "type = 'Person' ? $split(displayName, ' ')[-1]",
    email: '$present(email)',
    phone: '$present(phoneNumber)',
    website: '$present(website) ? ($contains(website, "://") ? website : "https://" & website)',
    taxId: '$present(taxRegistrationNumber)',
    currency: "$present($reverseLookup('currencies', currencyCode))",
    paymentTerms: "$present(paymentTermsId) ? $reverseLookup('paymentTerms', paymentTermsId)",
    billingAddress:
      '$present(addressLine1) ? {"line1": addressLine1, "line2": $present(addressLine2), "city": city, "region": $present(state), "postalCode": $present(postalCode), "country": country}',
    status: "blocked = 'All' ? 'inactive' : 'active'",
    updatedAt: '$present(lastModifiedDateTime)',
  },
});

const invoiceFromErp = defineMapping('business-central', {
  object: 'invoice',
  direction: 'fromErp',
  canonicalVersion: 2,
  resource: 'GET /api/v2.0/companies({companyId})/salesInvoices({id})?$expand=salesInvoiceLines',
  description: 'Business Central sales invoice (lines expanded) → canonical invoice v2.',
  fields: {
    id: 'id',
    'externalIds.business-central': 'id',
    number: '$present(externalDocumentNumber) ? externalDocumentNumber : number',
    'customer.number': 'customerNumber',
    'customer.name': '$present(customerName)',
    'customer.externalIds.business-central': '$present(customerId)',
    customerPurchaseOrder: '$present(customerPurchaseOrderReference)',
    issueDate: 'invoiceDate',
    dueDate: 'dueDate',
    currency: "$present($reverseLookup('currencies', currencyCode))",
    paymentTerms: "$present(paymentTermsId) ? $reverseLookup('paymentTerms', paymentTermsId)",
    status: "status = 'Paid' ? 'paid' : status = 'Canceled' ? 'void' : status = 'Draft' ? 'draft' : 'open'",
    lines: {
      each: "salesInvoiceLines[lineType = 'Item']",
      fields: {
        lineNumber: '$index + 1',
        sku: 'lineObjectNumber',
        description: '$present(description)',
        quantity: '$decimal(quantity)',
        unitPrice: '$decimal(unitPrice)',
        discountAmount: 'discountAmount > 0 ? $decimal(discountAmount)',
        amount: '$decimal(amountExcludingTax)',
        taxes:
          '$present(taxCode) ? [{"taxCode": $reverseLookup("taxCodes", taxCode), "rate": $decimal(taxPercent), "taxableAmount": $decimal(amountExcludingTax), "amount": $decimal(totalTaxAmount)}] : []',
      },
    },
    subtotal: '$decimal(totalAmountExcludingTax)',
    taxTotal: '$decimal(totalTaxAmount)',
    total: '$decimal(totalAmountIncludingTax)',
  },
});

export const businessCentralMappings = [customerToErp, salesOrderToErp, invoiceToErp, vendorBillToErp, journalEntryToErp, customerFromErp, invoiceFromErp];
