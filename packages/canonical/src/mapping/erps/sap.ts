import { defineMapping } from '../types';

/**
 * SAP S/4HANA Cloud OData v2 APIs (API_SALES_ORDER_SRV, API_BILLING_DOCUMENT_SRV,
 * API_BUSINESS_PARTNER, and the journal-entry posting service). Conventions followed here:
 * PascalCase properties, decimals and quantities as strings (`Edm.Decimal`), dates as `/Date(ms)/`,
 * items created in the same request by deep insert through the navigation property (`to_Item`),
 * and responses wrapping lists in `{ "results": [...] }` (read with `$odataResults`).
 * Legal entities map to company codes; the sales organization defaults to the same code, as in SAP's
 * best-practice configuration (1710 → 1710); tenants with other sales areas override
 * `SalesOrganization`, `DistributionChannel` and `OrganizationDivision`.
 */

const soldTo = "customer.number ? customer.number : customer.externalIds.sap ? customer.externalIds.sap : $error('customer needs a number (the SAP business partner) or externalIds.sap')";
const salesArea = {
  SalesOrganization: "$lookup('companyCodes', legalEntity)",
  DistributionChannel: "'10'",
};
const singleTaxAmount = "$count(taxes) > 1 ? $error('has ' & $count(taxes) & ' tax codes; an SAP billing item takes one') : $sumDecimals(taxes.amount)";

const salesOrderToErp = defineMapping('sap', {
  object: 'salesOrder',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder',
  description: 'Canonical sales order → A_SalesOrder with items and their PR00 prices (deep insert).',
  fields: {
    SalesOrderType: "'OR'",
    ...salesArea,
    OrganizationDivision: "'00'",
    SoldToParty: soldTo,
    // SAP has no writable external id on sales orders; the customer reference is the usual duplicate check.
    PurchaseOrderByCustomer: '$substring(customerPurchaseOrder ? customerPurchaseOrder : number, 0, 35)',
    SalesOrderDate: '$odataDate(orderDate)',
    RequestedDeliveryDate: '$odataDate(requestedDeliveryDate)',
    TransactionCurrency: "$lookup('currencies', currency)",
    CustomerPaymentTerms: "$lookup('paymentTerms', paymentTerms)",
    to_Item: {
      each: 'lines',
      fields: {
        SalesOrderItem: '$string(lineNumber * 10)',
        Material: 'sku',
        SalesOrderItemText: '$substring(description, 0, 40)',
        RequestedQuantity: 'quantity',
        RequestedQuantityUnit: "unitOfMeasure ? unitOfMeasure : 'EA'",
        to_PricingElement: `[{"ConditionType": "PR00", "ConditionRateValue": unitPrice, "ConditionCurrency": $lookup('currencies', $root.currency)}]`,
      },
    },
  },
});

const invoiceToErp = defineMapping('sap', {
  object: 'invoice',
  direction: 'toErp',
  canonicalVersion: 2,
  resource: 'POST /sap/opu/odata/sap/API_BILLING_DOCUMENT_SRV/A_BillingDocument',
  description: 'Canonical invoice v2 → A_BillingDocument (type F2) with items.',
  fields: {
    BillingDocumentType: "'F2'",
    ...salesArea,
    Division: "'00'",
    CompanyCode: "$lookup('companyCodes', legalEntity)",
    SoldToParty: soldTo,
    PayerParty: soldTo,
    DocumentReferenceID: '$substring(number, 0, 16)',
    PurchaseOrderByCustomer: '$substring(customerPurchaseOrder, 0, 35)',
    BillingDocumentDate: '$odataDate(issueDate)',
    TransactionCurrency: "$lookup('currencies', currency)",
    CustomerPaymentTerms: "$lookup('paymentTerms', paymentTerms)",
    TotalNetAmount: 'subtotal',
    TotalTaxAmount: 'taxTotal',
    to_Item: {
      each: 'lines',
      fields: {
        BillingDocumentItem: '$string(lineNumber * 10)',
        Material: 'sku',
        BillingDocumentItemText: '$substring(description, 0, 40)',
        BillingQuantity: 'quantity',
        BillingQuantityUnit: "unitOfMeasure ? unitOfMeasure : 'EA'",
        NetAmount: 'amount',
        // SAP derives the tax code and the revenue account from tax classification and account
        // determination: A_BillingDocumentItem has neither field, only the tax amount.
        TaxAmount: singleTaxAmount,
        TransactionCurrency: "$lookup('currencies', $root.currency)",
      },
    },
  },
});

const journalEntryToErp = defineMapping('sap', {
  object: 'journalEntry',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'SOAP JournalEntryCreateRequestConfirmation_In (JournalEntryBulkCreateRequest)',
  description:
    'Canonical journal entry → the JournalEntry of a JournalEntryBulkCreateRequest (SOAP), in its JSON form: document type SA, items with S (debit) / H (credit) and signed amounts; the connector writes the envelope and puts TransactionCurrency on every amount as its currencyCode.',
  fields: {
    CompanyCode: "$lookup('companyCodes', legalEntity)",
    AccountingDocumentType: "'SA'",
    DocumentReferenceID: '$substring(number ? number : id, 0, 16)',
    DocumentHeaderText: '$substring(memo, 0, 25)',
    DocumentDate: 'documentDate ? documentDate : postingDate',
    PostingDate: 'postingDate',
    TransactionCurrency: "$lookup('currencies', currency)",
    Item: {
      each: 'lines',
      fields: {
        ReferenceDocumentItem: '$string(lineNumber)',
        GLAccount: "$lookup('accounts', account)",
        // SAP's debit/credit indicator: S (Soll) debit, H (Haben) credit; credits carry a minus sign.
        AmountInTransactionCurrency: "$number(debit) > 0 ? debit : '-' & credit",
        DebitCreditCode: "$number(debit) > 0 ? 'S' : 'H'",
        DocumentItemText: '$substring(memo, 0, 50)',
        'AccountAssignment.CostCenter': 'costCenter',
      },
    },
  },
});

const customerToErp = defineMapping('sap', {
  object: 'customer',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'POST /sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner',
  description: 'Canonical customer → business partner in the customer roles, with address, company-code and sales-area data.',
  fields: {
    BusinessPartner: 'number',
    // 1 = person, 2 = organization.
    BusinessPartnerCategory: "kind = 'individual' ? '1' : '2'",
    BusinessPartnerGrouping: "'BP02'",
    OrganizationBPName1: "kind = 'company' ? $substring(name, 0, 40)",
    OrganizationBPName2: "kind = 'company' and $length(name) > 40 ? $substring(name, 40, 40)",
    FirstName: "kind = 'individual' ? firstName",
    LastName: "kind = 'individual' ? lastName",
    SearchTerm1: '$uppercase($substring(name, 0, 20))',
    BusinessPartnerIsBlocked: "status = 'inactive'",
    to_BusinessPartnerAddress: `[billingAddress.{
      "StreetName": line1,
      "StreetPrefixName": line2,
      "CityName": city,
      "Region": region,
      "PostalCode": postalCode,
      "Country": country,
      "Language": "EN",
      "to_EmailAddress": $$.email ? [{"EmailAddress": $$.email}],
      "to_PhoneNumber": $$.phone ? [{"PhoneNumber": $$.phone}]
    }]`,
    to_BusinessPartnerRole: '[{"BusinessPartnerRole": "FLCU00"}, {"BusinessPartnerRole": "FLCU01"}]',
    // Tax number categories are country-specific (DE0 VAT, US1 EIN, …); the default takes the country's "0" category.
    to_BusinessPartnerTax: 'taxId ? [{"BPTaxType": billingAddress.country & "0", "BPTaxNumber": taxId}]',
    'to_Customer.to_CustomerCompany': `legalEntity ? [{
      "CompanyCode": $lookup('companyCodes', legalEntity),
      "PaymentTerms": $lookup('paymentTerms', paymentTerms),
      "ReconciliationAccount": $lookup('accounts', receivablesAccount)
    }]`,
    'to_Customer.to_CustomerSalesArea': `legalEntity ? [{
      "SalesOrganization": $lookup('companyCodes', legalEntity),
      "DistributionChannel": "10",
      "Division": "00",
      "Currency": $lookup('currencies', currency),
      "CustomerPaymentTerms": $lookup('paymentTerms', paymentTerms)
    }]`,
  },
});

const customerFromErp = defineMapping('sap', {
  object: 'customer',
  direction: 'fromErp',
  canonicalVersion: 1,
  resource: 'GET /sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner(\'{id}\')?$expand=to_BusinessPartnerAddress/to_EmailAddress,to_BusinessPartnerTax,to_Customer/to_CustomerCompany',
  description: 'SAP business partner (the entity inside `d`, navigation properties expanded) → canonical customer.',
  fields: {
    id: 'BusinessPartner',
    'externalIds.sap': 'BusinessPartner',
    number: 'Customer ? Customer : BusinessPartner',
    kind: "BusinessPartnerCategory = '1' ? 'individual' : 'company'",
    name: "BusinessPartnerCategory = '1' ? $join([FirstName, LastName], ' ') : OrganizationBPName1 & OrganizationBPName2",
    firstName: "BusinessPartnerCategory = '1' ? $present(FirstName)",
    lastName: "BusinessPartnerCategory = '1' ? $present(LastName)",
    email: '$present($odataResults($odataResults(to_BusinessPartnerAddress)[0].to_EmailAddress)[0].EmailAddress)',
    phone: '$present($odataResults($odataResults(to_BusinessPartnerAddress)[0].to_PhoneNumber)[0].PhoneNumber)',
    taxId: '$present($odataResults(to_BusinessPartnerTax)[0].BPTaxNumber)',
    billingAddress: `$odataResults(to_BusinessPartnerAddress)[0].{
      "line1": StreetName & ($present(HouseNumber) ? " " & HouseNumber : ""),
      "line2": $present(StreetPrefixName),
      "city": CityName,
      "region": $present(Region),
      "postalCode": $present(PostalCode),
      "country": Country
    }`,
    legalEntity: "$reverseLookup('companyCodes', $odataResults(to_Customer.to_CustomerCompany)[0].CompanyCode)",
    paymentTerms: "$present($odataResults(to_Customer.to_CustomerCompany)[0].PaymentTerms) ? $reverseLookup('paymentTerms', $odataResults(to_Customer.to_CustomerCompany)[0].PaymentTerms)",
    status: "BusinessPartnerIsBlocked ? 'inactive' : 'active'",
  },
});

const invoiceFromErp = defineMapping('sap', {
  object: 'invoice',
  direction: 'fromErp',
  canonicalVersion: 2,
  resource: "GET /sap/opu/odata/sap/API_BILLING_DOCUMENT_SRV/A_BillingDocument('{id}')?$expand=to_Item",
  description: 'SAP billing document (the entity inside `d`, items expanded) → canonical invoice v2.',
  fields: {
    id: 'BillingDocument',
    'externalIds.sap': 'BillingDocument',
    number: '$present(DocumentReferenceID) ? DocumentReferenceID : BillingDocument',
    'customer.number': 'SoldToParty',
    'customer.externalIds.sap': 'SoldToParty',
    customerPurchaseOrder: '$present(PurchaseOrderByCustomer)',
    issueDate: '$fromOdataDate(BillingDocumentDate)',
    // The billing document itself has no due date in every release (FI derives it from the terms).
    dueDate: '$fromOdataDate($present(NetDueDate) ? NetDueDate : BillingDocumentDate)',
    currency: "$reverseLookup('currencies', TransactionCurrency)",
    legalEntity: "$reverseLookup('companyCodes', CompanyCode)",
    paymentTerms: "$present(CustomerPaymentTerms) ? $reverseLookup('paymentTerms', CustomerPaymentTerms)",
    status: "BillingDocumentIsCancelled ? 'void' : 'open'",
    lines: {
      each: '$odataResults(to_Item)',
      fields: {
        lineNumber: '$index + 1',
        sku: 'Material',
        description: '$present(BillingDocumentItemText)',
        quantity: '$decimal(BillingQuantity)',
        unitOfMeasure: '$present(BillingQuantityUnit)',
        // Items carry the net value, not a price: the price is derived back from it.
        unitPrice: '$decimal($round($number(NetAmount) / $number(BillingQuantity), 6))',
        amount: '$decimal(NetAmount)',
        taxes:
          '$number(TaxAmount) > 0 or $present(TaxCode) ? [{"taxCode": $reverseLookup("taxCodes", TaxCode), "taxableAmount": $decimal(NetAmount), "amount": $decimal(TaxAmount)}] : []',
      },
    },
    subtotal: '$decimal(TotalNetAmount)',
    taxTotal: '$decimal(TotalTaxAmount)',
    total: '$sumDecimals([TotalNetAmount, TotalTaxAmount])',
  },
});

export const sapMappings = [salesOrderToErp, invoiceToErp, journalEntryToErp, customerToErp, customerFromErp, invoiceFromErp];
