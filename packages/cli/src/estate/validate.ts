import { CANONICAL_NAMES, CURRENCY_CODES, ERP_IDS, TenantMappingOverlaySchema } from '@switchyard/canonical';
import { checkConnection, connectionSystems, connectorKindRegistry, isConnectionSystem } from '@switchyard/connectors/metadata';
import { TenantPolicySchema, WorkflowPolicySchema, checkCron, isValidTimeZone } from '@switchyard/db';
import { GraphSchema, migrateGraph, validateGraph, webhookTrigger, type Graph } from '@switchyard/workflow';
import type { z } from 'zod';
import { sortKeys } from './files';
import { objectId, type Estate, type EstateError, type Origins, type SecretRef } from './model';
import type { DatabaseState } from './read-db';

// Everything `apply` would refuse, found before anything is written: policies, mappings and graphs
// checked with the same schemas the API uses, connections with their system's schema (including
// the credentials supplied from the environment), references between objects, and the rules that
// keep history sound (published versions are immutable and are never deleted while the workflow
// stays). Messages name the field and never a secret's value.

export type Env = Record<string, string | undefined>;

/** What the files resolve to once secrets are taken from the environment (or kept, when not supplied). */
export interface Resolved {
  /** `<slug>/<connection>` → credentials to store. */
  credentials: Map<string, Record<string, unknown>>;
  /** `<slug>/<workflow>` → signing secrets newest first, or `keep` (none supplied, the stored ones stand). */
  signingSecrets: Map<string, string[] | 'keep'>;
  /** `<slug>/<workflow>@<n>` and `<slug>/<workflow>#draft` → the graph as it will be stored (current schema version). */
  graphs: Map<string, Graph>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const zodPath = (prefix: string, issue: z.core.$ZodIssue) => [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateEstate(desired: Estate, origins: Origins, current: DatabaseState, env: Env): { errors: EstateError[]; resolved: Resolved } {
  const errors: EstateError[] = [];
  const resolved: Resolved = { credentials: new Map(), signingSecrets: new Map(), graphs: new Map() };
  const fileOf = (id: string) => origins.get(id) ?? id;
  const fail = (id: string, path: string, message: string) => errors.push({ file: fileOf(id), path, message });
  const secretOf = (ref: SecretRef) => {
    const value = env[ref.secretRef];
    return value === undefined || value === '' ? undefined : value;
  };

  for (const [slug, t] of desired) {
    const tid = objectId.tenant(slug);
    if (!isValidTimeZone(t.tenant.timeZone)) fail(tid, 'timeZone', `"${t.tenant.timeZone}" is not an IANA time zone such as "Europe/Berlin"`);
    if (!CURRENCY_CODES.includes(t.tenant.baseCurrency)) fail(tid, 'baseCurrency', `"${t.tenant.baseCurrency}" is not an ISO 4217 currency code`);
    if (t.policy) {
      const parsed = TenantPolicySchema.safeParse(t.policy.policy);
      if (!parsed.success) for (const issue of parsed.error.issues) fail(objectId.tenantPolicy(slug), zodPath('policy', issue), issue.message);
    }

    for (const [name, c] of t.connections) {
      const id = objectId.connection(slug, name);
      if (!isConnectionSystem(c.system)) {
        fail(id, 'system', `"${c.system}" is not a connection system (${Object.keys(connectionSystems).join(', ')})`);
        continue;
      }
      const stored = current.credentials.get(`${slug}/${name}`);
      const exists = current.connectionIds.has(`${slug}/${name}`);
      const credentials: Record<string, unknown> = {};
      let complete = true;
      for (const [field, ref] of Object.entries(c.credentials)) {
        const value = secretOf(ref);
        if (value !== undefined) credentials[field] = value;
        else if (exists && !(stored instanceof Error) && stored?.[field] !== undefined && stored[field] !== '') credentials[field] = stored[field];
        else {
          complete = false;
          fail(id, `credentials.${field}.secretRef`, `environment variable ${ref.secretRef} is not set${exists ? ' and the stored connection has no value for this field' : ''}`);
        }
      }
      if (exists && stored instanceof Error && Object.values(c.credentials).some((ref) => secretOf(ref) === undefined)) {
        fail(id, 'credentials', `the stored credentials cannot be opened with this secret key (${stored.message}); supply every credential from the environment`);
        complete = false;
      }
      if (!complete) continue;
      const checked = checkConnection(connectionSystems[c.system], { baseUrl: c.baseUrl, config: c.config, credentials });
      if (!checked.ok) {
        for (const issue of checked.issues) {
          const ref = issue.field.startsWith('credentials.') ? c.credentials[issue.field.slice('credentials.'.length)]?.secretRef : undefined;
          fail(id, issue.field, ref ? `${issue.message} (from ${ref})` : issue.message);
        }
        continue;
      }
      resolved.credentials.set(`${slug}/${name}`, checked.credentials);
    }

    for (const [key, m] of t.mappings) {
      const id = objectId.mapping(slug, key);
      if (!(ERP_IDS as readonly string[]).includes(m.erp)) fail(id, 'erp', `"${m.erp}" is not one of ${ERP_IDS.join(', ')}`);
      if (!(CANONICAL_NAMES as readonly string[]).includes(m.object)) fail(id, 'object', `"${m.object}" is not a canonical object (${CANONICAL_NAMES.join(', ')})`);
      const overlay = TenantMappingOverlaySchema.safeParse(m.overlay);
      if (!overlay.success) for (const issue of overlay.error.issues) fail(id, zodPath('overlay', issue), issue.message);
    }

    const paths = new Map<string, string>();
    const templates = new Map<string, string>();
    for (const [name, w] of t.workflows) {
      const key = `${slug}/${name}`;
      const wid = objectId.workflow(slug, name);
      // Drafts are work in progress: any graph that fits the schema is kept, as the designer does.
      const draft = GraphSchema.safeParse(migrateGraph(w.workflow.draftGraph));
      if (draft.success) resolved.graphs.set(`${key}#draft`, draft.data);
      else for (const issue of draft.error.issues) fail(wid, zodPath('draftGraph', issue), issue.message);

      for (const [n, v] of w.versions) {
        const vid = objectId.version(slug, name, n);
        const checked = validateGraph(v.graph, connectorKindRegistry);
        if (!checked.ok) {
          for (const issue of checked.errors) fail(vid, ['graph', issue.path].filter(Boolean).join('.'), issue.message);
          continue;
        }
        // Stored as written (only migrated to the current schema version), not with the config
        // defaults validation fills in, so what is exported again is what was applied.
        const graph = GraphSchema.parse(migrateGraph(v.graph));
        resolved.graphs.set(`${key}@${n}`, graph);
        for (const [i, node] of graph.nodes.entries()) {
          const config = (node.config ?? {}) as Record<string, unknown>;
          const conn = config.connectionId;
          if (typeof conn === 'string' && conn !== '' && !UUID.test(conn) && !t.connections.has(conn)) {
            fail(vid, `graph.nodes[${i}].config.connectionId`, `connection "${conn}" is not defined for tenant ${slug} (connections/…)`);
          }
          if (node.kind === 'workflow.call' && typeof config.workflow === 'string' && !UUID.test(config.workflow) && !t.workflows.has(config.workflow)) {
            fail(vid, `graph.nodes[${i}].config.workflow`, `workflow "${config.workflow}" is not defined for tenant ${slug}`);
          }
        }
        const before = current.estate.get(slug)?.workflows.get(name)?.versions.get(n);
        if (before && !same(before.graph, graph)) {
          fail(vid, 'graph', `version ${n} is already published with a different graph; published versions are immutable (give the change a new version number)`);
        }
        if (before && before.note !== v.note) fail(vid, 'note', `version ${n} is already published with another note; published versions are immutable`);
      }
      for (const n of current.estate.get(slug)?.workflows.get(name)?.versions.keys() ?? []) {
        if (!w.versions.has(n)) fail(wid, 'versions', `version ${n} is published in the database but has no file; runs pin published versions, so they cannot be removed (export to get its file)`);
      }

      const did = objectId.deployment(slug, name);
      const d = w.deployment;
      if (d.activeVersion !== null && !w.versions.has(d.activeVersion)) fail(did, 'activeVersion', `version ${d.activeVersion} has no file in versions/`);
      const active = d.activeVersion !== null ? resolved.graphs.get(`${key}@${d.activeVersion}`) : undefined;
      const hook = active?.nodes.find((node) => node.kind === webhookTrigger.kind);
      const path = hook ? webhookTrigger.configSchema.safeParse(hook.config).data?.path : undefined;
      if (path) {
        const other = paths.get(path);
        if (other) fail(did, 'activeVersion', `its webhook path "${path}" is also the path of workflow "${other}"; each path routes to one workflow`);
        paths.set(path, name);
      }
      if (d.template) {
        const other = templates.get(d.template.id);
        if (other) fail(did, 'template.id', `template "${d.template.id}" is already recorded for workflow "${other}"; a tenant deploys each template once`);
        templates.set(d.template.id, name);
      }
      for (const [i, s] of d.schedules.entries()) {
        const cron = checkCron(s.cron, s.timeZone);
        if (!cron.ok) fail(did, `schedules[${i}].${cron.field}`, cron.message);
      }

      const supplied = d.signingSecrets.map(secretOf);
      const stored = current.signingSecrets.get(key);
      if (supplied.every((v) => v !== undefined)) resolved.signingSecrets.set(key, supplied as string[]);
      else if (supplied.every((v) => v === undefined) && Array.isArray(stored) && stored.length === supplied.length) resolved.signingSecrets.set(key, 'keep');
      else {
        const missing = d.signingSecrets.filter((ref) => secretOf(ref) === undefined).map((ref) => ref.secretRef);
        const why =
          stored instanceof Error
            ? `the stored secrets cannot be opened (${stored.message})`
            : !stored || stored.length === 0
              ? 'the route has no stored secrets to keep'
              : `supply all ${d.signingSecrets.length} or none (none keeps the ${stored.length} stored)`;
        for (const [i, ref] of d.signingSecrets.entries()) {
          if (missing.includes(ref.secretRef)) fail(did, `signingSecrets[${i}].secretRef`, `environment variable ${ref.secretRef} is not set; ${why}`);
        }
      }

      if (w.policy) {
        const parsed = WorkflowPolicySchema.safeParse(w.policy.policy);
        if (!parsed.success) for (const issue of parsed.error.issues) fail(objectId.workflowPolicy(slug, name), zodPath('policy', issue), issue.message);
      }
    }
  }
  errors.sort((a, b) => (a.file === b.file ? a.path.localeCompare(b.path) : a.file.localeCompare(b.file)));
  return { errors, resolved };
}
