/** The S/4HANA Cloud OData v2 services and entity sets this simulator serves. */

export type SapKind = 'string' | 'amount' | 'quantity' | 'date' | 'datetimeoffset' | 'boolean';

export interface ItemSetDef {
  set: string;
  type: string;
  /** Item key property (`SalesOrderItem`), numbered 10, 20, … or 001, 002, … */
  key: string;
  keyFormat: (n: number) => string;
  fields: Record<string, SapKind>;
  required: string[];
  /** Deep insert below an item: the sales order item's pricing elements (`to_PricingElement`). */
  pricing?: { nav: string; fields: Record<string, SapKind>; required: string[] };
}

export interface SapSetDef {
  service: string;
  set: string;
  type: string;
  key: string;
  fields: Record<string, SapKind>;
  /** Properties the server fills in; ignored when a client sends them. */
  computed: string[];
  required: string[];
  numberStart: number;
  items: ItemSetDef & { nav: string };
  /** Which modifying methods the real API allows on existing entities. */
  updatable: boolean;
  deletable: boolean;
  /** False when the OData service only reads (journal entries are posted over SOAP). */
  creatable?: boolean;
  /** Sum of item amounts must be zero (journal entries). */
  balanced?: boolean;
}

const str = 'string' as const;
const amt = 'amount' as const;
const qty = 'quantity' as const;
const date = 'date' as const;
const dto = 'datetimeoffset' as const;

export const SAP_SETS: SapSetDef[] = [
  {
    service: 'API_SALES_ORDER_SRV',
    set: 'A_SalesOrder',
    type: 'A_SalesOrderType',
    key: 'SalesOrder',
    fields: {
      SalesOrder: str,
      SalesOrderType: str,
      SalesOrganization: str,
      DistributionChannel: str,
      OrganizationDivision: str,
      SalesGroup: str,
      SalesOffice: str,
      SoldToParty: str,
      CreationDate: date,
      CreatedByUser: str,
      LastChangeDateTime: dto,
      PurchaseOrderByCustomer: str,
      CustomerPurchaseOrderDate: date,
      SalesOrderDate: date,
      TotalNetAmount: amt,
      TransactionCurrency: str,
      SDDocumentReason: str,
      RequestedDeliveryDate: date,
      ShippingCondition: str,
      CustomerPaymentTerms: str,
      PaymentMethod: str,
      IncotermsClassification: str,
      OverallSDProcessStatus: str,
      OverallTotalDeliveryStatus: str,
      HeaderBillingBlockReason: str,
      DeliveryBlockReason: str,
    },
    computed: ['SalesOrder', 'CreationDate', 'CreatedByUser', 'LastChangeDateTime', 'TotalNetAmount', 'OverallSDProcessStatus', 'OverallTotalDeliveryStatus'],
    required: ['SalesOrderType', 'SalesOrganization', 'DistributionChannel', 'OrganizationDivision', 'SoldToParty'],
    numberStart: 1,
    items: {
      nav: 'to_Item',
      set: 'A_SalesOrderItem',
      type: 'A_SalesOrderItemType',
      key: 'SalesOrderItem',
      keyFormat: (n) => String(n * 10),
      fields: {
        SalesOrder: str,
        SalesOrderItem: str,
        SalesOrderItemCategory: str,
        SalesOrderItemText: str,
        PurchaseOrderByCustomer: str,
        Material: str,
        RequestedQuantity: qty,
        RequestedQuantityUnit: str,
        NetAmount: amt,
        NetPriceAmount: amt,
        NetPriceQuantity: qty,
        TransactionCurrency: str,
        Plant: str,
        SalesDocumentRjcnReason: str,
      },
      required: ['Material', 'RequestedQuantity'],
      // A_SalesOrderItemPrcgElmnt: a manual PR00 price sets the item's net price.
      pricing: {
        nav: 'to_PricingElement',
        fields: { ConditionType: str, ConditionRateValue: amt, ConditionCurrency: str, ConditionQuantity: qty, ConditionQuantityUnit: str },
        required: ['ConditionType', 'ConditionRateValue'],
      },
    },
    updatable: true,
    deletable: true,
  },
  {
    service: 'API_BILLING_DOCUMENT_SRV',
    set: 'A_BillingDocument',
    type: 'A_BillingDocumentType',
    key: 'BillingDocument',
    fields: {
      BillingDocument: str,
      BillingDocumentType: str,
      SDDocumentCategory: str,
      BillingDocumentCategory: str,
      CreationDate: date,
      LastChangeDateTime: dto,
      SalesOrganization: str,
      DistributionChannel: str,
      Division: str,
      BillingDocumentDate: date,
      BillingDocumentIsCancelled: 'boolean',
      TotalNetAmount: amt,
      TransactionCurrency: str,
      TotalTaxAmount: amt,
      PayerParty: str,
      SoldToParty: str,
      PurchaseOrderByCustomer: str,
      CustomerPaymentTerms: str,
      AccountingDocument: str,
      OverallBillingStatus: str,
      DocumentReferenceID: str,
      CompanyCode: str,
    },
    computed: [
      'BillingDocument',
      'SDDocumentCategory',
      'CreationDate',
      'LastChangeDateTime',
      'TotalNetAmount',
      'TotalTaxAmount',
      'AccountingDocument',
      'OverallBillingStatus',
      'BillingDocumentIsCancelled',
    ],
    required: ['BillingDocumentType', 'SalesOrganization', 'SoldToParty', 'TransactionCurrency'],
    numberStart: 90000001,
    items: {
      nav: 'to_Item',
      set: 'A_BillingDocumentItem',
      type: 'A_BillingDocumentItemType',
      key: 'BillingDocumentItem',
      keyFormat: (n) => String(n * 10),
      fields: {
        BillingDocument: str,
        BillingDocumentItem: str,
        Material: str,
        BillingDocumentItemText: str,
        BillingQuantity: qty,
        BillingQuantityUnit: str,
        NetAmount: amt,
        TaxAmount: amt,
        TransactionCurrency: str,
        ReferenceSDDocument: str,
        ReferenceSDDocumentItem: str,
        SalesDocument: str,
        SalesDocumentItem: str,
      },
      required: ['Material', 'BillingQuantity'],
    },
    updatable: false,
    deletable: false,
  },
  {
    // Posted journal entries, read over OData (reads only: S/4HANA Cloud posts journal entries through the
    // SOAP service JournalEntryCreateRequestConfirmation_In, served by journal-entry-soap.ts).
    service: 'API_JOURNALENTRY_SRV',
    set: 'A_JournalEntry',
    type: 'A_JournalEntryType',
    key: 'AccountingDocument',
    fields: {
      AccountingDocument: str,
      CompanyCode: str,
      FiscalYear: str,
      AccountingDocumentType: str,
      DocumentDate: date,
      PostingDate: date,
      DocumentReferenceID: str,
      AccountingDocumentHeaderText: str,
      TransactionCurrency: str,
      CreatedByUser: str,
      CreationDate: date,
      LastChangeDateTime: dto,
    },
    computed: ['AccountingDocument', 'FiscalYear', 'CreatedByUser', 'CreationDate', 'LastChangeDateTime'],
    required: ['CompanyCode', 'DocumentDate', 'PostingDate', 'TransactionCurrency'],
    numberStart: 100000001,
    items: {
      nav: 'to_Item',
      set: 'A_JournalEntryItem',
      type: 'A_JournalEntryItemType',
      key: 'AccountingDocumentItem',
      keyFormat: (n) => String(n).padStart(3, '0'),
      fields: {
        AccountingDocument: str,
        AccountingDocumentItem: str,
        GLAccount: str,
        AmountInTransactionCurrency: amt,
        DebitCreditCode: str,
        DocumentItemText: str,
        CostCenter: str,
        ProfitCenter: str,
        TaxCode: str,
        TransactionCurrency: str,
      },
      required: ['GLAccount', 'AmountInTransactionCurrency'],
    },
    updatable: false,
    deletable: false,
    creatable: false,
    balanced: true,
  },
];

export const SAP_SERVICES = [...new Set(SAP_SETS.map((s) => s.service))];

/** Minimal EDMX for `$metadata`: enough for tooling that lists sets, keys and properties. */
export function metadataXml(service: string): string {
  const sets = SAP_SETS.filter((s) => s.service === service);
  const edm: Record<SapKind, string> = {
    string: 'Edm.String',
    amount: 'Edm.Decimal" Precision="16" Scale="3',
    quantity: 'Edm.Decimal" Precision="15" Scale="3',
    date: 'Edm.DateTime" Precision="0',
    datetimeoffset: 'Edm.DateTimeOffset" Precision="7',
    boolean: 'Edm.Boolean',
  };
  const entityType = (type: string, keys: string[], fields: Record<string, SapKind>, nav?: string) =>
    `<EntityType Name="${type}"><Key>${keys.map((k) => `<PropertyRef Name="${k}"/>`).join('')}</Key>` +
    Object.entries(fields)
      .map(([n, k]) => `<Property Name="${n}" Type="${edm[k]}"/>`)
      .join('') +
    (nav ? `<NavigationProperty Name="${nav}"/>` : '') +
    '</EntityType>';
  const types = sets.flatMap((s) => [entityType(s.type, [s.key], s.fields, s.items.nav), entityType(s.items.type, [s.key, s.items.key], s.items.fields)]);
  const container = sets.flatMap((s) => [
    `<EntitySet Name="${s.set}" EntityType="${service}.${s.type}"/>`,
    `<EntitySet Name="${s.items.set}" EntityType="${service}.${s.items.type}"/>`,
  ]);
  return (
    '<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">' +
    `<edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><Schema Namespace="${service}" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">` +
    types.join('') +
    `<EntityContainer Name="${service}_Entities" m:IsDefaultEntityContainer="true">${container.join('')}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`
  );
}
