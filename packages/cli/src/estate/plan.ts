import type { Prisma } from '@switchyard/db';
import { sortKeys } from './files';
import { objectId, type DeploymentFile, type Estate, type EstateError, type Origins } from './model';
import type { DatabaseState } from './read-db';
import type { Resolved } from './validate';

// What `apply` would do, object by object and field by field. The plan compares the files with the
// estate as `export` would write it from the database, so "no changes" means exactly "an export
// now would write these files". Secrets appear only as "changed", never with a value.

export type Action = 'create' | 'update' | 'delete';

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
  /** A secret: the plan says that it changes, never what it is. */
  secret?: true;
}

export interface Change {
  action: Action;
  /** The tenant (slug) the object belongs to. */
  tenant: string;
  /** `workflow acme/Invoice sync`, `version acme/Invoice sync@3`, … (see objectId). */
  id: string;
  file: string;
  fields: FieldChange[];
}

export interface Plan {
  changes: Change[];
  /** Tenants in the database that the files do not mention (deleted only with --prune). */
  unmanagedTenants: string[];
}

const stable = (v: unknown) => JSON.stringify(sortKeys(v));

/** Field-level differences; lists of objects with an `id` (graph nodes and edges) are compared item by item. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (stable(before) === stable(after)) return [];
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  const byId = (v: unknown) =>
    Array.isArray(v) && v.every((x) => isRecord(x) && typeof x.id === 'string') ? new Map(v.map((x) => [(x as { id: string }).id, x])) : null;
  const b = byId(before);
  const a = byId(after);
  if (b && a) {
    const ids = [...new Set([...b.keys(), ...a.keys()])];
    return ids.flatMap((id) => diffValues(b.get(id), a.get(id), `${path}[${id}]`));
  }
  return [{ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}

export interface PlanOptions {
  prune?: boolean;
}

export function planEstate(desired: Estate, origins: Origins, current: DatabaseState, resolved: Resolved, options: PlanOptions = {}): Plan {
  const changes: Change[] = [];
  const fileOf = (id: string) => origins.get(id) ?? '(database)';
  let tenant = '';
  const push = (action: Action, id: string, fields: FieldChange[]) => changes.push({ action, tenant, id, file: fileOf(id), fields });
  const compare = (id: string, before: object | null | undefined, after: object | null | undefined) => {
    if (!before && after) push('create', id, diffValues(undefined, stripKind(after)));
    else if (before && !after) push('delete', id, []);
    else if (before && after) {
      const fields = diffValues(stripKind(before), stripKind(after));
      if (fields.length > 0) push('update', id, fields);
    }
  };

  const unmanagedTenants = [...current.estate.keys()].filter((slug) => !desired.has(slug));
  for (const slug of options.prune ? unmanagedTenants : []) {
    tenant = slug;
    push('delete', objectId.tenant(slug), []);
  }

  for (const [slug, t] of desired) {
    tenant = slug;
    const now = current.estate.get(slug);
    compare(objectId.tenant(slug), now?.tenant, t.tenant);
    compare(objectId.tenantPolicy(slug), now?.policy, t.policy);

    for (const name of new Set([...(now?.connections.keys() ?? []), ...t.connections.keys()])) {
      const id = objectId.connection(slug, name);
      const before = now?.connections.get(name);
      const after = t.connections.get(name);
      if (!before || !after) {
        compare(id, before, after);
        continue;
      }
      const fields = diffValues(stripKind(before), stripKind(after));
      // The refs are names; what matters is whether the stored value changes.
      const storedCreds = current.credentials.get(`${slug}/${name}`);
      const nextCreds = resolved.credentials.get(`${slug}/${name}`);
      const credFields = fields.filter((f) => !f.path.startsWith('credentials.'));
      if (nextCreds && storedCreds instanceof Error) {
        // The stored ciphertext cannot be opened here (another key): every value was supplied, so re-encrypt.
        credFields.push({ path: 'credentials', secret: true, after: Object.values(after.credentials).map((r) => r.secretRef) });
      } else if (nextCreds) {
        const stored = storedCreds instanceof Error ? {} : (storedCreds ?? {});
        for (const field of [...new Set([...Object.keys(stored), ...Object.keys(nextCreds)])].sort()) {
          if (stable(stored[field]) !== stable(nextCreds[field])) {
            credFields.push({ path: `credentials.${field}`, secret: true, ...(nextCreds[field] === undefined ? { before: 'set' } : { after: after.credentials[field]?.secretRef }) });
          }
        }
      }
      if (credFields.length > 0) push('update', id, credFields);
    }

    for (const key of new Set([...(now?.mappings.keys() ?? []), ...t.mappings.keys()])) compare(objectId.mapping(slug, key), now?.mappings.get(key), t.mappings.get(key));

    for (const name of new Set([...(now?.workflows.keys() ?? []), ...t.workflows.keys()])) {
      const before = now?.workflows.get(name);
      const after = t.workflows.get(name);
      compare(objectId.workflow(slug, name), before?.workflow, after?.workflow);
      if (!after) continue; // its versions, deployment and policy go with it
      for (const n of [...after.versions.keys()].sort((x, y) => x - y)) {
        if (!before?.versions.has(n)) compare(objectId.version(slug, name, n), null, after.versions.get(n));
      }
      const did = objectId.deployment(slug, name);
      const plain = (d: DeploymentFile) => ({ activeVersion: d.activeVersion, schedules: d.schedules, template: d.template ?? null });
      const beforeDeployment = before ? plain(before.deployment) : null;
      const afterDeployment = plain(after.deployment);
      const fields = beforeDeployment ? diffValues(beforeDeployment, afterDeployment) : diffValues(undefined, afterDeployment);
      const secrets = resolved.signingSecrets.get(`${slug}/${name}`);
      const stored = current.signingSecrets.get(`${slug}/${name}`);
      if (Array.isArray(secrets) && (!Array.isArray(stored) || stable(stored) !== stable(secrets))) {
        fields.push({ path: 'signingSecrets', secret: true, after: after.deployment.signingSecrets.map((r) => r.secretRef) });
      }
      if (fields.length > 0) push(before ? 'update' : 'create', did, fields);
      compare(objectId.workflowPolicy(slug, name), before?.policy, after.policy);
    }
  }
  return { changes, unmanagedTenants };
}

function stripKind(doc: object): Record<string, unknown> {
  const { kind: _kind, ...rest } = doc as Record<string, unknown>;
  return rest;
}

export const workflowsFolder = (slug: string) => `tenants/${slug}/workflows`;

/**
 * Deletions the database would refuse: a workflow that has runs stays (run history references it;
 * the product never deletes one either). Checked against the database, so plan and apply both say so
 * as an error on the file that dropped it, instead of a failed transaction.
 */
export async function refusedDeletions(
  prisma: Prisma.TransactionClient,
  plan: Plan,
  current: DatabaseState,
  folderOf: (slug: string) => string,
): Promise<EstateError[]> {
  const errors: EstateError[] = [];
  for (const change of plan.changes) {
    if (change.action !== 'delete' || !change.id.startsWith('workflow ')) continue;
    const name = change.id.slice(`workflow ${change.tenant}/`.length);
    const workflowId = current.workflowIds.get(`${change.tenant}/${name}`);
    const tenantId = current.tenantIds.get(change.tenant);
    if (!workflowId || !tenantId) continue;
    const run = await prisma.run.findFirst({ where: { tenantId, workflowId }, select: { id: true } });
    if (run) {
      errors.push({
        file: folderOf(change.tenant),
        path: `workflows/${name}`,
        message: `workflow "${name}" has runs and cannot be deleted (run history refers to it); keep its files and set "activeVersion": null in its deployment.json to stop it`,
      });
    }
  }
  return errors;
}
