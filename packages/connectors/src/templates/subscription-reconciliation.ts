import { z } from 'zod';
import { ERP_TARGETS, TEMPLATE_ERPS, type TemplateErp } from './erp-targets';
import { ERP_CALL_POLICY, TemplateGraph } from './graph-builder';
import type { WorkflowTemplate } from './types';

/**
 * Where the subscription-billing template's journal entries can be read back in each ERP: the query,
 * the field holding the usage id they were posted under, and the debit of a group of records with
 * that key (Business Central posts a journal into ledger entries, one per line, so they are summed).
 */
const LEDGERS: Record<TemplateErp, { recordType: string; filter?: string; key: string; debit: string }> = {
  netsuite: {
    recordType: 'journalEntry',
    filter: `"SELECT externalid, foreigntotal FROM transaction WHERE type = 'Journal' AND externalid IS NOT NULL"`,
    key: 'externalid',
    debit: '$sum(foreigntotal.$number($))',
  },
  'business-central': { recordType: 'generalLedgerEntries', key: 'documentNumber', debit: '$sum(debitAmount.$number($))' },
  sap: {
    recordType: 'A_JournalEntry',
    filter: `"AccountingDocumentType eq 'SA'"`,
    key: 'DocumentReferenceID',
    debit: '$sum(to_Item.$number(AmountInTransactionCurrency)[$ > 0])',
  },
  workday: { recordType: 'accountingJournals', filter: '{}', key: 'externalReferenceId', debit: '$sum(totalDebitAmount.$number($))' },
  'oracle-fusion': { recordType: 'journalBatches', key: 'BatchName', debit: '$sum(RunningTotalAccountedDr.$number($))' },
};

export const SubscriptionReconciliationParamsSchema = z.object({
  erp: z.enum(TEMPLATE_ERPS),
  connectionId: z.string().trim().min(1, 'must name the ERP connection').max(200),
  backOfficeConnectionId: z.string().trim().min(1, 'must name the billing/CRM connection').max(200),
  /** Invoices compared per map item: bounds the size of one step's input and output. */
  chunkSize: z.number().int().min(1).max(1000).default(100),
  /** When the schedule fires (cron, in the tenant's time zone); the default is 02:00 every night. */
  cron: z.string().trim().min(9).max(120).default('0 2 * * *'),
  /** Most records read from each side per night. */
  maxRecords: z.number().int().min(1).max(100_000).default(10_000),
});
export type SubscriptionReconciliationParams = z.input<typeof SubscriptionReconciliationParamsSchema>;

/** The billing period: `period` from a manual start, else the month of the schedule's slot. */
const PERIOD = `$trigger.period ? $trigger.period : $substring($trigger.scheduledFor ? $trigger.scheduledFor : $now(), 0, 7)`;

/** Both sides side by side, cut into chunks that each carry the ERP totals of their own keys. */
function chunks(ledger: { key: string; debit: string }, size: number): string {
  return `(
  $period := ${PERIOD};
  $invoices := [invoices.records[metadata.period = $period].{"key": metadata.usage ? metadata.usage : externalId, "total": total, "invoice": number}];
  $ledger := ledger.records[$type(${ledger.key}) = 'string' and ${ledger.key} != '']{ ${ledger.key}: $round(${ledger.debit} * 100) };
  $ledger := $type($ledger) = 'object' ? $ledger : {};
  $n := ${size};
  $count($invoices) = 0 ? [] : [$map([0..$ceil($count($invoices) / $n) - 1], function($i) {(
    $part := $invoices[[$i * $n .. $i * $n + $n - 1]];
    {"index": $i, "period": $period, "invoices": [$part], "ledger": $sift($ledger, function($v, $k) { $k in $part.key })}
  )})]
)`;
}

/** One chunk: each invoice's total (cents) against the ERP's posted debit (cents) under the same key. */
const COMPARE = `(
  $c := $;
  {
    "index": index,
    "period": period,
    "checked": $count(invoices),
    "differences": [invoices.(
      $erp := $lookup($c.ledger, key);
      $exists($erp)
        ? ($erp != total ? {"key": key, "invoice": invoice, "kind": "amount_mismatch", "billing": total, "erp": $erp})
        : {"key": key, "invoice": invoice, "kind": "missing_in_erp", "billing": total}
    )]
  }
)`;

const REPORT = `(
  $chunks := [$];
  $differences := [$chunks.differences];
  {
    "period": $chunks[0].period ? $chunks[0].period : ${PERIOD},
    "chunks": $count($chunks),
    "checked": $sum([$chunks.checked]),
    "matched": $sum([$chunks.checked]) - $count($differences),
    "differences": $differences
  }
)`;

/**
 * The nightly reconciliation of subscription billing: a schedule starts it (or an operator, with a
 * `period`); it reads the period's invoices from billing and the journal entries from the ERP (in
 * parallel, paged by the connectors), cuts the invoices into chunks that a map compares one by one,
 * and reports the differences (missing in the ERP, amounts that differ) as the run's result. It only
 * reads: running it twice changes nothing anywhere.
 */
function build(input: SubscriptionReconciliationParams) {
  const p = SubscriptionReconciliationParamsSchema.parse(input);
  const erp: TemplateErp = p.erp;
  const target = ERP_TARGETS[erp];
  const ledger = LEDGERS[erp];
  const g = new TemplateGraph(`Nightly reconciliation of subscription billing against ${target.displayName}: billing invoices vs posted journal entries.`);
  g.node('nightly', 'trigger.manual', {}, { label: 'Nightly (schedule)' })
    .node(
      'invoices',
      'back-office.record',
      { connectionId: p.backOfficeConnectionId, operation: 'query', recordType: 'billing/invoices', maxRecords: p.maxRecords },
      { label: 'Billing invoices', policy: ERP_CALL_POLICY },
    )
    .node(
      'ledger',
      target.kind,
      { connectionId: p.connectionId, operation: 'query', recordType: ledger.recordType, ...(ledger.filter ? { filter: ledger.filter } : {}), maxRecords: p.maxRecords },
      { label: `Journal entries in ${target.displayName}`, row: 1, policy: ERP_CALL_POLICY },
    )
    .node('both', 'join', {}, { label: 'Both sides' })
    .node('chunks', 'transform', { expression: chunks(ledger, p.chunkSize) }, { label: 'Cut into chunks' })
    .node('compare', 'map', { items: '$', concurrency: 2, onItemError: 'fail' }, { label: 'Each chunk' })
    .node('check', 'transform', { expression: COMPARE }, { label: 'Compare chunk', row: 1 })
    .node('report', 'transform', { expression: REPORT }, { label: 'Report differences' })
    .edge('nightly', 'invoices')
    .edge('nightly', 'ledger')
    .edge('invoices', 'both')
    .edge('ledger', 'both')
    .chain('both', 'chunks', 'compare')
    .edge('compare', 'check', 'item')
    .edge('compare', 'report');
  return {
    name: `Subscription reconciliation (${target.displayName})`,
    description: `Every night (${p.cron}) compares billing's invoices with the journal entries in ${target.displayName} and reports the differences.`,
    graph: g.build(),
    schedule: { cron: p.cron, payload: {} },
  };
}

export const subscriptionReconciliationTemplate: WorkflowTemplate<SubscriptionReconciliationParams> = {
  id: 'subscription-reconciliation',
  name: 'Subscription reconciliation',
  description: 'Scheduled batch: billing invoices vs ERP journal entries, compared in chunks, differences reported.',
  erps: TEMPLATE_ERPS,
  connections: ['erp', 'back-office'],
  mappingObjects: () => [],
  parameters: SubscriptionReconciliationParamsSchema,
  build,
};
