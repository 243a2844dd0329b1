import { CURRENCY_CODES } from '@switchyard/canonical';
import { checkConnection, connectionSystems, findTemplate, instantiateTemplate, isConnectionSystem, testConnection, type OutboundFetch } from '@switchyard/connectors';
import { explainPolicy, isValidTimeZone, parseTenantPolicy, type PrismaClient, type TenantPolicy } from '@switchyard/db';
import { ONBOARDING_ERPS, REGION_IDS, type OnboardingErp } from './catalog';
import type { DraftData, DraftSecrets, PoliciesDraft, ProfileDraft, SystemsDraft, WorkflowsDraft } from './draft';
import type { Issue } from './issues';
import { erpName, overlayOf } from './mappings';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Whether a slug is free, in words when it is not (the wizard asks as the admin types). */
export async function slugIssue(prisma: PrismaClient, slug: string): Promise<string | null> {
  if (slug === '') return 'is required';
  if (!SLUG_PATTERN.test(slug)) return 'may contain only lower-case letters, digits and "-" (not at either end), at most 40 characters';
  const taken = await prisma.tenant.findUnique({ where: { slug }, select: { name: true } });
  return taken ? `is already used by the tenant "${taken.name}"; choose another` : null;
}

/** What the wizard stores of a typed profile: trimmed name and slug, upper-case currency. */
export function normalizeProfile(profile: ProfileDraft): ProfileDraft {
  return { ...profile, name: profile.name.trim(), slug: profile.slug.trim(), baseCurrency: profile.baseCurrency.trim().toUpperCase() };
}

export async function validateProfile(prisma: PrismaClient, profile: ProfileDraft): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (profile.name.trim() === '') issues.push({ field: 'profile.name', message: 'is required' });
  const slug = await slugIssue(prisma, profile.slug);
  if (slug) issues.push({ field: 'profile.slug', message: slug });
  if (!(REGION_IDS as readonly string[]).includes(profile.region)) issues.push({ field: 'profile.region', message: `must be one of ${REGION_IDS.join(', ')}` });
  if (!isValidTimeZone(profile.timeZone)) issues.push({ field: 'profile.timeZone', message: `"${profile.timeZone}" is not a time zone; use an IANA name such as Europe/Berlin` });
  if (!CURRENCY_CODES.includes(profile.baseCurrency)) issues.push({ field: 'profile.baseCurrency', message: `"${profile.baseCurrency}" is not an ISO 4217 currency code` });
  return issues;
}

/** Shape and completeness of every connection; with `fetch`, each one is also called and must accept its credentials. */
export async function validateSystems(systems: SystemsDraft, secrets: DraftSecrets, fetch?: OutboundFetch): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (!(ONBOARDING_ERPS as readonly string[]).includes(systems.erp)) return [{ field: 'systems.erp', message: 'choose the ERP the tenant runs' }];
  const erp = systems.connections.find((c) => c.slot === 'erp');
  if (!erp) issues.push({ field: 'systems.erp', message: `enter the ${erpName(systems.erp)} connection` });
  else if (erp.system !== systems.erp) issues.push({ field: 'connections.erp.system', message: `must be ${systems.erp}, the chosen ERP` });
  const names = new Set<string>();
  for (const c of systems.connections) {
    const at = (f: string) => `connections.${c.slot}.${f}`;
    if (c.name.trim() === '') issues.push({ field: at('name'), message: 'is required' });
    else if (names.has(c.name)) issues.push({ field: at('name'), message: `another connection is already named "${c.name}"` });
    names.add(c.name);
    if (!isConnectionSystem(c.system)) {
      issues.push({ field: at('system'), message: `unknown system "${c.system}"` });
      continue;
    }
    const checked = checkConnection(connectionSystems[c.system], { baseUrl: c.baseUrl, config: c.config, credentials: secrets[c.slot] ?? {} });
    if (!checked.ok) {
      issues.push(...checked.issues.map((i) => ({ field: at(i.field), message: i.message })));
      continue;
    }
    if (fetch) {
      const result = await testConnection({ name: c.name, kind: c.system, baseUrl: c.baseUrl, config: c.config, credentials: secrets[c.slot] ?? {} }, { fetch, timeoutMs: 10_000 });
      if (!result.ok) issues.push({ field: at('test'), message: result.message });
    }
  }
  return issues;
}

/** `{"retry.maxAttempts": 5}` → `{ retry: { maxAttempts: 5 } }`; `rateLimits.*.capacity` keeps `*` as a key. */
export function unflattenPolicy(overrides: Record<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(overrides)) {
    const keys = path.split('.');
    let at = out;
    for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[keys[keys.length - 1] as string] = value;
  }
  return out;
}

export function validatePolicies(policies: PoliciesDraft): { issues: Issue[]; policy: TenantPolicy | null } {
  const parsed = parseTenantPolicy(unflattenPolicy(policies.overrides));
  if (parsed.ok) return { issues: [], policy: parsed.policy };
  return { issues: parsed.issues.map((i) => ({ field: `policies.${i.path.replace(/\["([^"]+)"\]/g, '.$1')}`, message: i.message })), policy: null };
}

const POLICY_LABELS: Record<string, string> = {
  maxConcurrentRuns: 'Concurrent runs (bulkhead)',
  timeoutMs: 'Step timeout (ms)',
  'retry.maxAttempts': 'Retry: attempts',
  'retry.initialDelayMs': 'Retry: first delay (ms)',
  'retry.backoffFactor': 'Retry: backoff factor',
  'retry.maxDelayMs': 'Retry: longest delay (ms)',
  'retry.jitter': 'Retry: jitter',
  retentionDays: 'Run history retention (days)',
  slaSeconds: 'SLA target: run completes within (s)',
  priority: 'Priority',
  'rateLimits.*.capacity': 'Rate limit per connection: burst',
  'rateLimits.*.refillPerSecond': 'Rate limit per connection: calls per second',
  'breaker.failureThreshold': 'Circuit breaker: failures in a row',
  'breaker.cooldownMs': 'Circuit breaker: cool-down (ms)',
};

/** Every policy value with where it comes from (platform default or this tenant's override). */
export function effectivePolicies(overrides: Record<string, number>) {
  const parsed = parseTenantPolicy(unflattenPolicy(overrides));
  const platform = explainPolicy({ tenant: {} }) as unknown as Record<string, unknown>;
  const explained = explainPolicy({ tenant: parsed.ok ? parsed.policy : {} }) as unknown as Record<string, unknown>;
  const read = (path: string, from = explained): { value: number | null; source: string } => {
    const keys = path.split('.');
    let at: unknown = from;
    for (const [i, key] of keys.entries()) {
      const node = (at as Record<string, unknown> | undefined)?.[key];
      // Explained values are `{ value, source }` at the level that was resolved as a whole.
      if (node && typeof node === 'object' && 'source' in node && 'value' in node) {
        let value: unknown = (node as { value: unknown }).value;
        for (const rest of keys.slice(i + 1)) value = (value as Record<string, unknown> | undefined)?.[rest];
        return { value: typeof value === 'number' ? value : null, source: String((node as { source: unknown }).source) };
      }
      at = node;
    }
    return { value: null, source: 'platform' };
  };
  return Object.entries(POLICY_LABELS)
    .map(([path, label]) => {
      const resolved = read(path);
      const overridden = overrides[path] !== undefined;
      const platformValue = read(path, platform).value;
      return {
        path,
        label,
        platformValue,
        value: overridden ? (overrides[path] as number) : resolved.value,
        source: overridden ? 'tenant override' : resolved.value === null ? 'platform default (none)' : 'platform default',
        overridden,
      };
    })
    .filter((p) => p.path !== 'slaSeconds' || p.platformValue !== null || p.overridden);
}

/** Template parameters that name connections: the draft slot each one takes its connection from. */
export const CONNECTION_PARAMS: Record<string, string> = { connectionId: 'erp', backOfficeConnectionId: 'back-office', procurementConnectionId: 'rest' };
/** Parameters the wizard fills itself; the rest are the tenant variables the admin sees. */
export const WIZARD_PARAMS = new Set(['erp', 'overlay', 'overlayVersion', ...Object.keys(CONNECTION_PARAMS)]);

/** The parameters a chosen template is instantiated with: the admin's variables plus the draft's ERP, connections and lookups. */
export function templateParams(data: DraftData, templateId: string, variables: Record<string, unknown>, overlayVersion?: number): Record<string, unknown> {
  const template = findTemplate(templateId);
  const params: Record<string, unknown> = { ...variables, erp: data.systems?.erp, overlay: overlayOf(data.mappings) };
  if (overlayVersion !== undefined) params.overlayVersion = overlayVersion;
  const shape = (template?.parameters as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  for (const [param, slot] of Object.entries(CONNECTION_PARAMS)) {
    if (!(param in shape)) continue;
    const connection = data.systems?.connections.find((c) => c.slot === slot);
    if (connection) params[param] = connection.name;
  }
  return params;
}

export function validateWorkflows(data: DraftData, workflows: WorkflowsDraft): Issue[] {
  const issues: Issue[] = [];
  const erp = data.systems?.erp as OnboardingErp | undefined;
  if (workflows.selected.length === 0) issues.push({ field: 'workflows', message: 'choose at least one workflow to activate' });
  const seen = new Set<string>();
  for (const { templateId, variables } of workflows.selected) {
    const template = findTemplate(templateId);
    const at = `workflows.${templateId}`;
    if (!template) {
      issues.push({ field: at, message: `there is no workflow template "${templateId}"` });
      continue;
    }
    if (seen.has(templateId)) issues.push({ field: at, message: `${template.name} is chosen twice` });
    seen.add(templateId);
    if (erp && !(template.erps as readonly string[]).includes(erp)) {
      issues.push({ field: at, message: `${template.name} is not available for ${erpName(erp)}` });
      continue;
    }
    const params = templateParams(data, templateId, variables);
    for (const [param, slot] of Object.entries(CONNECTION_PARAMS)) {
      const shape = (template.parameters as { shape?: Record<string, unknown> }).shape ?? {};
      if (param in shape && params[param] === undefined && !(template.parameters.safeParse({ ...params, [param]: undefined }).success)) {
        issues.push({ field: `${at}.${param}`, message: `${template.name} needs a ${slot === 'back-office' ? 'billing/CRM/warehouse (back office)' : slot === 'rest' ? 'purchasing API (REST)' : 'ERP'} connection: add it at the Systems step` });
      }
    }
    const built = instantiateTemplate(templateId, params);
    if (!built.ok) {
      for (const i of built.issues) {
        const param = i.path.replace(/^params\./, '');
        if (CONNECTION_PARAMS[param.split('.')[0] ?? ''] !== undefined) continue;
        issues.push({ field: `${at}.${param}`, message: i.message });
      }
    }
  }
  return issues;
}
