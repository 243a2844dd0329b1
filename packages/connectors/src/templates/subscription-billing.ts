import { TenantMappingOverlaySchema } from '@switchyard/canonical';
import { z } from 'zod';
import { ERP_TARGETS, TEMPLATE_ERPS, effectiveOverlay, type TemplateErp } from './erp-targets';
import { ERP_CALL_POLICY, TemplateGraph } from './graph-builder';
import type { WorkflowTemplate } from './types';

export const SubscriptionBillingParamsSchema = z.object({
  erp: z.enum(TEMPLATE_ERPS),
  connectionId: z.string().trim().min(1, 'must name the ERP connection').max(200),
  backOfficeConnectionId: z.string().trim().min(1, 'must name the billing/CRM connection').max(200),
  overlay: TenantMappingOverlaySchema.optional(),
  overlayVersion: z.number().int().min(0).optional(),
  webhookPath: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-_/]*$/, 'may contain only lower-case letters, digits, "-", "_" and "/"')
    .max(100)
    .optional(),
  /** The tenant's account codes of the summarized entry (mapped through the accounts lookup). */
  accounts: z
    .object({ receivable: z.string().min(1).max(64).default('1200'), revenue: z.string().min(1).max(64).default('4200') })
    .default({ receivable: '1200', revenue: '4200' }),
});
export type SubscriptionBillingParams = z.input<typeof SubscriptionBillingParamsSchema>;

/** What the usage event must carry; anything else is answered 400 before anything is charged. */
const USAGE_CHECK = `$type(id) = 'string' and $type(period) = 'string' and $type(customer.number) = 'string'
  and $type(currency) = 'string' and $type(legalEntity) = 'string' and $type(postingDate) = 'string'
  and $count(items) > 0 and $count(items[$type(quantity) != 'number' or quantity < 0 or $type($number(unitPrice)) != 'number']) = 0`;

/** Usage × price per metric, in minor units as the billing engine takes them; zero charges are dropped. */
const RATE = `(
  $u := $;
  $charges := [items.{
    "externalId": $u.id & "-" & metric,
    "customerId": $u.customer.number,
    "amount": $round(quantity * $number(unitPrice) * 100),
    "currency": $u.currency,
    "description": (description ? description : metric) & " × " & quantity,
    "period": $u.period
  }][amount > 0];
  /* [ ] keeps a single charge a list: JSONata hands a one-element result out as the element itself. */
  {"usage": $u.id, "charges": [$charges]}
)`;

const BILLING_INVOICE = `{
  "customerId": $trigger.customer.number,
  "currency": $trigger.currency,
  "lines": [$trigger.items[$round(quantity * $number(unitPrice) * 100) > 0].{
    "description": $substring((description ? description : metric) & " × " & quantity, 0, 200),
    "quantity": 1,
    "unitAmount": $round(quantity * $number(unitPrice) * 100)
  }],
  "metadata": {"usage": $trigger.id, "period": $trigger.period}
}`;

/** One summarized entry per usage event: receivable against subscription revenue, in canonical form. */
function journal(accounts: { receivable: string; revenue: string }): string {
  const q = (s: string) => JSON.stringify(s);
  return `(
  $u := $trigger;
  $total := $formatNumber($sum($u.items.($round(quantity * $number(unitPrice), 2))), '0.00');
  {
    "id": $u.id,
    "number": $u.id,
    "postingDate": $u.postingDate,
    "currency": $u.currency,
    "legalEntity": $u.legalEntity,
    "source": "subscription-billing",
    "memo": $substring("Usage " & $u.period & ", customer " & $u.customer.number, 0, 500),
    "lines": [
      {"lineNumber": 1, "account": ${q(accounts.receivable)}, "debit": $total, "memo": "Receivable " & $u.id},
      {"lineNumber": 2, "account": ${q(accounts.revenue)}, "credit": $total, "memo": "Subscription and usage revenue"}
    ]
  }
)`;
}

/**
 * Usage event → rated charges in the billing engine (one per metric, idempotent by usage id and
 * metric) → the period's invoice → one summarized journal entry in the tenant's ERP (posted, where
 * the ERP posts journals in a second step) → the invoice's payment status back to the CRM.
 */
function build(input: SubscriptionBillingParams) {
  const p = SubscriptionBillingParamsSchema.parse(input);
  const erp: TemplateErp = p.erp;
  const target = ERP_TARGETS[erp];
  const journalTarget = target.journal as NonNullable<(typeof target)['journal']>;
  const bo = p.backOfficeConnectionId;
  const g = new TemplateGraph(`Subscription billing with ${target.displayName}: rated charges, invoice, summarized journal entry, CRM payment status.`);
  g.node('usage', 'trigger.webhook', { path: p.webhookPath ?? `usage/${erp}`, synchronous: false, idempotencyKeyPath: 'id', businessKeyPaths: ['id', 'customer.number'] }, { label: 'Usage received' })
    .node('check', 'condition', { expression: USAGE_CHECK }, { label: 'Usage is complete' })
    .node('reject', 'respond', { status: 400, body: '{"error": "usage needs id, period, customer.number, currency, legalEntity, postingDate and items with quantity and unitPrice"}', headers: {} }, { label: 'Answer 400', row: 1 })
    .node('rate', 'transform', { expression: RATE }, { label: 'Rate usage' })
    .node('charges', 'map', { items: 'charges', concurrency: 4, onItemError: 'fail' }, { label: 'Each charge' })
    .node('charge', 'back-office.record', { connectionId: bo, operation: 'upsert', recordType: 'billing/charges', externalIdPath: 'externalId' }, { label: 'Charge', row: 1, policy: ERP_CALL_POLICY })
    .node('invoice', 'back-office.record', { connectionId: bo, operation: 'upsert', recordType: 'billing/invoices', externalIdPath: '$trigger.id', payload: BILLING_INVOICE }, { label: 'Invoice', policy: ERP_CALL_POLICY })
    .node('journal', 'transform', { expression: journal(p.accounts) }, { label: 'Summarize as journal entry' })
    .node(
      'post',
      target.kind,
      {
        connectionId: p.connectionId,
        operation: 'upsert',
        recordType: journalTarget.recordType,
        externalIdPath: 'number',
        mapping: { object: 'journalEntry', overlay: effectiveOverlay(erp, 'journalEntry', p.overlay) },
      },
      { label: `Journal entry in ${target.displayName}`, policy: ERP_CALL_POLICY },
    )
    .edge('usage', 'check')
    .edge('check', 'reject', 'false')
    .edge('check', 'rate', 'true')
    .chain('rate', 'charges')
    .edge('charges', 'charge', 'item')
    .chain('charges', 'invoice', 'journal', 'post');
  let last = 'post';
  if (journalTarget.post) {
    g.node(
      'ledger',
      target.kind,
      { connectionId: p.connectionId, operation: 'action', action: 'post', recordType: journalTarget.recordType, idPath: 'id' },
      { label: 'Post the journal', policy: ERP_CALL_POLICY },
    ).edge('post', 'ledger');
    last = 'ledger';
  }
  g.node('status', 'back-office.record', { connectionId: bo, operation: 'get', recordType: 'billing/invoices', externalIdPath: '$trigger.id' }, { label: 'Invoice status', policy: ERP_CALL_POLICY })
    .node(
      'crm',
      'back-office.record',
      {
        connectionId: bo,
        operation: 'upsert',
        recordType: 'crm/accounts',
        externalIdPath: '$trigger.customer.number',
        payload: '{"name": $trigger.customer.name ? $trigger.customer.name : $trigger.customer.number, "paymentStatus": record.status = "paid" ? "paid" : "current"}',
      },
      { label: 'Payment status to CRM', policy: ERP_CALL_POLICY },
    )
    .chain(last, 'status', 'crm');
  return {
    name: `Subscription billing (${target.displayName})`,
    description: `Rates usage in billing and posts the summarized entry to ${target.displayName}${p.overlayVersion !== undefined ? ` (mapping overlay v${p.overlayVersion})` : ''}.`,
    graph: g.build(),
  };
}

export const subscriptionBillingTemplate: WorkflowTemplate<SubscriptionBillingParams> = {
  id: 'subscription-billing',
  name: 'Subscription billing',
  description: 'Usage → rated charges in billing → summarized journal entry in the ERP → payment status to the CRM.',
  erps: TEMPLATE_ERPS,
  connections: ['erp', 'back-office'],
  mappingObjects: () => ['journalEntry'],
  parameters: SubscriptionBillingParamsSchema,
  build,
};
