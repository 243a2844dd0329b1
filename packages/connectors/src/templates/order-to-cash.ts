import { TenantMappingOverlaySchema } from '@switchyard/canonical';
import { z } from 'zod';
import { ERP_TARGETS, effectiveOverlay, type TemplateErp } from './erp-targets';
import { ERP_CALL_POLICY, TemplateGraph } from './graph-builder';
import type { WorkflowTemplate } from './types';

/** ERPs whose simulators (and APIs) take sales orders. */
export const ORDER_TO_CASH_ERPS = ['netsuite', 'business-central', 'sap'] as const satisfies readonly TemplateErp[];

export const OrderToCashParamsSchema = z.object({
  erp: z.enum(ORDER_TO_CASH_ERPS),
  connectionId: z.string().trim().min(1, 'must name the ERP connection').max(200),
  backOfficeConnectionId: z.string().trim().min(1, 'must name the billing/CRM/warehouse connection').max(200),
  overlay: TenantMappingOverlaySchema.optional(),
  overlayVersion: z.number().int().min(0).optional(),
  webhookPath: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-_/]*$/, 'may contain only lower-case letters, digits, "-", "_" and "/"')
    .max(100)
    .optional(),
  /** Orders whose tax is above this share of the subtotal are refused by the rule check. */
  maxTaxRate: z.number().min(0).max(1).default(0.25),
  /** How long to wait for the shipment confirmation before the run leaves by its timeout port. */
  confirmationTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(30 * 86_400_000)
    .default(7 * 86_400_000),
});
export type OrderToCashParams = z.input<typeof OrderToCashParamsSchema>;

// The tax and pricing rule: positive total, every line priced as quantity × price − discount, and a
// plausible tax share. Validation already checks that the sums add up; this is business policy.
const RULE = (maxTaxRate: number) => `$number(total) > 0
  and $count(lines[$abs($number(amount) - $round($number(quantity) * $number(unitPrice) - ($exists(discountAmount) ? $number(discountAmount) : 0), 2)) > 0.005]) = 0
  and $number(taxAmount) <= $number(subtotal) * ${maxTaxRate}`;

const FULFILMENT = `{
  "orderRef": $trigger.number,
  "lines": [$trigger.lines.{"sku": sku, "quantity": $ceil($number(quantity)), "description": description}],
  "shipTo": $trigger.shippingAddress ? {
    "name": $trigger.customer.name ? $trigger.customer.name : $trigger.customer.number,
    "line1": $trigger.shippingAddress.line1, "city": $trigger.shippingAddress.city,
    "postalCode": $trigger.shippingAddress.postalCode, "country": $trigger.shippingAddress.country
  }
}`;

// Billing takes whole quantities in minor units: fractional quantities are billed as one line of their amount.
const BILLING_INVOICE = `{
  "customerId": $trigger.customer.number ? $trigger.customer.number : $trigger.customer.id,
  "currency": $trigger.currency,
  "lines": $append($trigger.lines.{
    "description": $substring((description ? description : sku) & " × " & quantity, 0, 200),
    "quantity": 1,
    "unitAmount": $round($number(amount) * 100)
  }, $number($trigger.taxAmount) > 0 ? [{"description": "Tax", "quantity": 1, "unitAmount": $round($number($trigger.taxAmount) * 100)}] : []),
  "metadata": {"order": $trigger.number}
}`;

/**
 * Order event → validation → tax/pricing rule → sales order upserted in the ERP (by order number;
 * cancelled again by compensation if a later step fails for good, e.g. the warehouse is out of
 * stock) → fulfilment order at the warehouse → wait for the shipment confirmation (an event keyed by
 * the order number) → invoice in billing → CRM account and a status note.
 */
function build(input: OrderToCashParams) {
  const p = OrderToCashParamsSchema.parse(input);
  const erp: TemplateErp = p.erp;
  const target = ERP_TARGETS[erp];
  const order = target.salesOrder as NonNullable<(typeof target)['salesOrder']>;
  const bo = p.backOfficeConnectionId;
  const g = new TemplateGraph(`Order to cash with ${target.displayName}: sales order, warehouse, confirmation, billing and CRM; the order is cancelled when fulfilment fails.`);
  g.node('order', 'trigger.webhook', { path: p.webhookPath ?? `orders/${erp}`, synchronous: true, idempotencyKeyPath: 'number', businessKeyPaths: ['number', 'customer.number'] }, { label: 'Order received' })
    .node('validate', 'canonical.validate', { object: 'salesOrder', version: 1, migrateToLatest: false, onInvalid: 'route' }, { label: 'Validate order' })
    .node('reject', 'respond', { status: 400, body: '{"error": "the order is invalid", "errors": errors}', headers: {} }, { label: 'Answer 400', row: 1 })
    .node('rules', 'condition', { expression: RULE(p.maxTaxRate) }, { label: 'Tax and pricing rules' })
    .node('refuse', 'respond', { status: 422, body: '{"error": "the order failed the tax and pricing rules", "order": number}', headers: {} }, { label: 'Answer 422', row: 1 })
    .node('accepted', 'respond', { status: 202, body: '{"order": number, "status": "accepted"}', headers: {} }, { label: 'Answer 202', row: 1 })
    .edge('order', 'validate')
    .edge('validate', 'reject', 'invalid')
    .edge('validate', 'rules')
    .edge('rules', 'refuse', 'false')
    .edge('rules', 'accepted', 'true');
  // The 202 is a leaf: the order itself goes on from the rule check.
  let last = 'rules';
  let port = 'true';
  if (target.customerFirst) {
    g.node(
      'customer',
      target.kind,
      {
        connectionId: p.connectionId,
        operation: 'upsert',
        recordType: target.customerFirst.recordType,
        externalIdPath: 'customer.number',
        payload: '{"displayName": $substring(customer.name ? customer.name : customer.number, 0, 100)}',
      },
      { label: 'Upsert customer', policy: ERP_CALL_POLICY },
    ).node('restore', 'transform', { expression: '$trigger' }, { label: 'Back to the order' });
    g.edge(last, 'customer', port).chain('customer', 'restore');
    last = 'restore';
    port = 'out';
  }
  g.node(
    'salesOrder',
    target.kind,
    {
      connectionId: p.connectionId,
      operation: 'upsert',
      recordType: order.recordType,
      externalIdPath: 'number',
      mapping: { object: 'salesOrder', overlay: effectiveOverlay(erp, 'salesOrder', p.overlay) },
    },
    {
      label: 'Upsert sales order',
      policy: ERP_CALL_POLICY,
      compensation: { kind: target.kind, config: { connectionId: p.connectionId, ...order.cancel }, policy: ERP_CALL_POLICY },
    },
  )
    .node(
      'fulfil',
      'back-office.record',
      { connectionId: bo, operation: 'upsert', recordType: 'warehouse/fulfillment-orders', externalIdPath: '$trigger.number', payload: FULFILMENT },
      { label: 'Fulfilment order', policy: ERP_CALL_POLICY },
    )
    .node('confirmed', 'wait.event', { key: '$trigger.number', timeoutMs: p.confirmationTimeoutMs }, { label: 'Wait for shipment confirmation' })
    .node(
      'bill',
      'back-office.record',
      { connectionId: bo, operation: 'upsert', recordType: 'billing/invoices', externalIdPath: '$trigger.number', payload: BILLING_INVOICE },
      { label: 'Invoice in billing', policy: ERP_CALL_POLICY },
    )
    .node(
      'crm',
      'back-office.record',
      {
        connectionId: bo,
        operation: 'upsert',
        recordType: 'crm/accounts',
        externalIdPath: '$trigger.customer.number ? $trigger.customer.number : $trigger.customer.id',
        payload: '{"name": $trigger.customer.name ? $trigger.customer.name : $trigger.customer.number, "status": "active", "paymentStatus": "current"}',
      },
      { label: 'CRM account', policy: ERP_CALL_POLICY },
    )
    .node(
      'note',
      'back-office.record',
      {
        connectionId: bo,
        operation: 'upsert',
        recordType: 'crm/status-updates',
        externalIdPath: '"order-" & $trigger.number',
        payload: '{"accountId": id, "status": "billed", "subject": "Order " & $trigger.number & " shipped and billed"}',
      },
      { label: 'CRM status note', policy: ERP_CALL_POLICY },
    )
    .edge(last, 'salesOrder', port)
    .chain('salesOrder', 'fulfil', 'confirmed', 'bill', 'crm', 'note');
  return {
    name: `Order to cash (${target.displayName})`,
    description: `Sales order in ${target.displayName}, fulfilment, confirmation, billing and CRM${p.overlayVersion !== undefined ? ` (mapping overlay v${p.overlayVersion})` : ''}.`,
    graph: g.build(),
  };
}

export const orderToCashTemplate: WorkflowTemplate<OrderToCashParams> = {
  id: 'order-to-cash',
  name: 'Order to cash',
  description: 'Order → rule check → ERP sales order → warehouse → confirmation → billing and CRM; compensation cancels the sales order when fulfilment fails.',
  erps: ORDER_TO_CASH_ERPS,
  connections: ['erp', 'back-office'],
  mappingObjects: () => ['salesOrder'],
  parameters: OrderToCashParamsSchema,
  build,
};
