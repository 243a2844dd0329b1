import { defineMapping } from '../types';

/**
 * Oracle Fusion Cloud ERP REST resources (`/fscmRestApi/resources/{version}/…`, customers under
 * `/crmRestApi`). Conventions: PascalCase attributes, amounts as JSON numbers, dates as ISO dates,
 * child collections created in the same POST (`receivablesInvoiceLines`, `invoiceLines`,
 * `journalHeaders/journalLines`). Legal entities map to business units (`companyCodes` lookup), the
 * tenant's account codes to full account combinations (`accounts` lookup, e.g. 101.10.40000.000).
 * Our canonical id is not a Fusion attribute: the business keys (transaction, invoice, batch and
 * supplier numbers) are what the connector upserts by.
 */

const customerNumber = "customer.externalIds.`oracle-fusion` ? customer.externalIds.`oracle-fusion` : customer.number ? customer.number : $error('customer needs a number (the Fusion customer account number) or externalIds.oracle-fusion')";
const singleTaxCode = "$count(taxes) > 1 ? $error('has ' & $count(taxes) & ' tax codes; a Fusion receivables line takes one tax classification') : $lookup('taxCodes', taxes[0].taxCode)";
/** Fusion's period names: Feb-26 for any date in February 2026 (the default monthly calendar). */
const periodName = "$fromMillis($toMillis(postingDate), '[MNn,3-3]-[Y01]')";

const invoiceToErp = defineMapping('oracle-fusion', {
  object: 'invoice',
  direction: 'toErp',
  canonicalVersion: 2,
  resource: 'POST /fscmRestApi/resources/11.13.18.05/receivablesInvoices',
  description: 'Canonical invoice v2 → Fusion receivables invoice with its lines.',
  fields: {
    TransactionNumber: '$substring(number, 0, 20)',
    BusinessUnit: "$lookup('companyCodes', legalEntity)",
    TransactionSource: "'Switchyard'",
    TransactionType: "'Invoice'",
    TransactionDate: 'issueDate',
    DueDate: 'dueDate',
    BillToCustomerNumber: customerNumber,
    InvoiceCurrencyCode: "$lookup('currencies', currency)",
    PaymentTerms: "$lookup('paymentTerms', paymentTerms)",
    PurchaseOrder: '$substring(customerPurchaseOrder, 0, 50)',
    Comments: 'memo',
    receivablesInvoiceLines: {
      each: 'lines',
      fields: {
        LineNumber: 'lineNumber',
        ItemNumber: 'sku',
        Description: "$substring(description ? description : sku, 0, 240)",
        Quantity: '$number(quantity)',
        UnitSellingPrice: '$number(unitPrice)',
        UnitOfMeasure: 'unitOfMeasure',
        TaxClassificationCode: "$count(taxes) > 0 ? " + singleTaxCode,
      },
    },
  },
});

const journalEntryToErp = defineMapping('oracle-fusion', {
  object: 'journalEntry',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /fscmRestApi/resources/11.13.18.05/journalBatches',
  description: 'Canonical journal entry → Fusion journal batch with one journal (header) and its lines.',
  fields: {
    BatchName: '$substring(number ? number : id, 0, 100)',
    BatchDescription: '$substring(memo, 0, 240)',
    AccountingPeriodName: periodName,
    Source: "'Switchyard'",
    journalHeaders: `[{
      "HeaderName": $substring(number ? number : id, 0, 100),
      "LedgerName": $lookup('companyCodes', legalEntity),
      "AccountingDate": postingDate,
      "CurrencyCode": $lookup('currencies', currency),
      "Category": "Manual",
      "journalLines": lines.{
        "LineNumber": lineNumber,
        "AccountCombination": $lookup('accounts', account),
        "EnteredDebitAmount": $number(debit) > 0 ? $number(debit),
        "EnteredCreditAmount": $number(credit) > 0 ? $number(credit),
        "Description": memo
      }[]
    }]`,
  },
});

const vendorBillToErp = defineMapping('oracle-fusion', {
  object: 'vendorBill',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /fscmRestApi/resources/11.13.18.05/invoices',
  description: 'Canonical vendor bill → Fusion payables invoice; the supplier by name, lines with their distribution account.',
  fields: {
    InvoiceNumber: '$substring(number, 0, 50)',
    InvoiceCurrency: "$lookup('currencies', currency)",
    InvoiceAmount: '$number(total)',
    InvoiceDate: 'billDate',
    BusinessUnit: "$lookup('companyCodes', legalEntity)",
    Supplier: "supplier.name ? supplier.name : $error('supplier needs a name (Fusion matches suppliers by name)')",
    SupplierSite: "supplier.externalIds.`oracle-fusion-site` ? supplier.externalIds.`oracle-fusion-site` : 'MAIN'",
    PaymentTerms: "$lookup('paymentTerms', paymentTerms)",
    Description: '$substring(memo, 0, 240)',
    invoiceLines: {
      each: 'lines',
      fields: {
        LineNumber: 'lineNumber',
        LineType: "'Item'",
        LineAmount: '$number(amount)',
        Description: '$substring(description, 0, 240)',
        DistributionCombination: "$lookup('accounts', account)",
      },
    },
  },
});

const salesOrderToErp = defineMapping('oracle-fusion', {
  object: 'salesOrder',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /fscmRestApi/resources/11.13.18.05/salesOrdersForOrderHub',
  description: 'Canonical sales order → Fusion Order Management order (source system Switchyard).',
  fields: {
    SourceTransactionNumber: 'number',
    SourceTransactionSystem: "'SWITCHYARD'",
    SourceTransactionId: 'id',
    BusinessUnitName: "$lookup('companyCodes', legalEntity)",
    BuyingPartyNumber: customerNumber,
    TransactionalCurrencyCode: "$lookup('currencies', currency)",
    TransactionOn: 'orderDate',
    RequestedShipDate: 'requestedDeliveryDate',
    CustomerPONumber: 'customerPurchaseOrder',
    PaymentTerms: "$lookup('paymentTerms', paymentTerms)",
    lines: {
      each: 'lines',
      fields: {
        SourceTransactionLineId: '$string(lineNumber)',
        SourceTransactionLineNumber: '$string(lineNumber)',
        ProductNumber: 'sku',
        OrderedQuantity: '$number(quantity)',
        OrderedUOMCode: "unitOfMeasure ? unitOfMeasure : 'Ea'",
        UnitListPrice: '$number(unitPrice)',
      },
    },
  },
});

const customerToErp = defineMapping('oracle-fusion', {
  object: 'customer',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /crmRestApi/resources/11.13.18.05/accounts',
  description: 'Canonical customer → Fusion customer account (trading community organization) with its primary address.',
  fields: {
    OrganizationName: 'name',
    AccountNumber: 'number',
    SourceSystem: "'SWITCHYARD'",
    SourceSystemReferenceValue: 'id',
    EmailAddress: 'email',
    PhoneNumber: 'phone',
    TaxpayerIdentificationNumber: 'taxId',
    Status: "status = 'inactive' ? 'I' : 'A'",
    PrimaryAddress: `billingAddress ? [billingAddress.{
      "AddressLine1": line1, "AddressLine2": line2, "City": city, "State": region, "PostalCode": postalCode, "Country": country
    }]`,
  },
});

const customerFromErp = defineMapping('oracle-fusion', {
  object: 'customer',
  direction: 'fromErp',
  canonicalVersion: 1,
  resource: 'GET /crmRestApi/resources/11.13.18.05/accounts/{PartyNumber}',
  description: 'Fusion customer account → canonical customer.',
  fields: {
    id: "$present(SourceSystemReferenceValue) ? SourceSystemReferenceValue : 'oracle-fusion-' & PartyNumber",
    'externalIds.oracle-fusion': '$string(AccountNumber ? AccountNumber : PartyNumber)',
    number: '$present(AccountNumber)',
    kind: "'company'",
    name: 'OrganizationName',
    email: '$present(EmailAddress)',
    phone: '$present(PhoneNumber)',
    taxId: '$present(TaxpayerIdentificationNumber)',
    billingAddress: `PrimaryAddress[0].{
      "line1": AddressLine1, "line2": $present(AddressLine2), "city": City, "region": $present(State), "postalCode": $present(PostalCode), "country": Country
    }`,
    status: "Status = 'I' ? 'inactive' : 'active'",
  },
});

const invoiceFromErp = defineMapping('oracle-fusion', {
  object: 'invoice',
  direction: 'fromErp',
  canonicalVersion: 2,
  resource: 'GET /fscmRestApi/resources/11.13.18.05/receivablesInvoices/{CustomerTransactionId}?expand=receivablesInvoiceLines',
  description: 'Fusion receivables invoice (lines expanded) → canonical invoice v2.',
  fields: {
    id: "'oracle-fusion-' & $string(CustomerTransactionId)",
    'externalIds.oracle-fusion': '$string(CustomerTransactionId)',
    number: 'TransactionNumber',
    'customer.number': 'BillToCustomerNumber',
    'customer.externalIds.oracle-fusion': 'BillToCustomerNumber',
    customerPurchaseOrder: '$present(PurchaseOrder)',
    issueDate: 'TransactionDate',
    dueDate: 'DueDate ? DueDate : TransactionDate',
    currency: "$reverseLookup('currencies', InvoiceCurrencyCode)",
    legalEntity: "$reverseLookup('companyCodes', BusinessUnit)",
    paymentTerms: "$present(PaymentTerms) ? $reverseLookup('paymentTerms', PaymentTerms)",
    status: "InvoiceBalanceAmount = 0 ? 'paid' : InvoiceStatus = 'Incomplete' ? 'draft' : 'open'",
    memo: '$present(Comments)',
    lines: {
      each: 'receivablesInvoiceLines',
      fields: {
        lineNumber: 'LineNumber',
        sku: "ItemNumber ? ItemNumber : 'LINE-' & $string(LineNumber)",
        description: '$present(Description)',
        quantity: '$decimal(Quantity)',
        unitOfMeasure: '$present(UnitOfMeasure)',
        unitPrice: '$decimal(UnitSellingPrice)',
        amount: '$decimal($round(Quantity * UnitSellingPrice, 2))',
        taxes: '[]',
      },
    },
    subtotal: '$decimal(EnteredAmount)',
    taxTotal: "'0'",
    total: '$decimal(EnteredAmount)',
  },
});

export const oracleFusionMappings = [invoiceToErp, journalEntryToErp, vendorBillToErp, salesOrderToErp, customerToErp, customerFromErp, invoiceFromErp];
