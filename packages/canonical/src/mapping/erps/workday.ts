import { defineMapping } from '../types';

/**
 * Workday Financial Management REST resources. Workday's payloads are its web-service business
 * objects in camelCase: instances are referenced as `{ "id": … }` (a WID or a reference ID such as
 * `USD` or `Net_30`), the legal entity is a `company`, accounts are `ledgerAccount`s, and cost centers,
 * departments and projects are worktags on a line. Our canonical id travels as
 * `externalReferenceID`, the key the connector upserts by.
 */

const ref = (expression: string) => `$exists(${expression}) ? {"id": ${expression}}`;
const customerRef = "customer.externalIds.workday ? customer.externalIds.workday : customer.number ? customer.number : $error('customer needs externalIds.workday or a number (the Workday customer reference ID)')";
const singleTaxCode = "$count(taxes) > 1 ? $error('has ' & $count(taxes) & ' tax codes; a Workday invoice line takes one tax code') : $lookup('taxCodes', taxes[0].taxCode)";

const customerToErp = defineMapping('workday', {
  object: 'customer',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /ccx/api/financialManagement/v1/{tenant}/customers',
  description: 'Canonical customer → Workday customer.',
  fields: {
    externalReferenceID: 'id',
    customerID: 'number',
    customerName: 'name',
    taxID: 'taxId',
    defaultCurrency: ref("$lookup('currencies', currency)"),
    paymentTerms: ref("$lookup('paymentTerms', paymentTerms)"),
    creditLimit: '$number(creditLimit)',
    inactive: "status = 'inactive'",
    'contactInformation.emailAddresses': 'email ? [{"emailAddress": email, "primary": true}]',
    'contactInformation.phoneNumbers': 'phone ? [{"phoneNumber": phone, "primary": true}]',
    'contactInformation.addresses': `(
      $address := function($a, $usage) { $a ? {"addressLine1": $a.line1, "addressLine2": $a.line2, "city": $a.city, "countryRegion": $a.region, "postalCode": $a.postalCode, "country": {"id": $a.country}, "usage": $usage} };
      $list := [$address(billingAddress, "BILLING"), $address(shippingAddress, "SHIPPING")];
      $count($list) > 0 ? $list
    )`,
  },
});

const salesOrderToErp = defineMapping('workday', {
  object: 'salesOrder',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /ccx/api/revenueManagement/v1/{tenant}/salesOrders',
  description: 'Canonical sales order → Workday sales order.',
  fields: {
    externalReferenceID: 'id',
    orderNumber: 'number',
    'company.id': "$lookup('companyCodes', legalEntity)",
    'customer.id': customerRef,
    'currency.id': "$lookup('currencies', currency)",
    orderDate: 'orderDate',
    requestedDeliveryDate: 'requestedDeliveryDate',
    paymentTerms: ref("$lookup('paymentTerms', paymentTerms)"),
    customerPONumber: 'customerPurchaseOrder',
    memo: 'memo',
    orderLines: {
      each: 'lines',
      fields: {
        lineOrder: 'lineNumber',
        'salesItem.id': 'sku',
        itemDescription: 'description',
        quantity: '$number(quantity)',
        unitCost: '$number(unitPrice)',
        extendedAmount: '$number(amount)',
        'unitOfMeasure.id': 'unitOfMeasure',
        'taxCode.id': "$lookup('taxCodes', taxCode)",
      },
    },
  },
});

const invoiceToErp = defineMapping('workday', {
  object: 'invoice',
  direction: 'toErp',
  canonicalVersion: 2,
  resource: 'POST /ccx/api/revenueManagement/v1/{tenant}/customerInvoices',
  description: 'Canonical invoice v2 → Workday customer invoice.',
  fields: {
    externalReferenceID: 'id',
    invoiceNumber: 'number',
    'company.id': "$lookup('companyCodes', legalEntity)",
    'customer.id': customerRef,
    'currency.id': "$lookup('currencies', currency)",
    invoiceDate: 'issueDate',
    dueDate: 'dueDate',
    paymentTerms: ref("$lookup('paymentTerms', paymentTerms)"),
    customerPONumber: 'customerPurchaseOrder',
    memo: 'memo',
    invoiceLines: {
      each: 'lines',
      fields: {
        lineOrder: 'lineNumber',
        'salesItem.id': 'sku',
        itemDescription: 'description',
        quantity: '$number(quantity)',
        unitCost: '$number(unitPrice)',
        extendedAmount: '$number(amount)',
        'ledgerAccount.id': "$lookup('accounts', account)",
        'taxCode.id': singleTaxCode,
        taxAmount: '$count(taxes) > 0 ? $number($sumDecimals(taxes.amount))',
      },
    },
  },
});

const journalEntryToErp = defineMapping('workday', {
  object: 'journalEntry',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /ccx/api/financialManagement/v1/{tenant}/journals',
  description: 'Canonical journal entry → Workday accounting journal (actuals ledger), dimensions as worktags.',
  fields: {
    externalReferenceID: 'id',
    journalNumber: 'number',
    'company.id': "$lookup('companyCodes', legalEntity)",
    'currency.id': "$lookup('currencies', currency)",
    'ledger.id': "'Actuals'",
    accountingDate: 'postingDate',
    'journalSource.id': "'Integration'",
    reversalDate: 'reversalDate',
    memo: 'memo',
    journalEntryLines: {
      each: 'lines',
      fields: {
        lineOrder: 'lineNumber',
        'ledgerAccount.id': "$lookup('accounts', account)",
        debitAmount: '$number(debit) > 0 ? $number(debit)',
        creditAmount: '$number(credit) > 0 ? $number(credit)',
        memo: 'memo',
        worktags: `(
          $tags := [
            costCenter ? {"type": "Cost_Center", "id": costCenter},
            department ? {"type": "Organization", "id": department},
            location ? {"type": "Location", "id": location},
            project ? {"type": "Project", "id": project}
          ];
          $count($tags) > 0 ? $tags
        )`,
      },
    },
  },
});

const customerFromErp = defineMapping('workday', {
  object: 'customer',
  direction: 'fromErp',
  canonicalVersion: 1,
  resource: 'GET /ccx/api/financialManagement/v1/{tenant}/customers/{id}',
  description: 'Workday customer → canonical customer.',
  fields: {
    id: "$present(externalReferenceID) ? externalReferenceID : 'workday-' & id",
    'externalIds.workday': 'id',
    number: '$present(customerID)',
    kind: "'company'",
    name: 'customerName ? customerName : descriptor',
    email: '$present(contactInformation.emailAddresses[primary][0].emailAddress)',
    phone: '$present(contactInformation.phoneNumbers[primary][0].phoneNumber)',
    taxId: '$present(taxID)',
    currency: "$reverseLookup('currencies', defaultCurrency.id)",
    paymentTerms: "$reverseLookup('paymentTerms', paymentTerms.id)",
    billingAddress: `contactInformation.addresses[usage = "BILLING"][0].{
      "line1": addressLine1, "line2": $present(addressLine2), "city": city, "region": $present(countryRegion),
      "postalCode": $present(postalCode), "country": country.id
    }`,
    shippingAddress: `contactInformation.addresses[usage = "SHIPPING"][0].{
      "line1": addressLine1, "line2": $present(addressLine2), "city": city, "region": $present(countryRegion),
      "postalCode": $present(postalCode), "country": country.id
    }`,
    status: "inactive ? 'inactive' : 'active'",
  },
});

const invoiceFromErp = defineMapping('workday', {
  object: 'invoice',
  direction: 'fromErp',
  canonicalVersion: 2,
  resource: 'GET /ccx/api/revenueManagement/v1/{tenant}/customerInvoices/{id}',
  description: 'Workday customer invoice → canonical invoice v2.',
  fields: {
    id: "$present(externalReferenceID) ? externalReferenceID : 'workday-' & id",
    'externalIds.workday': 'id',
    number: 'invoiceNumber',
    'customer.externalIds.workday': 'customer.id',
    'customer.name': '$present(customer.descriptor)',
    customerPurchaseOrder: '$present(customerPONumber)',
    issueDate: 'invoiceDate',
    dueDate: 'dueDate',
    currency: "$reverseLookup('currencies', currency.id)",
    legalEntity: "$reverseLookup('companyCodes', company.id)",
    paymentTerms: "$reverseLookup('paymentTerms', paymentTerms.id)",
    status: "($s := $lowercase(invoiceStatus); $s = 'paid' ? 'paid' : $s = 'canceled' or $s = 'cancelled' ? 'void' : $s = 'draft' ? 'draft' : 'open')",
    memo: '$present(memo)',
    lines: {
      each: 'invoiceLines',
      fields: {
        lineNumber: 'lineOrder ? lineOrder : $index + 1',
        sku: 'salesItem.id',
        description: '$present(itemDescription)',
        quantity: '$decimal(quantity)',
        unitPrice: '$decimal(unitCost)',
        amount: '$decimal(extendedAmount)',
        account: "$reverseLookup('accounts', ledgerAccount.id)",
        taxes:
          'taxCode.id ? [{"taxCode": $reverseLookup("taxCodes", taxCode.id), "taxableAmount": $decimal(extendedAmount), "amount": $decimal(taxAmount ? taxAmount : 0)}] : []',
      },
    },
    subtotal: '$sumDecimals(invoiceLines.extendedAmount)',
    taxTotal: '$sumDecimals(invoiceLines.taxAmount)',
    total: '$sumDecimals([invoiceLines.extendedAmount, invoiceLines.taxAmount])',
  },
});

export const workdayMappings = [customerToErp, salesOrderToErp, invoiceToErp, journalEntryToErp, customerFromErp, invoiceFromErp];
