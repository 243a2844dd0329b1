import { TenantMappingOverlaySchema } from '@switchyard/canonical';
import { z } from 'zod';
import { ERP_TARGETS, effectiveOverlay, type TemplateErp } from './erp-targets';
import { ERP_CALL_POLICY, TemplateGraph } from './graph-builder';
import type { WorkflowTemplate } from './types';

/** ERPs whose APIs (and simulators) take vendor bills: NetSuite vendor bills, Oracle Fusion payables invoices. */
export const PROCURE_TO_PAY_ERPS = ['netsuite', 'business-central', 'oracle-fusion'] as const satisfies readonly TemplateErp[];

export const ProcureToPayParamsSchema = z.object({
  erp: z.enum(PROCURE_TO_PAY_ERPS),
  connectionId: z.string().trim().min(1, 'must name the ERP connection').max(200),
  /** A `rest` connection to the procurement system that answers GET /purchase-orders/{number}. */
  procurementConnectionId: z.string().trim().min(1, 'must name the procurement (REST) connection').max(200),
  overlay: TenantMappingOverlaySchema.optional(),
  overlayVersion: z.number().int().min(0).optional(),
  webhookPath: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-_/]*$/, 'may contain only lower-case letters, digits, "-", "_" and "/"')
    .max(100)
    .optional(),
  /** How far a billed unit price may be above the ordered one (0.02 = 2 %). */
  priceTolerance: z.number().min(0).max(1).default(0.02),
});
export type ProcureToPayParams = z.input<typeof ProcureToPayParamsSchema>;

/**
 * The match: the purchase order exists, is the bill's, in its currency, and every bill line that
 * names an order line bills that line's item, no more than was ordered, at the ordered price
 * within the tolerance. The node input is the procurement API's answer; `$trigger` is the bill.
 */
const match = (tolerance: number) => `(
  $po := body;
  $bill := $trigger;
  $mismatches := $filter($bill.lines, function($l) {
    $exists($l.purchaseOrderLine) and (
      $ol := $po.lines[lineNumber = $l.purchaseOrderLine];
      $not($exists($ol)) or $ol.sku != $l.sku
        or $number($l.quantity) > $number($ol.quantity)
        or $number($l.unitPrice) > $number($ol.unitPrice) * ${1 + tolerance}
    )
  });
  status = 200 and $po.number = $bill.purchaseOrderNumber and $po.currency = $bill.currency and $count($mismatches) = 0
)`;

/**
 * Supplier invoice (canonical vendor bill) → validated → its purchase order fetched from the
 * procurement system → matched line by line → vendor bill upserted in the ERP by the bill's id; a
 * bill that does not match is answered 409 and goes nowhere.
 */
function build(input: ProcureToPayParams) {
  const p = ProcureToPayParamsSchema.parse(input);
  const erp: TemplateErp = p.erp;
  const target = ERP_TARGETS[erp];
  const bill = target.vendorBill as NonNullable<(typeof target)['vendorBill']>;
  const g = new TemplateGraph(`Procure to pay with ${target.displayName}: supplier invoice matched against its purchase order, then a vendor bill.`);
  g.node('bill', 'trigger.webhook', { path: p.webhookPath ?? `supplier-invoices/${erp}`, synchronous: true, idempotencyKeyPath: 'id', businessKeyPaths: ['number', 'purchaseOrderNumber'] }, { label: 'Supplier invoice received' })
    .node('validate', 'canonical.validate', { object: 'vendorBill', version: 1, migrateToLatest: false, onInvalid: 'route' }, { label: 'Validate vendor bill' })
    .node('reject', 'respond', { status: 400, body: '{"error": "the supplier invoice is invalid", "errors": errors}', headers: {} }, { label: 'Answer 400', row: 1 })
    .node(
      'po',
      'rest.request',
      {
        connectionId: p.procurementConnectionId,
        method: 'GET',
        path: '/purchase-orders',
        pathExpression: '"/purchase-orders/" & $encodeUrlComponent(purchaseOrderNumber ? purchaseOrderNumber : "-")',
        headers: {},
        // An unknown order is an answer for the match, not a failure to retry.
        successStatuses: [200, 404],
      },
      { label: 'Fetch purchase order', policy: ERP_CALL_POLICY },
    )
    .node('match', 'condition', { expression: match(p.priceTolerance) }, { label: 'Matches the order' })
    .node('hold', 'respond', { status: 409, body: '{"error": "the supplier invoice does not match its purchase order", "purchaseOrder": $trigger.purchaseOrderNumber}', headers: {} }, { label: 'Answer 409', row: 1 })
    .node('restore', 'transform', { expression: '$trigger' }, { label: 'Back to the bill' })
    .node(
      'vendorBill',
      target.kind,
      {
        connectionId: p.connectionId,
        operation: 'upsert',
        recordType: bill.recordType,
        externalIdPath: bill.externalIdPath ?? 'id',
        mapping: { object: 'vendorBill', overlay: effectiveOverlay(erp, 'vendorBill', p.overlay) },
      },
      { label: 'Upsert vendor bill', policy: ERP_CALL_POLICY },
    )
    .node('done', 'respond', { status: 200, body: `{"bill": $trigger.id, "erp": "${erp}", "id": id}`, headers: {} }, { label: 'Answer 200' })
    .edge('bill', 'validate')
    .edge('validate', 'reject', 'invalid')
    .chain('validate', 'po', 'match')
    .edge('match', 'hold', 'false')
    .edge('match', 'restore', 'true')
    .chain('restore', 'vendorBill', 'done');
  return {
    name: `Procure to pay (${target.displayName})`,
    description: `Matches supplier invoices with their purchase orders and books vendor bills in ${target.displayName}${p.overlayVersion !== undefined ? ` (mapping overlay v${p.overlayVersion})` : ''}.`,
    graph: g.build(),
  };
}

export const procureToPayTemplate: WorkflowTemplate<ProcureToPayParams> = {
  id: 'procure-to-pay',
  name: 'Procure to pay',
  description: 'Supplier invoice → match against the purchase order → vendor bill in the ERP; mismatches are held with a 409.',
  erps: PROCURE_TO_PAY_ERPS,
  connections: ['erp', 'rest'],
  mappingObjects: () => ['vendorBill'],
  parameters: ProcureToPayParamsSchema,
  build,
};
