import {
  listDefaultMappings,
  previewMapping,
  sampleInvoice,
  sampleJournalEntry,
  sampleSalesOrder,
  sampleVendorBill,
  type ErpId,
  type LookupTable,
  type TenantMappingOverlay,
} from '@switchyard/canonical';
import { effectiveOverlay, findTemplate, type ReferenceItem, type TemplateErp } from '@switchyard/connectors';
import { CANONICAL_CODES, ERP_LOOKUP_TABLES, LOOKUP_TABLE_LABELS, type OnboardingErp } from './catalog';
import type { MappingsDraft, WorkflowsDraft } from './draft';
import type { Issue } from './issues';

/** Canonical samples the wizard previews and checks lookups with, per canonical object. */
export const SAMPLES: Record<string, () => unknown> = {
  invoice: sampleInvoice,
  salesOrder: sampleSalesOrder,
  journalEntry: sampleJournalEntry,
  vendorBill: sampleVendorBill,
};

const words = (s: string) => new Set(s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0));

/** Share of words two names have in common (Jaccard): "Net 30 days" ~ "Net 30" = 0.67. */
export function nameSimilarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return 0;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return common / (x.size + y.size - common);
}

export interface Suggestion {
  value: string;
  label: string;
  /** Why: the same code, or a similar name (with the score). */
  reason: string;
}

/** The best ERP entry for a canonical code: the same code first, then the most similar name above 0.3. */
export function suggest(code: { code: string; name: string }, options: ReferenceItem[]): Suggestion | null {
  const same = options.find((o) => o.code !== '' && o.code.toLowerCase() === code.code.toLowerCase());
  if (same) return { value: same.value, label: same.name || same.code, reason: `same code ${same.code}` };
  let best: { item: ReferenceItem; score: number } | null = null;
  for (const item of options) {
    const score = nameSimilarity(code.name, item.name);
    if (score > (best?.score ?? 0.3)) best = { item, score };
  }
  return best ? { value: best.item.value, label: best.item.name, reason: `similar name (${Math.round(best.score * 100)}%)` } : null;
}

export interface LookupTableView {
  table: LookupTable;
  label: string;
  codes: Array<{ code: string; name: string; suggestion: Suggestion | null }>;
  options: ReferenceItem[];
}

/** The ERP's lookup tables with the canonical codes, the ERP's entries and a suggestion per code. */
export function lookupTables(erp: OnboardingErp, reference: Partial<Record<LookupTable, ReferenceItem[]>>): LookupTableView[] {
  return ERP_LOOKUP_TABLES[erp].map((table) => {
    const options = reference[table] ?? [];
    return { table, label: LOOKUP_TABLE_LABELS[table], options, codes: CANONICAL_CODES[table].map((c) => ({ ...c, suggestion: suggest(c, options) })) };
  });
}

export function overlayOf(mappings: MappingsDraft | undefined): TenantMappingOverlay {
  const lookups: TenantMappingOverlay['lookups'] = {};
  for (const [table, entries] of Object.entries(mappings?.lookups ?? {})) {
    // An unmapped code is absent; "" is a real value (Business Central's local currency).
    const kept = { ...(entries ?? {}) };
    if (Object.keys(kept).length > 0) lookups[table as LookupTable] = kept;
  }
  return { fieldOverrides: {}, lookups };
}

/** The canonical objects the chosen workflows map for this ERP (invoice when none are chosen yet). */
export function mappingObjectsFor(erp: OnboardingErp, workflows: WorkflowsDraft | undefined): Array<{ object: string; templates: string[] }> {
  const byObject = new Map<string, string[]>();
  const selected = workflows?.selected ?? [];
  for (const { templateId } of selected) {
    const template = findTemplate(templateId);
    if (!template || !(template.erps as readonly string[]).includes(erp)) continue;
    for (const object of template.mappingObjects(erp as TemplateErp)) byObject.set(object, [...(byObject.get(object) ?? []), template.name]);
  }
  if (selected.length === 0) byObject.set('invoice', ['Invoice sync']);
  return [...byObject].map(([object, templates]) => ({ object, templates }));
}

/**
 * Runs each chosen workflow's canonical sample through the ERP mapping with the draft's lookup tables:
 * a code a workflow needs but the tables miss comes back as an issue naming the table, the code and
 * the workflows, at the mappings step where it can be fixed.
 */
export async function missingLookupIssues(erp: OnboardingErp, mappings: MappingsDraft | undefined, workflows: WorkflowsDraft | undefined): Promise<Issue[]> {
  const overlay = overlayOf(mappings);
  const issues: Issue[] = [];
  for (const { object, templates } of mappingObjectsFor(erp, workflows)) {
    const sample = SAMPLES[object];
    if (!sample || listDefaultMappings({ erp: erp as ErpId, object }).length === 0) continue;
    const result = await previewMapping({ erp, object, direction: 'toErp', canonical: sample(), overlay: effectiveOverlay(erp as TemplateErp, object, overlay) });
    if (result.ok) continue;
    for (const error of result.errors) {
      const lookup = /lookup table "([a-zA-Z]+)" has no entry for code "([^"]*)"/.exec(error.message);
      issues.push(
        lookup
          ? { field: `lookups.${lookup[1]}.${lookup[2]}`, message: `${templates.join(', ')} needs code ${lookup[2]} in ${LOOKUP_TABLE_LABELS[lookup[1] as LookupTable] ?? lookup[1]}: map it to a ${erpName(erp)} value` }
          : { field: `preview.${object}`, message: `${templates.join(', ')}: the ${object} mapping fails at ${error.field || 'the document'}: ${error.message}` },
      );
    }
  }
  // The same missing code reported by several objects is one thing to fix.
  return issues.filter((issue, i) => issues.findIndex((o) => o.field === issue.field) === i);
}

export function erpName(erp: string): string {
  return { netsuite: 'NetSuite', 'business-central': 'Business Central', sap: 'SAP S/4HANA', workday: 'Workday', 'oracle-fusion': 'Oracle Fusion' }[erp] ?? erp;
}
