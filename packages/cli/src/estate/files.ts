import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  ConnectionFileSchema,
  DeploymentFileSchema,
  MappingFileSchema,
  TenantFileSchema,
  TenantPolicyFileSchema,
  WorkflowFileSchema,
  WorkflowPolicyFileSchema,
  WorkflowVersionFileSchema,
  mappingKey,
  objectId,
  type Estate,
  type EstateError,
  type Origins,
  type TenantEstate,
  type WorkflowEstate,
} from './model';

// The on-disk layout (paths relative to the estate folder):
//   estate.json                                   { kind: "Estate", format: 1 }
//   tenants/<slug>/tenant.json | policy.json
//   tenants/<slug>/connections/<name>.json
//   tenants/<slug>/mappings/<erp>.<object>.json
//   tenants/<slug>/workflows/<name>/workflow.json | deployment.json | policy.json
//   tenants/<slug>/workflows/<name>/versions/<0001>.json
// File names are derived from natural keys but only locate a file: the key itself is read from the
// file's content, so a rename in the UI shows up as a rename, not as an unexplained mismatch.

export const ESTATE_MARKER = { kind: 'Estate', format: 1 } as const;
const EstateMarkerSchema = z.strictObject({ kind: z.literal('Estate'), format: z.literal(1, 'this version of switchyard reads format 1') });

/** Objects with keys sorted at every depth, so the same estate always serialises to the same bytes. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const stableJson = (value: unknown) => `${JSON.stringify(sortKeys(value), null, 2)}\n`;

function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '') // accents off: "Ü" → "u", not "u-"
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 60) || 'unnamed'
  );
}

/** Stable, collision-free file names for a set of names: colliding slugs get a short hash of the name. */
export function fileNames(names: Iterable<string>): Map<string, string> {
  const list = [...names];
  const counts = new Map<string, number>();
  for (const n of list) counts.set(slugOf(n), (counts.get(slugOf(n)) ?? 0) + 1);
  return new Map(
    list.map((n) => {
      const slug = slugOf(n);
      return [n, (counts.get(slug) ?? 0) > 1 ? `${slug}-${createHash('sha256').update(n).digest('hex').slice(0, 8)}` : slug];
    }),
  );
}

/** Writes the estate to `dir`, replacing what an earlier export wrote there (the `tenants` folder). */
export async function writeEstate(dir: string, estate: Estate): Promise<string[]> {
  const files = layout(estate);
  await rm(path.join(dir, 'tenants'), { recursive: true, force: true });
  for (const [rel, doc] of files) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, stableJson(doc));
  }
  return [...files.keys()].sort();
}

/** Where every object of an estate is written (file → document), and the object ids of those files. */
export function layout(estate: Estate, origins?: Origins): Map<string, unknown> {
  const files = new Map<string, unknown>();
  const put = (rel: string, doc: unknown, id?: string) => {
    files.set(rel, doc);
    if (id) origins?.set(id, rel);
  };
  put('estate.json', ESTATE_MARKER);
  for (const slug of [...estate.keys()].sort()) {
    const t = estate.get(slug)!;
    const base = `tenants/${slug}`;
    put(`${base}/tenant.json`, t.tenant, objectId.tenant(slug));
    if (t.policy) put(`${base}/policy.json`, t.policy, objectId.tenantPolicy(slug));
    const connectionFiles = fileNames(t.connections.keys());
    for (const [name, c] of t.connections) put(`${base}/connections/${connectionFiles.get(name)}.json`, c, objectId.connection(slug, name));
    const mappingFiles = fileNames([...t.mappings.keys()].map((k) => k.replace('/', '.')));
    for (const [key, m] of t.mappings) put(`${base}/mappings/${mappingFiles.get(key.replace('/', '.'))}.json`, m, objectId.mapping(slug, key));
    const workflowFolders = fileNames(t.workflows.keys());
    for (const [name, w] of t.workflows) {
      const wbase = `${base}/workflows/${workflowFolders.get(name)}`;
      put(`${wbase}/workflow.json`, w.workflow, objectId.workflow(slug, name));
      put(`${wbase}/deployment.json`, w.deployment, objectId.deployment(slug, name));
      if (w.policy) put(`${wbase}/policy.json`, w.policy, objectId.workflowPolicy(slug, name));
      for (const [n, v] of w.versions) put(`${wbase}/versions/${String(n).padStart(4, '0')}.json`, v, objectId.version(slug, name, n));
    }
  }
  return files;
}

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isDirectory() ?? false;
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/**
 * Reads and checks the shape of every file. Problems do not stop the reading: every error in every
 * file is collected, so one `plan` lists all that must be fixed.
 */
export async function readEstate(dir: string): Promise<{ estate: Estate; errors: EstateError[]; origins: Origins }> {
  const errors: EstateError[] = [];
  const estate: Estate = new Map();
  const origins: Origins = new Map();
  const root = path.resolve(dir);

  const load = async <S extends z.ZodType>(rel: string, schema: S): Promise<z.infer<S> | null> => {
    let text: string;
    try {
      text = await readFile(path.join(root, rel), 'utf8');
    } catch {
      errors.push({ file: rel, path: '', message: 'file is missing' });
      return null;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      errors.push({ file: rel, path: '', message: `not valid JSON: ${(err as Error).message}` });
      return null;
    }
    const parsed = schema.safeParse(doc);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const message = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
      errors.push({ file: rel, path: issue.path.map(String).join('.'), message });
    }
    return null;
  };
  const unexpected = (rel: string, what: string) => errors.push({ file: rel, path: '', message: `unexpected ${what}: not part of the estate layout` });

  if (!(await isDir(root))) return { estate, origins, errors: [{ file: dir, path: '', message: 'is not a folder' }] };
  await load('estate.json', EstateMarkerSchema);
  for (const entry of await list(root)) if (entry !== 'estate.json' && entry !== 'tenants') unexpected(entry, 'entry');

  const seen = <K>(keys: Map<K, string>, key: K, rel: string, what: string, at: string): boolean => {
    const first = keys.get(key);
    if (first) {
      errors.push({ file: rel, path: at, message: `${what} is also defined in ${first}` });
      return true;
    }
    keys.set(key, rel);
    return false;
  };

  const tenantFiles = new Map<string, string>();
  for (const folder of await list(path.join(root, 'tenants'))) {
    const base = `tenants/${folder}`;
    if (!(await isDir(path.join(root, base)))) {
      unexpected(base, 'file');
      continue;
    }
    const tenant = await load(`${base}/tenant.json`, TenantFileSchema);
    const t: TenantEstate = tenant
      ? { tenant, policy: null, connections: new Map(), mappings: new Map(), workflows: new Map() }
      : { tenant: null as never, policy: null, connections: new Map(), mappings: new Map(), workflows: new Map() };
    for (const entry of await list(path.join(root, base))) {
      const rel = `${base}/${entry}`;
      if (entry === 'tenant.json') continue;
      if (entry === 'policy.json') t.policy = await load(rel, TenantPolicyFileSchema);
      if (entry === 'policy.json' && tenant) origins.set(objectId.tenantPolicy(tenant.slug), rel);
      else if (entry === 'connections' || entry === 'mappings' || entry === 'workflows') continue;
      else unexpected(rel, 'entry');
    }

    const connectionFiles = new Map<string, string>();
    for (const entry of await list(path.join(root, base, 'connections'))) {
      const rel = `${base}/connections/${entry}`;
      if (!entry.endsWith('.json')) {
        unexpected(rel, 'entry');
        continue;
      }
      const c = await load(rel, ConnectionFileSchema);
      if (c && !seen(connectionFiles, c.name, rel, `connection "${c.name}"`, 'name')) {
        t.connections.set(c.name, c);
        if (tenant) origins.set(objectId.connection(tenant.slug, c.name), rel);
      }
    }

    const mappingFiles = new Map<string, string>();
    for (const entry of await list(path.join(root, base, 'mappings'))) {
      const rel = `${base}/mappings/${entry}`;
      if (!entry.endsWith('.json')) {
        unexpected(rel, 'entry');
        continue;
      }
      const m = await load(rel, MappingFileSchema);
      const key = m ? mappingKey(m.erp, m.object) : '';
      if (m && !seen(mappingFiles, key, rel, `mapping ${m.erp} ${m.object}`, 'object')) {
        t.mappings.set(key, m);
        if (tenant) origins.set(objectId.mapping(tenant.slug, key), rel);
      }
    }

    const workflowFiles = new Map<string, string>();
    for (const wfolder of await list(path.join(root, base, 'workflows'))) {
      const wbase = `${base}/workflows/${wfolder}`;
      if (!(await isDir(path.join(root, wbase)))) {
        unexpected(wbase, 'file');
        continue;
      }
      const workflow = await load(`${wbase}/workflow.json`, WorkflowFileSchema);
      const deployment = await load(`${wbase}/deployment.json`, DeploymentFileSchema);
      const w: WorkflowEstate = { workflow: workflow as never, versions: new Map(), deployment: deployment as never, policy: null };
      for (const entry of await list(path.join(root, wbase))) {
        const rel = `${wbase}/${entry}`;
        if (entry === 'policy.json') {
          w.policy = await load(rel, WorkflowPolicyFileSchema);
          if (tenant && workflow) origins.set(objectId.workflowPolicy(tenant.slug, workflow.name), rel);
        }
        else if (!['workflow.json', 'deployment.json', 'versions'].includes(entry)) unexpected(rel, 'entry');
      }
      const versionFiles = new Map<number, string>();
      for (const entry of await list(path.join(root, wbase, 'versions'))) {
        const rel = `${wbase}/versions/${entry}`;
        if (!entry.endsWith('.json')) {
          unexpected(rel, 'entry');
          continue;
        }
        const v = await load(rel, WorkflowVersionFileSchema);
        if (v && !seen(versionFiles, v.version, rel, `version ${v.version}`, 'version')) {
          w.versions.set(v.version, v);
          if (tenant && workflow) origins.set(objectId.version(tenant.slug, workflow.name, v.version), rel);
        }
      }
      if (workflow && deployment && !seen(workflowFiles, workflow.name, `${wbase}/workflow.json`, `workflow "${workflow.name}"`, 'name')) {
        t.workflows.set(workflow.name, w);
        if (tenant) {
          origins.set(objectId.workflow(tenant.slug, workflow.name), `${wbase}/workflow.json`);
          origins.set(objectId.deployment(tenant.slug, workflow.name), `${wbase}/deployment.json`);
        }
      }
    }
    if (tenant && !seen(tenantFiles, tenant.slug, `${base}/tenant.json`, `tenant "${tenant.slug}"`, 'slug')) {
      estate.set(tenant.slug, t);
      origins.set(objectId.tenant(tenant.slug), `${base}/tenant.json`);
    }
  }
  return { estate, errors, origins };
}
