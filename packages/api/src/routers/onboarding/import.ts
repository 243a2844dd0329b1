import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { connectionSystems, isConnectionSystem, loadReferenceData } from '@switchyard/connectors';
import type { Context } from '../../trpc';
import { keyringFor, outboundFetch } from '../connections/platform';
import { ONBOARDING_ERPS, OTHER_SYSTEMS, type OnboardingErp } from './catalog';
import { demoDefaults } from './demo-defaults';
import { createDraft, saveDraft, type ConnectionDraft, type Draft, type DraftData, type DraftSecrets } from './draft';
import { tenantConfiguration } from './from-tenant';
import { activate, sendTestEvent, type Activated, type TestEventResult } from './go-live';
import type { Issue, WizardStep } from './issues';
import { lookupTables, missingLookupIssues } from './mappings';
import { normalizeProfile, validatePolicies, validateProfile, validateSystems, validateWorkflows } from './validate';

/**
 * Onboarding many tenants from one file. Each row (CSV) or object (JSON) is one tenant, written with
 * the wizard's field names: `name`, `slug`, `region`, `timeZone`, `baseCurrency`, `copyFrom` (a live
 * tenant whose configuration, never its credentials, is the starting point), `erp`,
 * `connections.<slot>.<name|baseUrl|config.X|credentials.X>` (slots `erp`, `back-office`, `rest`),
 * `lookups.<table>.<code>`, `policies.<setting>`, `workflows` (template ids separated by `;`) and
 * `workflows.<template>.<variable>`. JSON may nest any dotted prefix. Every row goes through the
 * wizard's own checks (connections are called) and goes live through the wizard's one transaction, so
 * a tenant is created whole or not at all; the answer is a report per row.
 */

export const MAX_IMPORT_ROWS = 100;
export const importInput = z.object({
  format: z.enum(['csv', 'json']),
  content: z.string().max(1_000_000, 'the file is larger than 1 MB; split it'),
  /** Check every row and report, creating nothing. */
  dryRun: z.boolean().default(false),
  /** Send each new tenant's test event (as the wizard does at go-live) and report its result. */
  sendTestEvents: z.boolean().default(true),
});

export type ImportStep = WizardStep | 'file';
export interface ImportRowReport {
  row: number;
  slug: string;
  name: string;
  status: 'ready' | 'live' | 'rejected';
  /** The step that must be fixed (the wizard's names), with the issues by field. */
  step: ImportStep | null;
  issues: Issue[];
  activated: Activated | null;
  testEvent: TestEventResult | null;
}
export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  /** A problem with the file as a whole (not parseable, too many rows): nothing was looked at. */
  fileIssues: Issue[];
  rows: ImportRowReport[];
  summary: { total: number; ready: number; live: number; rejected: number };
}

const PROFILE_KEYS = ['name', 'slug', 'region', 'timeZone', 'baseCurrency'] as const;

/** `{ connections: { erp: { baseUrl: … } } }` → `{ "connections.erp.baseUrl": … }`; arrays of ids stay lists. */
function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, path, out);
    else out[path] = v;
  }
  return out;
}

function parseFile(format: 'csv' | 'json', content: string): { rows: Array<Record<string, unknown>> } | { issue: Issue } {
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      return { issue: { field: 'file', message: `the file is not valid JSON: ${err instanceof Error ? err.message : String(err)}` } };
    }
    const list = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' && Array.isArray((parsed as { tenants?: unknown }).tenants) ? (parsed as { tenants: unknown[] }).tenants : null;
    if (!list) return { issue: { field: 'file', message: 'the JSON must be a list of tenants, or { "tenants": [ … ] }' } };
    const bad = list.findIndex((t) => !t || typeof t !== 'object' || Array.isArray(t));
    if (bad >= 0) return { issue: { field: `row ${bad + 1}`, message: 'each tenant must be an object of fields' } };
    return { rows: list.map((t) => flatten(t as Record<string, unknown>)) };
  }
  try {
    const rows = parseCsv(content, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
    // An empty cell means "not given" (defaults and the copied tenant apply), not an empty value.
    return { rows: rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ''))) };
  } catch (err) {
    return { issue: { field: 'file', message: `the CSV cannot be read: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const setPath = (target: Record<string, unknown>, path: string[], value: unknown) => {
  let at = target;
  for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[path[path.length - 1]!] = value;
};

/** One row as the wizard's draft (and its credentials), from the copied tenant's configuration and the row's own fields. */
async function rowToDraft(ctx: Context, row: Record<string, unknown>): Promise<{ data: DraftData; secrets: DraftSecrets; issues: Issue[]; lookupsGiven: boolean }> {
  const issues: Issue[] = [];
  const copyFrom = text(row.copyFrom);
  const base = copyFrom ? await tenantConfiguration(ctx, copyFrom) : null;
  if (copyFrom && !base) issues.push({ field: 'copyFrom', message: `there is no tenant "${copyFrom}" to copy` });
  const data: DraftData = structuredClone(base?.data ?? {});
  delete data.editing;
  const profile = { name: '', slug: '', region: '', timeZone: '', baseCurrency: '', ...(base ? { region: base.data.profile!.region, timeZone: base.data.profile!.timeZone, baseCurrency: base.data.profile!.baseCurrency } : {}) };
  const secrets: DraftSecrets = {};
  const erp = text(row.erp) ?? data.systems?.erp;
  const connections = new Map<string, ConnectionDraft>((data.systems?.connections ?? []).map((c) => [c.slot, structuredClone(c)]));
  const connection = (slot: string): ConnectionDraft | null => {
    const existing = connections.get(slot);
    if (existing) return existing;
    const system = slot === 'erp' ? erp : slot;
    if (!system || !isConnectionSystem(system)) return null;
    const demo = demoDefaults()?.[system];
    const created: ConnectionDraft = { slot, system, name: connectionSystems[system].displayName, baseUrl: demo?.baseUrl ?? '', config: { ...(demo?.config ?? {}) } };
    connections.set(slot, created);
    return created;
  };
  if (erp) connection('erp');
  const lookups: Record<string, Record<string, string>> = structuredClone(data.mappings?.lookups ?? {}) as Record<string, Record<string, string>>;
  const overrides: Record<string, number> = { ...(data.policies?.overrides ?? {}) };
  let selected = data.workflows?.selected ?? [{ templateId: 'invoice-sync', variables: {} }];
  const variables: Record<string, Record<string, unknown>> = {};
  let lookupsGiven = Boolean(base?.data.mappings);

  for (const [key, raw] of Object.entries(row)) {
    const [head, ...rest] = key.split('.');
    if ((PROFILE_KEYS as readonly string[]).includes(key)) profile[key as (typeof PROFILE_KEYS)[number]] = text(raw) ?? '';
    else if (head === 'profile' && (PROFILE_KEYS as readonly string[]).includes(rest.join('.'))) profile[rest.join('.') as (typeof PROFILE_KEYS)[number]] = text(raw) ?? '';
    else if (key === 'copyFrom' || key === 'erp') continue;
    else if (head === 'connections' && rest.length >= 2) {
      const [slot, field, ...sub] = rest as [string, string, ...string[]];
      const c = (['erp', ...OTHER_SYSTEMS] as readonly string[]).includes(slot) ? connection(slot) : null;
      if (!c) issues.push({ field: key, message: slot === 'erp' ? 'give the ERP in the "erp" column' : `unknown connection "${slot}": use erp, back-office or rest` });
      else if (field === 'name' || field === 'baseUrl') c[field] = text(raw) ?? '';
      else if (field === 'config' && sub.length > 0) setPath(c.config, sub, typeof raw === 'string' && /^(true|false)$/.test(raw) ? raw === 'true' : raw);
      else if (field === 'credentials' && sub.length === 1) (secrets[slot] ??= {})[sub[0]!] = text(raw) ?? '';
      else issues.push({ field: key, message: 'unknown field: use name, baseUrl, config.<setting> or credentials.<field>' });
    } else if (head === 'lookups' && rest.length === 2) {
      (lookups[rest[0]!] ??= {})[rest[1]!] = text(raw) ?? '';
      lookupsGiven = true;
    } else if (head === 'policies' && rest.length > 0) {
      const n = Number(raw);
      if (raw === '' || Number.isNaN(n)) issues.push({ field: key, message: `"${String(raw)}" is not a number` });
      else overrides[rest.join('.')] = n;
    } else if (key === 'workflows') {
      const ids = Array.isArray(raw) ? raw.map(String) : String(raw).split(/[;,\s]+/).filter((s) => s !== '');
      selected = ids.map((templateId) => ({ templateId, variables: selected.find((s) => s.templateId === templateId)?.variables ?? {} }));
    } else if (head === 'workflows' && rest.length >= 2) {
      const [templateId, ...path] = rest as [string, ...string[]];
      const numeric = typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw)) && path[path.length - 1] !== 'webhookPath';
      setPath((variables[templateId] ??= {}), path, numeric ? Number(raw) : raw);
    } else issues.push({ field: key, message: 'unknown column' });
  }
  for (const [templateId, vars] of Object.entries(variables)) {
    const chosen = selected.find((s) => s.templateId === templateId);
    if (chosen) chosen.variables = { ...chosen.variables, ...vars };
    else issues.push({ field: `workflows.${templateId}`, message: `variables are given for ${templateId}, which is not in "workflows"` });
  }
  data.profile = normalizeProfile(profile);
  if (erp) data.systems = { erp, connections: [...connections.values()].sort((a, b) => (a.slot === 'erp' ? -1 : b.slot === 'erp' ? 1 : 0)) };
  data.mappings = { lookups };
  data.policies = { overrides };
  data.workflows = { selected };
  return { data, secrets, issues, lookupsGiven };
}

/** The wizard's checks in its order; the first step with issues is the one the row must fix. */
async function checkRow(ctx: Context, data: DraftData, secrets: DraftSecrets): Promise<{ step: WizardStep; issues: Issue[] } | null> {
  const p = await validateProfile(ctx.db.prisma, data.profile!);
  if (p.length) return { step: 'profile', issues: p };
  if (!data.systems || !(ONBOARDING_ERPS as readonly string[]).includes(data.systems.erp)) {
    return { step: 'systems', issues: [{ field: 'erp', message: `give the ERP: one of ${ONBOARDING_ERPS.join(', ')}` }] };
  }
  const s = await validateSystems(data.systems, secrets, outboundFetch());
  if (s.length) return { step: 'systems', issues: s };
  const m = await missingLookupIssues(data.systems.erp as OnboardingErp, data.mappings, data.workflows);
  if (m.length) return { step: 'mappings', issues: m };
  const pol = validatePolicies(data.policies ?? { overrides: {} });
  if (pol.issues.length) return { step: 'policies', issues: pol.issues };
  const w = validateWorkflows(data, data.workflows ?? { selected: [] });
  if (w.length) return { step: 'workflows', issues: w };
  return null;
}

/** The wizard's default for lookups nobody gave: the ERP's own entry of the same code or most similar name. */
async function suggestedLookups(data: DraftData, secrets: DraftSecrets): Promise<Record<string, Record<string, string>>> {
  const c = data.systems?.connections.find((x) => x.slot === 'erp');
  if (!c) return {};
  const loaded = await loadReferenceData({ name: c.name, kind: c.system, baseUrl: c.baseUrl, config: c.config, credentials: secrets.erp ?? {} }, { fetch: outboundFetch(), timeoutMs: 10_000 });
  const out: Record<string, Record<string, string>> = {};
  for (const t of lookupTables(data.systems!.erp as OnboardingErp, loaded.ok ? loaded.tables : {})) for (const code of t.codes) if (code.suggestion) (out[t.table] ??= {})[code.code] = code.suggestion.value;
  return out;
}

export async function importTenants(ctx: Context, input: z.infer<typeof importInput>): Promise<ImportReport> {
  const report = (rows: ImportRowReport[], fileIssues: Issue[] = []): ImportReport => ({
    ok: fileIssues.length === 0 && rows.every((r) => r.status !== 'rejected'),
    dryRun: input.dryRun,
    fileIssues,
    rows,
    summary: { total: rows.length, ready: rows.filter((r) => r.status === 'ready').length, live: rows.filter((r) => r.status === 'live').length, rejected: rows.filter((r) => r.status === 'rejected').length },
  });
  const parsed = parseFile(input.format, input.content);
  if ('issue' in parsed) return report([], [parsed.issue]);
  if (parsed.rows.length === 0) return report([], [{ field: 'file', message: 'the file has no tenants' }]);
  if (parsed.rows.length > MAX_IMPORT_ROWS) return report([], [{ field: 'file', message: `the file has ${parsed.rows.length} tenants; import at most ${MAX_IMPORT_ROWS} at a time` }]);

  const rows: ImportRowReport[] = [];
  const slugsInFile = new Map<string, number>();
  for (const [index, raw] of parsed.rows.entries()) {
    const rowNumber = index + 1;
    const { data, secrets, issues, lookupsGiven } = await rowToDraft(ctx, raw);
    const slug = data.profile?.slug ?? '';
    const entry: ImportRowReport = { row: rowNumber, slug, name: data.profile?.name ?? '', status: 'rejected', step: null, issues: [], activated: null, testEvent: null };
    rows.push(entry);
    if (issues.length) {
      Object.assign(entry, { step: 'file', issues });
      continue;
    }
    const earlier = slugsInFile.get(slug);
    if (slug !== '' && earlier !== undefined) {
      Object.assign(entry, { step: 'profile', issues: [{ field: 'profile.slug', message: `"${slug}" is also the slug of row ${earlier} of this file; choose another` }] });
      continue;
    }
    if (slug !== '') slugsInFile.set(slug, rowNumber);
    if (!lookupsGiven && data.systems) data.mappings = { lookups: await suggestedLookups(data, secrets) };
    const problem = await checkRow(ctx, data, secrets);
    if (problem) {
      Object.assign(entry, problem);
      continue;
    }
    if (input.dryRun) {
      entry.status = 'ready';
      continue;
    }
    // The wizard's go-live, over a draft written for this row: the tenant is created whole or not at all.
    const id = await createDraft(ctx.db.prisma, data);
    const draft: Draft = { id, data, step: 5, tenantId: null, editsTenantId: null, secrets, updatedAt: new Date() };
    try {
      await saveDraft(ctx.db.prisma, keyringFor(ctx.db), draft);
      const result = await activate(ctx, draft, '');
      if (!result.ok) {
        await ctx.db.prisma.onboardingDraft.deleteMany({ where: { id, tenantId: null } });
        Object.assign(entry, { step: result.step, issues: result.issues });
        continue;
      }
      entry.status = 'live';
      entry.activated = result.activated;
      if (input.sendTestEvents) entry.testEvent = await sendTestEvent(ctx, result.activated).catch((err: unknown) => ({ workflow: '', path: '', status: 0, ok: false, body: { error: err instanceof Error ? err.message : String(err) }, runId: null, runStatus: null }));
    } catch (err) {
      await ctx.db.prisma.onboardingDraft.deleteMany({ where: { id, tenantId: null } });
      Object.assign(entry, { step: 'review', issues: [{ field: 'goLive', message: `going live failed, nothing was created: ${err instanceof Error ? err.message : String(err)}` }] });
    }
  }
  return report(rows);
}
