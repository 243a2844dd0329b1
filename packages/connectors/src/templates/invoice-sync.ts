import { TenantMappingOverlaySchema } from '@switchyard/canonical';
import { z } from 'zod';
import { ERP_TARGETS, TEMPLATE_ERPS, effectiveOverlay, type TemplateErp } from './erp-targets';
import { ERP_CALL_POLICY, TemplateGraph } from './graph-builder';
import type { WorkflowTemplate } from './types';

export const InvoiceSyncParamsSchema = z.object({
  erp: z.enum(TEMPLATE_ERPS),
  connectionId: z.string().trim().min(1, 'must name the ERP connection').max(200),
  overlay: TenantMappingOverlaySchema.optional(),
  /** The tenant mapping version the overlay is, recorded in the graph for the audit trail. */
  overlayVersion: z.number().int().min(0).optional(),
  webhookPath: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-_/]*$/, 'may contain only lower-case letters, digits, "-", "_" and "/"')
    .max(100)
    .optional(),
  /** Workday only: the tenant's account codes the invoice posts to (mapped through the accounts lookup). */
  accounts: z
    .object({
      receivable: z.string().min(1).max(64).default('1200'),
      revenue: z.string().min(1).max(64).default('4000'),
      tax: z.string().min(1).max(64).default('2200'),
    })
    .default({ receivable: '1200', revenue: '4000', tax: '2200' }),
});
export type InvoiceSyncParams = z.input<typeof InvoiceSyncParamsSchema>;

const INVALID_BODY = '{"error": "the invoice is invalid", "object": object, "version": version, "errors": errors}';

/**
 * Workday takes the invoice as an accounting journal: receivable debited with the total, revenue
 * credited per line, tax payable credited with the tax. Accounts are the tenant's codes; the
 * tenant's accounts lookup turns them into Workday ledger accounts.
 */
function invoiceToJournal(accounts: { receivable: string; revenue: string; tax: string }): string {
  const q = (s: string) => JSON.stringify(s);
  return `(
  $revenue := lines[$number(amount) > 0];
  $credits := $map($revenue, function($l, $i) {
    {"lineNumber": $i + 2, "account": $l.account ? $l.account : ${q(accounts.revenue)}, "credit": $l.amount, "memo": $l.description ? $substring($l.description, 0, 500) : $l.sku}
  });
  $tax := $number(taxTotal) > 0 ? [{"lineNumber": $count($revenue) + 2, "account": ${q(accounts.tax)}, "credit": taxTotal, "memo": "Tax on invoice " & number}] : [];
  {
    "id": id,
    "number": number,
    "postingDate": issueDate,
    "currency": currency,
    "legalEntity": legalEntity ? legalEntity : "DEFAULT",
    "source": "invoice-sync",
    "memo": $substring("Invoice " & number & (customer.name ? " to " & customer.name : ""), 0, 500),
    "lines": $append($append([{"lineNumber": 1, "account": ${q(accounts.receivable)}, "debit": total, "memo": "Receivable, invoice " & number}], $credits), $tax)
  }
)`;
}

/**
 * Canonical invoice (webhook) → validated against the invoice v2 schema (a 400 naming every failing
 * field, and nothing sent, when it is not) → mapped with the default mapping and the tenant's overlay
 * → upserted into the ERP by invoice number, so a repeated event or a retried call never creates a
 * second invoice → 200 with the ERP's id.
 */
function build(input: InvoiceSyncParams) {
  const params = InvoiceSyncParamsSchema.parse(input);
  const erp: TemplateErp = params.erp;
  const target = ERP_TARGETS[erp];
  const invoice = target.invoice as NonNullable<(typeof target)['invoice']>;
  const path = params.webhookPath ?? `invoices/${erp}`;
  const g = new TemplateGraph(`Invoice sync to ${target.displayName}: canonical invoice → tenant mapping → ${invoice.recordType}, idempotent by invoice number.`);
  g.node('invoice', 'trigger.webhook', { path, synchronous: true, idempotencyKeyPath: 'number', businessKeyPaths: ['number', 'customer.number'] }, { label: 'Invoice received' })
    .node('validate', 'canonical.validate', { object: 'invoice', version: 2, migrateToLatest: false, onInvalid: 'route' }, { label: 'Validate invoice v2' })
    .node('reject', 'respond', { status: 400, body: INVALID_BODY, headers: {} }, { label: 'Answer 400', row: 1 })
    .edge('invoice', 'validate')
    .edge('validate', 'reject', 'invalid');
  let last = 'validate';
  if (target.customerFirst) {
    g.node(
      'customer',
      target.kind,
      {
        connectionId: params.connectionId,
        operation: 'upsert',
        recordType: target.customerFirst.recordType,
        externalIdPath: 'customer.number',
        payload: '{"displayName": $substring(customer.name ? customer.name : customer.number, 0, 100)}',
      },
      { label: 'Upsert customer', policy: ERP_CALL_POLICY },
    ).node('restore', 'transform', { expression: '$trigger' }, { label: 'Back to the invoice' });
    g.chain(last, 'customer', 'restore');
    last = 'restore';
  }
  if (invoice.object === 'journalEntry') {
    g.node('journal', 'transform', { expression: invoiceToJournal(params.accounts) }, { label: 'Invoice as journal entry' });
    g.edge(last, 'journal');
    last = 'journal';
  }
  g.node(
    'upsert',
    target.kind,
    {
      connectionId: params.connectionId,
      operation: 'upsert',
      recordType: invoice.recordType,
      externalIdPath: 'number',
      mapping: { object: invoice.object, overlay: effectiveOverlay(erp, invoice.object, params.overlay) },
    },
    { label: `Upsert ${invoice.recordType}`, policy: ERP_CALL_POLICY },
  )
    .node('done', 'respond', { status: 200, body: `{"invoice": $trigger.number, "erp": "${erp}", "id": id, "created": created}`, headers: {} }, { label: 'Answer 200' })
    .chain(last, 'upsert', 'done');
  return {
    name: `Invoice sync (${target.displayName})`,
    description: `Upserts canonical invoices into ${target.displayName} by invoice number${params.overlayVersion !== undefined ? ` (mapping overlay v${params.overlayVersion})` : ''}.`,
    graph: g.build(),
  };
}

export const invoiceSyncTemplate: WorkflowTemplate<InvoiceSyncParams> = {
  id: 'invoice-sync',
  name: 'Invoice sync',
  description: "Canonical invoice → tenant mapping → ERP invoice, idempotent by invoice number; invalid invoices get a 400 naming each field.",
  erps: TEMPLATE_ERPS,
  connections: ['erp'],
  mappingObjects: (erp) => [ERP_TARGETS[erp].invoice?.object ?? 'invoice'],
  parameters: InvoiceSyncParamsSchema,
  build,
};
