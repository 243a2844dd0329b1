import { defineMapping } from '../types';

/**
 * NetSuite REST record service (`/services/rest/record/v1/<record>`). Shapes follow Oracle's REST API
 * browser and samples: references are `{ "id": internalId }` or `{ "externalId": … }`, sublists are
 * `{ "items": [...] }` (`item.items`, `line.items`, `expense.items`, `addressBook.items`), and our
 * canonical id is sent as `externalId`, which is what `PUT /record/v1/invoice/eid:<id>` upserts by.
 * Tax is written the SuiteTax way (`taxDetailsOverride` + `taxDetails.items` joined to lines by
 * `taxDetailsReference`): NetSuite's REST service does not support the legacy per-line tax codes.
 */

/** Reference to a customer or vendor: its NetSuite internal id when known, otherwise our id as externalId. */
const partyRef = (party: string) =>
  `${party}.externalIds.netsuite ? {"id": ${party}.externalIds.netsuite} : ${party}.id ? {"externalId": ${party}.id} : $error("${party} needs an id (sent as NetSuite externalId) or externalIds.netsuite (its NetSuite internal id)")`;

const address = (a: string) =>
  `${a} ? {"addr1": ${a}.line1, "addr2": ${a}.line2, "addr3": ${a}.line3, "city": ${a}.city, "state": ${a}.region, "zip": ${a}.postalCode, "country": {"id": ${a}.country}}`;

const transactionHeader = {
  externalId: 'id',
  tranId: 'number',
  'subsidiary.id': "$lookup('subsidiaries', legalEntity)",
  'currency.id': "$lookup('currencies', currency)",
  'terms.id': "$lookup('paymentTerms', paymentTerms)",
  memo: 'memo',
};

const customerToErp = defineMapping('netsuite', {
  object: 'customer',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'PUT /services/rest/record/v1/customer/eid:{id}',
  description: 'Canonical customer → NetSuite customer record.',
  fields: {
    externalId: 'id',
    entityId: 'number',
    isPerson: "kind = 'individual'",
    companyName: "kind = 'company' ? name",
    firstName: "kind = 'individual' ? firstName",
    lastName: "kind = 'individual' ? lastName",
    email: 'email',
    phone: 'phone',
    url: 'website',
    vatRegNumber: 'taxId',
    'subsidiary.id': "$lookup('subsidiaries', legalEntity)",
    'currency.id': "$lookup('currencies', currency)",
    'terms.id': "$lookup('paymentTerms', paymentTerms)",
    'receivablesAccount.id': "$lookup('accounts', receivablesAccount)",
    creditLimit: '$number(creditLimit)',
    isInactive: "status = 'inactive'",
    // One address book entry per canonical address; the billing one is also the shipping default when there is no other.
    'addressBook.items': `(
      $entries := [
        billingAddress.{"defaultBilling": true, "defaultShipping": $not($exists($$.shippingAddress)), "label": "Billing", "addressBookAddress": ${address('$')}},
        shippingAddress.{"defaultBilling": false, "defaultShipping": true, "label": "Shipping", "addressBookAddress": ${address('$')}}
      ];
      $count($entries) > 0 ? $entries
    )`,
  },
});

const salesOrderToErp = defineMapping('netsuite', {
  object: 'salesOrder',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'PUT /services/rest/record/v1/salesOrder/eid:{id}',
  description: 'Canonical sales order → NetSuite sales order.',
  fields: {
    ...transactionHeader,
    entity: partyRef('customer'),
    tranDate: 'orderDate',
    shipDate: 'requestedDeliveryDate',
    otherRefNum: 'customerPurchaseOrder',
    // NetSuite order status: A = Pending Approval, B = Pending Fulfillment.
    orderStatus: "status = 'draft' ? 'A' : 'B'",
    billingAddress: address('billingAddress'),
    shippingAddress: address('shippingAddress'),
    'item.items': {
      each: 'lines',
      fields: {
        'item.externalId': 'sku',
        description: 'description',
        quantity: '$number(quantity)',
        rate: '$number(unitPrice)',
        amount: '$number(amount)',
      },
    },
  },
});

const invoiceToErp = defineMapping('netsuite', {
  object: 'invoice',
  direction: 'toErp',
  canonicalVersion: 2,
  resource: 'PUT /services/rest/record/v1/invoice/eid:{id}',
  description: 'Canonical invoice (v2, per-line tax) → NetSuite invoice with SuiteTax tax details.',
  fields: {
    ...transactionHeader,
    entity: partyRef('customer'),
    tranDate: 'issueDate',
    dueDate: 'dueDate',
    otherRefNum: 'customerPurchaseOrder',
    billingAddress: address('billingAddress'),
    'item.items': {
      each: 'lines',
      fields: {
        'item.externalId': 'sku',
        description: 'description',
        quantity: '$number(quantity)',
        rate: '$number(unitPrice)',
        amount: '$number(amount)',
        'account.id': "$lookup('accounts', account)",
        taxDetailsReference: "$count(taxes) > 0 ? 'L' & lineNumber",
      },
    },
    taxDetailsOverride: '$count(lines.taxes) > 0',
    'taxDetails.items': `(
      $details := [lines.($ref := 'L' & lineNumber; taxes.{
        "taxDetailsReference": $ref,
        "taxCode": {"id": $lookup('taxCodes', taxCode)},
        "taxRate": $number(rate),
        "taxBasis": $number(taxableAmount),
        "taxAmount": $number(amount)
      })];
      $count($details) > 0 ? $details
    )`,
  },
});

const vendorBillToErp = defineMapping('netsuite', {
  object: 'vendorBill',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'PUT /services/rest/record/v1/vendorBill/eid:{id}',
  description: 'Canonical vendor bill → NetSuite vendor bill: item lines for lines with a sku, expense lines for the rest.',
  fields: {
    ...transactionHeader,
    entity: partyRef('supplier'),
    tranDate: 'billDate',
    dueDate: 'dueDate',
    // NetSuite approval status: 1 = Pending Approval, 2 = Approved.
    'approvalStatus.id': "status = 'approved' or status = 'paid' ? '2' : '1'",
    'item.items': {
      each: 'lines[$exists(sku)]',
      fields: {
        'item.externalId': 'sku',
        description: 'description',
        quantity: '$number(quantity)',
        rate: '$number(unitPrice)',
        amount: '$number(amount)',
      },
    },
    'expense.items': {
      each: 'lines[$not($exists(sku))]',
      fields: {
        'account.id': "$lookup('accounts', account)",
        amount: '$number(amount)',
        memo: 'description',
      },
    },
  },
});

const journalEntryToErp = defineMapping('netsuite', {
  object: 'journalEntry',
  direction: 'toErp',
  canonicalVersion: 1,
  resource: 'PUT /services/rest/record/v1/journalEntry/eid:{id}',
  description: 'Canonical journal entry → NetSuite journal entry.',
  fields: {
    ...transactionHeader,
    tranDate: 'postingDate',
    reversalDate: 'reversalDate',
    exchangeRate: '$number(exchangeRate)',
    'line.items': {
      each: 'lines',
      fields: {
        'account.id': "$lookup('accounts', account)",
        debit: '$number(debit) > 0 ? $number(debit)',
        credit: '$number(credit) > 0 ? $number(credit)',
        memo: 'memo',
        'department.id': 'department',
        'location.id': 'location',
        // NetSuite's "class" segment is where most accounts keep cost centers.
        'class.id': 'costCenter',
      },
    },
  },
});

const customerFromErp = defineMapping('netsuite', {
  object: 'customer',
  direction: 'fromErp',
  canonicalVersion: 1,
  resource: 'GET /services/rest/record/v1/customer/{id}?expandSubResources=true',
  description: 'NetSuite customer record → canonical customer.',
  fields: {
    id: "externalId ? externalId : 'netsuite-' & id",
    'externalIds.netsuite': '$string(id)',
    number: '$present(entityId)',
    kind: "isPerson ? 'individual' : 'company'",
    name: "isPerson ? $join([firstName, lastName], ' ') : companyName",
    firstName: 'isPerson ? $present(firstName)',
    lastName: 'isPerson ? $present(lastName)',
    email: '$present(email)',
    phone: '$present(phone)',
    website: '$present(url)',
    taxId: '$present(vatRegNumber)',
    currency: "$reverseLookup('currencies', currency.id)",
    paymentTerms: "$reverseLookup('paymentTerms', terms.id)",
    legalEntity: "$reverseLookup('subsidiaries', subsidiary.id)",
    billingAddress: 'addressBook.items[defaultBilling][0].addressBookAddress.{"line1": addr1, "line2": $present(addr2), "line3": $present(addr3), "city": city, "region": $present(state), "postalCode": $present(zip), "country": country.id ? country.id : country}',
    shippingAddress: 'addressBook.items[defaultShipping and $not(defaultBilling)][0].addressBookAddress.{"line1": addr1, "line2": $present(addr2), "city": city, "region": $present(state), "postalCode": $present(zip), "country": country.id ? country.id : country}',
    status: "isInactive ? 'inactive' : 'active'",
    createdAt: '$present(dateCreated)',
    updatedAt: '$present(lastModifiedDate)',
  },
});

const invoiceFromErp = defineMapping('netsuite', {
  object: 'invoice',
  direction: 'fromErp',
  canonicalVersion: 2,
  resource: 'GET /services/rest/record/v1/invoice/{id}?expandSubResources=true',
  description: 'NetSuite invoice (with item and taxDetails sublists) → canonical invoice v2.',
  fields: {
    id: "externalId ? externalId : 'netsuite-' & id",
    'externalIds.netsuite': '$string(id)',
    number: 'tranId',
    'customer.externalIds.netsuite': '$string(entity.id)',
    'customer.name': '$present(entity.refName)',
    customerPurchaseOrder: '$present(otherRefNum)',
    issueDate: 'tranDate',
    dueDate: 'dueDate ? dueDate : tranDate',
    currency: "$reverseLookup('currencies', currency.id)",
    legalEntity: "$reverseLookup('subsidiaries', subsidiary.id)",
    paymentTerms: "$reverseLookup('paymentTerms', terms.id)",
    status: "($s := $lowercase($string(status.id)); $contains($s, 'paid') ? 'paid' : $contains($s, 'void') ? 'void' : 'open')",
    memo: '$present(memo)',
    lines: {
      each: 'item.items',
      fields: {
        lineNumber: '$index + 1',
        sku: 'item.refName',
        description: '$present(description)',
        quantity: '$decimal(quantity)',
        unitPrice: '$decimal(rate)',
        amount: '$decimal(amount)',
        taxes: `($ref := taxDetailsReference; [$root.taxDetails.items[taxDetailsReference = $ref].{
          "taxCode": $reverseLookup('taxCodes', taxCode.id),
          "rate": $decimal(taxRate),
          "taxableAmount": $decimal(taxBasis),
          "amount": $decimal(taxAmount)
        }])`,
      },
    },
    subtotal: '$decimal(subtotal)',
    taxTotal: '$decimal(taxTotal ? taxTotal : 0)',
    total: '$decimal(total)',
  },
});

export const netsuiteMappings = [customerToErp, salesOrderToErp, invoiceToErp, vendorBillToErp, journalEntryToErp, customerFromErp, invoiceFromErp];
