import type { Database, SecretKeyring } from '@switchyard/db';
import { applyEstate, type ApplyResult } from './apply';
import { readEstate, writeEstate } from './files';
import type { Estate, EstateError } from './model';
import { planEstate, refusedDeletions, workflowsFolder, type Plan, type PlanOptions } from './plan';
import { readDatabaseState } from './read-db';
import { validateEstate, type Env } from './validate';

// The three commands as functions (the CLI in main.ts only parses arguments and prints).

export async function exportEstate(db: Database, keyring: SecretKeyring, dir: string, options: { tenants?: string[] } = {}): Promise<string[]> {
  const { estate } = await readDatabaseState(db.prisma, keyring);
  if (options.tenants?.length) for (const slug of [...estate.keys()]) if (!options.tenants.includes(slug)) estate.delete(slug);
  keepSecretRefs(estate, (await readEstate(dir)).estate);
  return writeEstate(dir, estate);
}

/**
 * Exporting over an earlier export keeps the secret names chosen there (teams name them after their
 * vault); only secrets the folder does not name yet get the derived names.
 */
function keepSecretRefs(estate: Estate, previous: Estate): void {
  for (const [slug, t] of estate) {
    const before = previous.get(slug);
    if (!before) continue;
    for (const [name, c] of t.connections) {
      const old = before.connections.get(name)?.credentials ?? {};
      for (const field of Object.keys(c.credentials)) if (old[field]) c.credentials[field] = old[field];
    }
    for (const [name, w] of t.workflows) {
      const old = before.workflows.get(name)?.deployment?.signingSecrets ?? [];
      if (old.length === w.deployment.signingSecrets.length) w.deployment.signingSecrets = old;
    }
  }
}

export type PlanResult = { status: 'planned'; plan: Plan } | { status: 'invalid'; errors: EstateError[] };

export async function planFromDir(db: Database, keyring: SecretKeyring, dir: string, env: Env, options: PlanOptions = {}): Promise<PlanResult> {
  const read = await readEstate(dir);
  if (read.errors.length > 0) return { status: 'invalid', errors: read.errors };
  const current = await readDatabaseState(db.prisma, keyring);
  const { errors, resolved } = validateEstate(read.estate, read.origins, current, env);
  if (errors.length > 0) return { status: 'invalid', errors };
  const plan = planEstate(read.estate, read.origins, current, resolved, options);
  const refused = await refusedDeletions(db.prisma, plan, current, workflowsFolder);
  if (refused.length > 0) return { status: 'invalid', errors: refused };
  return { status: 'planned', plan };
}

export async function applyFromDir(db: Database, keyring: SecretKeyring, dir: string, env: Env, options: PlanOptions = {}): Promise<ApplyResult> {
  const read = await readEstate(dir);
  if (read.errors.length > 0) return { status: 'invalid', errors: read.errors };
  return applyEstate(db, { desired: read.estate, origins: read.origins, env, keyring, options });
}
