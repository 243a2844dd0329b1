/** The Business Central API v2.0 entity sets this simulator serves, with their property types. */

export type EdmKind = 'string' | 'decimal' | 'int' | 'boolean' | 'date' | 'datetime' | 'guid';

export const EDM_NAMES: Record<EdmKind, string> = {
  string: 'Edm.String',
  decimal: 'Edm.Decimal',
  int: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  date: 'Edm.Date',
  datetime: 'Edm.DateTimeOffset',
  guid: 'Edm.Guid',
};

export interface LineDef {
  nav: string;
  entityType: string;
  /** Property linking a line to its document (`documentId`, `journalId`). */
  parentKey: string;
  fields: Record<string, EdmKind>;
  readOnly: string[];
  /** One of these must be set on a new line. */
  requiredOneOf?: string[];
}

export interface EntityDef {
  set: string;
  entityType: string;
  fields: Record<string, EdmKind>;
  readOnly: string[];
  /** Properties that must be set on create; any one of a group suffices. */
  required: string[][];
  /** Auto-numbered property and its prefix when the client leaves it empty. */
  numbering?: { property: string; prefix: string; start: number };
  /** Unique per company (the primary key in BC's table). */
  unique?: string;
  lines?: LineDef;
  /** Bound actions: `POST …/{set}({id})/Microsoft.NAV.{action}`. */
  actions?: string[];
  /** Read-only entity sets (ledger entries) accept GET only. */
  readOnlySet?: boolean;
  /** `customerId`/`customerNumber` must name an existing customer. */
  customerLink?: boolean;
}

const documentLineFields: Record<string, EdmKind> = {
  id: 'guid',
  documentId: 'guid',
  sequence: 'int',
  itemId: 'guid',
  accountId: 'guid',
  lineType: 'string',
  lineObjectNumber: 'string',
  description: 'string',
  unitOfMeasureCode: 'string',
  quantity: 'decimal',
  unitPrice: 'decimal',
  discountAmount: 'decimal',
  discountPercent: 'decimal',
  taxCode: 'string',
  amountExcludingTax: 'decimal',
  totalTaxAmount: 'decimal',
  amountIncludingTax: 'decimal',
  netAmount: 'decimal',
  shipmentDate: 'date',
};
const lineReadOnly = ['id', 'documentId', 'amountExcludingTax', 'totalTaxAmount', 'amountIncludingTax', 'netAmount'];

/** purchaseInvoiceLine: as a sales line, priced by the vendor's direct unit cost. */
const { unitPrice: _unitPrice, shipmentDate: _shipmentDate, ...purchaseLineBase } = documentLineFields;
const purchaseLineFields: Record<string, EdmKind> = { ...purchaseLineBase, directUnitCost: 'decimal', expectedReceiptDate: 'date' };

const salesDocumentFields: Record<string, EdmKind> = {
  id: 'guid',
  number: 'string',
  externalDocumentNumber: 'string',
  customerId: 'guid',
  customerNumber: 'string',
  customerName: 'string',
  billToName: 'string',
  billToCustomerId: 'guid',
  billToCustomerNumber: 'string',
  shipToName: 'string',
  shipToContact: 'string',
  sellToAddressLine1: 'string',
  sellToAddressLine2: 'string',
  sellToCity: 'string',
  sellToCountry: 'string',
  sellToState: 'string',
  sellToPostCode: 'string',
  // API v2.0 sales documents carry the bill-to and ship-to addresses as flat properties too.
  billToAddressLine1: 'string',
  billToAddressLine2: 'string',
  billToCity: 'string',
  billToCountry: 'string',
  billToState: 'string',
  billToPostCode: 'string',
  shipToAddressLine1: 'string',
  shipToAddressLine2: 'string',
  shipToCity: 'string',
  shipToCountry: 'string',
  shipToState: 'string',
  shipToPostCode: 'string',
  currencyId: 'guid',
  currencyCode: 'string',
  pricesIncludeTax: 'boolean',
  paymentTermsId: 'guid',
  shipmentMethodId: 'guid',
  salesperson: 'string',
  discountAmount: 'decimal',
  totalAmountExcludingTax: 'decimal',
  totalTaxAmount: 'decimal',
  totalAmountIncludingTax: 'decimal',
  status: 'string',
  phoneNumber: 'string',
  email: 'string',
  lastModifiedDateTime: 'datetime',
};
const salesDocumentReadOnly = ['id', 'customerName', 'totalAmountExcludingTax', 'totalTaxAmount', 'totalAmountIncludingTax', 'status', 'lastModifiedDateTime'];

export const ENTITIES: Record<string, EntityDef> = {
  customers: {
    set: 'customers',
    entityType: 'customer',
    fields: {
      id: 'guid',
      number: 'string',
      displayName: 'string',
      type: 'string',
      addressLine1: 'string',
      addressLine2: 'string',
      city: 'string',
      state: 'string',
      country: 'string',
      postalCode: 'string',
      phoneNumber: 'string',
      email: 'string',
      website: 'string',
      salespersonCode: 'string',
      balanceDue: 'decimal',
      creditLimit: 'decimal',
      taxLiable: 'boolean',
      taxAreaId: 'guid',
      taxRegistrationNumber: 'string',
      currencyId: 'guid',
      currencyCode: 'string',
      paymentTermsId: 'guid',
      shipmentMethodId: 'guid',
      paymentMethodId: 'guid',
      blocked: 'string',
      lastModifiedDateTime: 'datetime',
    },
    readOnly: ['id', 'balanceDue', 'lastModifiedDateTime'],
    required: [['displayName']],
    numbering: { property: 'number', prefix: 'C', start: 10010 },
    unique: 'number',
  },
  salesOrders: {
    set: 'salesOrders',
    entityType: 'salesOrder',
    fields: {
      ...salesDocumentFields,
      orderDate: 'date',
      postingDate: 'date',
      requestedDeliveryDate: 'date',
      partialShipping: 'boolean',
      fullyShipped: 'boolean',
    },
    readOnly: [...salesDocumentReadOnly, 'fullyShipped'],
    required: [['customerId', 'customerNumber']],
    numbering: { property: 'number', prefix: 'S-ORD', start: 101001 },
    unique: 'number',
    lines: {
      nav: 'salesOrderLines',
      entityType: 'salesOrderLine',
      parentKey: 'documentId',
      fields: documentLineFields,
      readOnly: lineReadOnly,
      requiredOneOf: ['itemId', 'lineObjectNumber', 'description'],
    },
    customerLink: true,
  },
  salesInvoices: {
    set: 'salesInvoices',
    entityType: 'salesInvoice',
    fields: {
      ...salesDocumentFields,
      invoiceDate: 'date',
      postingDate: 'date',
      dueDate: 'date',
      customerPurchaseOrderReference: 'string',
      orderId: 'guid',
      orderNumber: 'string',
      remainingAmount: 'decimal',
    },
    readOnly: [...salesDocumentReadOnly, 'remainingAmount'],
    required: [['customerId', 'customerNumber']],
    numbering: { property: 'number', prefix: 'S-INV', start: 103001 },
    unique: 'number',
    lines: {
      nav: 'salesInvoiceLines',
      entityType: 'salesInvoiceLine',
      parentKey: 'documentId',
      fields: documentLineFields,
      readOnly: lineReadOnly,
      requiredOneOf: ['itemId', 'lineObjectNumber', 'description'],
    },
    actions: ['post'],
    customerLink: true,
  },
  // API v2.0 purchaseInvoices: the vendor's invoice, numbered by BC, with the vendor's own number kept.
  purchaseInvoices: {
    set: 'purchaseInvoices',
    entityType: 'purchaseInvoice',
    fields: {
      id: 'guid',
      number: 'string',
      invoiceDate: 'date',
      postingDate: 'date',
      dueDate: 'date',
      vendorInvoiceNumber: 'string',
      vendorId: 'guid',
      vendorNumber: 'string',
      vendorName: 'string',
      payToName: 'string',
      payToVendorNumber: 'string',
      currencyCode: 'string',
      pricesIncludeTax: 'boolean',
      discountAmount: 'decimal',
      totalAmountExcludingTax: 'decimal',
      totalTaxAmount: 'decimal',
      totalAmountIncludingTax: 'decimal',
      status: 'string',
      lastModifiedDateTime: 'datetime',
    },
    readOnly: ['id', 'totalAmountExcludingTax', 'totalTaxAmount', 'totalAmountIncludingTax', 'status', 'lastModifiedDateTime'],
    required: [['vendorId', 'vendorNumber']],
    numbering: { property: 'number', prefix: 'P-INV', start: 108001 },
    unique: 'number',
    lines: {
      nav: 'purchaseInvoiceLines',
      entityType: 'purchaseInvoiceLine',
      parentKey: 'documentId',
      fields: purchaseLineFields,
      readOnly: lineReadOnly,
      requiredOneOf: ['itemId', 'lineObjectNumber', 'description'],
    },
  },
  journals: {
    set: 'journals',
    entityType: 'journal',
    fields: {
      id: 'guid',
      code: 'string',
      displayName: 'string',
      templateDisplayName: 'string',
      balancingAccountId: 'guid',
      balancingAccountNumber: 'string',
      lastModifiedDateTime: 'datetime',
    },
    readOnly: ['id', 'templateDisplayName', 'lastModifiedDateTime'],
    required: [['code']],
    unique: 'code',
    lines: {
      nav: 'journalLines',
      entityType: 'journalLine',
      parentKey: 'journalId',
      fields: {
        id: 'guid',
        journalId: 'guid',
        journalDisplayName: 'string',
        lineNumber: 'int',
        accountType: 'string',
        accountId: 'guid',
        accountNumber: 'string',
        postingDate: 'date',
        documentNumber: 'string',
        externalDocumentNumber: 'string',
        amount: 'decimal',
        description: 'string',
        comment: 'string',
        taxCode: 'string',
        lastModifiedDateTime: 'datetime',
      },
      readOnly: ['id', 'journalId', 'journalDisplayName', 'lastModifiedDateTime'],
      requiredOneOf: ['accountId', 'accountNumber'],
    },
    actions: ['post'],
  },
  generalLedgerEntries: {
    set: 'generalLedgerEntries',
    entityType: 'generalLedgerEntry',
    fields: {
      id: 'guid',
      entryNumber: 'int',
      postingDate: 'date',
      documentNumber: 'string',
      documentType: 'string',
      accountId: 'guid',
      accountNumber: 'string',
      description: 'string',
      debitAmount: 'decimal',
      creditAmount: 'decimal',
      lastModifiedDateTime: 'datetime',
    },
    readOnly: [],
    required: [],
    readOnlySet: true,
  },
};

/** Checks one JSON value against an EDM type; dates and GUIDs arrive as strings. */
export function fitsEdm(kind: EdmKind, value: unknown): boolean {
  if (value === null) return kind !== 'boolean' && kind !== 'decimal' && kind !== 'int';
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value);
    case 'int':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'guid':
      return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  }
}
