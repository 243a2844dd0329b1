import { randomUUID } from 'node:crypto';
import { encryptSecret, nextSlot, toJsonValue, type Database, type Prisma, type SecretKeyring } from '@switchyard/db';
import { webhookTrigger, type Graph } from '@switchyard/workflow';
import { objectId, type Estate, type EstateError, type Origins, type ScheduleSpec, type TenantEstate } from './model';
import { planEstate, refusedDeletions, workflowsFolder, type Change, type Plan, type PlanOptions } from './plan';
import { readDatabaseState, type DatabaseState } from './read-db';
import { validateEstate, type Env, type Resolved } from './validate';

// `apply`: reads the database, validates the files against it, plans and writes the plan, all in ONE
// serializable transaction, so the plan that is applied is the plan of the state it was computed on,
// and an invalid estate (or any failure while writing) changes nothing.

export const APPLY_ACTOR = 'cli:switchyard apply';

export type ApplyResult = { status: 'applied'; plan: Plan } | { status: 'invalid'; errors: EstateError[] };

class Invalid extends Error {
  constructor(readonly errors: EstateError[]) {
    super('invalid estate');
  }
}

export interface ApplyInput {
  desired: Estate;
  origins: Origins;
  env: Env;
  keyring: SecretKeyring;
  options?: PlanOptions;
  now?: Date;
}

export async function applyEstate(db: Database, input: ApplyInput): Promise<ApplyResult> {
  try {
    const plan = await db.prisma.$transaction(
      async (tx) => {
        const current = await readDatabaseState(tx, input.keyring);
        const { errors, resolved } = validateEstate(input.desired, input.origins, current, input.env);
        if (errors.length > 0) throw new Invalid(errors);
        const plan = planEstate(input.desired, input.origins, current, resolved, input.options);
        const refused = await refusedDeletions(tx, plan, current, workflowsFolder);
        if (refused.length > 0) throw new Invalid(refused);
        await write(tx, input, current, resolved, plan);
        return plan;
      },
      // PGlite serialises transactions anyway; on PostgreSQL a concurrent edit makes this fail rather than be overwritten.
      { isolationLevel: db.kind === 'postgres' ? 'Serializable' : undefined, timeout: 120_000, maxWait: 30_000 },
    );
    return { status: 'applied', plan };
  } catch (err) {
    if (err instanceof Invalid) return { status: 'invalid', errors: err.errors };
    throw err;
  }
}

async function write(tx: Prisma.TransactionClient, input: ApplyInput, current: DatabaseState, resolved: Resolved, plan: Plan): Promise<void> {
  const changed = new Map(plan.changes.map((c) => [c.id, c]));
  const is = (id: string, action: Change['action']) => changed.get(id)?.action === action;
  const now = input.now ?? new Date();

  for (const slug of plan.unmanagedTenants) {
    if (is(objectId.tenant(slug), 'delete')) await tx.tenant.delete({ where: { slug } });
  }

  for (const [slug, t] of input.desired) {
    const tenantChanges = plan.changes.filter((c) => c.tenant === slug);
    if (tenantChanges.length === 0) continue;
    const { id: tenantId } = await tx.tenant.upsert({
      where: { slug },
      create: { slug, name: t.tenant.name, timeZone: t.tenant.timeZone, region: t.tenant.region, baseCurrency: t.tenant.baseCurrency },
      update: { name: t.tenant.name, timeZone: t.tenant.timeZone, region: t.tenant.region, baseCurrency: t.tenant.baseCurrency },
      select: { id: true },
    });

    if (t.policy) {
      const policy = toJsonValue(t.policy.policy);
      await tx.tenantPolicy.upsert({ where: { tenantId }, create: { tenantId, policy }, update: { policy, updatedAt: now } });
    } else await tx.tenantPolicy.deleteMany({ where: { tenantId } });

    await writeConnections(tx, input.keyring, slug, tenantId, t, current, resolved, is);
    await writeMappings(tx, slug, tenantId, t, is);
    await writeWorkflows(tx, input.keyring, slug, tenantId, t, current, resolved, is, now);

    await tx.auditEntry.create({
      data: {
        tenantId,
        actor: APPLY_ACTOR,
        action: 'estate.apply',
        entityType: 'tenant',
        entityId: tenantId,
        // Paths only: values may be large, and some fields are secrets.
        after: toJsonValue({ changes: tenantChanges.map((c) => ({ action: c.action, object: c.id, fields: c.fields.map((f) => f.path) })) }),
      },
    });
  }
}

type Is = (id: string, action: Change['action']) => boolean;

async function writeConnections(tx: Prisma.TransactionClient, keyring: SecretKeyring, slug: string, tenantId: string, t: TenantEstate, current: DatabaseState, resolved: Resolved, is: Is) {
  for (const name of current.estate.get(slug)?.connections.keys() ?? []) {
    if (is(objectId.connection(slug, name), 'delete')) await tx.connection.deleteMany({ where: { tenantId, name } });
  }
  for (const [name, c] of t.connections) {
    const cid = objectId.connection(slug, name);
    if (!is(cid, 'create') && !is(cid, 'update')) continue;
    const id = current.connectionIds.get(`${slug}/${name}`) ?? randomUUID();
    // The id is part of the ciphertext's associated data, so it is chosen before encrypting.
    const encryptedCredentials = new Uint8Array(encryptSecret(keyring.current, { tenantId, connectionId: id }, resolved.credentials.get(`${slug}/${name}`) ?? {}));
    const data = { name, system: c.system, baseUrl: c.baseUrl, config: toJsonValue(c.config), encryptedCredentials, keyId: keyring.current.id, updatedAt: new Date() };
    if (is(cid, 'create')) await tx.connection.create({ data: { id, tenantId, ...data } });
    else await tx.connection.update({ where: { id }, data });
  }
}

async function writeMappings(tx: Prisma.TransactionClient, slug: string, tenantId: string, t: TenantEstate, is: Is) {
  const current = await tx.tenantMapping.groupBy({ by: ['erp', 'object'], where: { tenantId }, _max: { version: true } });
  for (const m of current) {
    const key = `${m.erp}/${m.object}`;
    if (is(objectId.mapping(slug, key), 'delete')) await tx.tenantMapping.deleteMany({ where: { tenantId, erp: m.erp, object: m.object } });
  }
  for (const [key, m] of t.mappings) {
    const id = objectId.mapping(slug, key);
    if (!is(id, 'create') && !is(id, 'update')) continue;
    // Overlays are versioned: a change is a new version, the earlier ones stay as history.
    const latest = current.find((c) => c.erp === m.erp && c.object === m.object)?._max.version ?? 0;
    await tx.tenantMapping.create({ data: { tenantId, erp: m.erp, object: m.object, version: latest + 1, overlay: toJsonValue(m.overlay), note: m.note } });
  }
}

function webhookPathOf(graph: Graph | undefined): string | null {
  const node = graph?.nodes.find((n) => n.kind === webhookTrigger.kind);
  return node ? (webhookTrigger.configSchema.safeParse(node.config).data?.path ?? null) : null;
}

async function writeWorkflows(
  tx: Prisma.TransactionClient,
  keyring: SecretKeyring,
  slug: string,
  tenantId: string,
  t: TenantEstate,
  current: DatabaseState,
  resolved: Resolved,
  is: Is,
  now: Date,
) {
  for (const name of current.estate.get(slug)?.workflows.keys() ?? []) {
    if (is(objectId.workflow(slug, name), 'delete')) await tx.workflow.deleteMany({ where: { tenantId, name } });
  }
  const routes: Array<{ workflowId: string; path: string }> = [];
  for (const [name, w] of t.workflows) {
    const key = `${slug}/${name}`;
    const wid = objectId.workflow(slug, name);
    const draftGraph = toJsonValue(resolved.graphs.get(`${key}#draft`) ?? w.workflow.draftGraph);
    let workflowId = current.workflowIds.get(key);
    if (!workflowId) {
      workflowId = (await tx.workflow.create({ data: { tenantId, name, description: w.workflow.description, draftGraph }, select: { id: true } })).id;
    } else if (is(wid, 'update')) {
      // A new draft revision, so a designer holding the old one is told its draft moved on.
      await tx.workflow.update({ where: { id: workflowId }, data: { description: w.workflow.description, draftGraph, draftRevision: { increment: 1 } } });
    }

    for (const [n, v] of w.versions) {
      if (!is(objectId.version(slug, name, n), 'create')) continue;
      await tx.workflowVersion.create({ data: { tenantId, workflowId, version: n, note: v.note, graph: toJsonValue(resolved.graphs.get(`${key}@${n}`) ?? v.graph) } });
    }

    const did = objectId.deployment(slug, name);
    const active = w.deployment.activeVersion;
    if (is(did, 'create') || is(did, 'update')) {
      const version = active === null ? null : await tx.workflowVersion.findFirst({ where: { tenantId, workflowId, version: active }, select: { id: true } });
      await tx.workflow.update({ where: { id: workflowId }, data: { activeVersionId: version?.id ?? null } });
      await writeSchedules(tx, tenantId, workflowId, w.deployment.schedules, current.estate.get(slug)?.workflows.get(name)?.deployment.schedules ?? [], current.scheduleIds.get(key) ?? [], now);
      const secrets = resolved.signingSecrets.get(key);
      const template = w.deployment.template ?? null;
      if (template) {
        const data = { templateId: template.id, variables: toJsonValue(template.variables), updatedAt: now };
        await tx.templateDeployment.upsert({ where: { workflowId }, create: { workflowId, tenantId, ...data }, update: data });
      } else await tx.templateDeployment.deleteMany({ where: { tenantId, workflowId } });
      const stored = current.signingSecrets.get(key);
      if (Array.isArray(secrets) && JSON.stringify(secrets) !== JSON.stringify(stored)) await writeSigningSecrets(tx, keyring, tenantId, workflowId, secrets, now);
    }
    const path = webhookPathOf(active === null ? undefined : resolved.graphs.get(`${key}@${active}`));
    if (path) routes.push({ workflowId, path });

    const pid = objectId.workflowPolicy(slug, name);
    if (w.policy && (is(pid, 'create') || is(pid, 'update'))) {
      const policy = toJsonValue(w.policy.policy);
      await tx.workflowPolicy.upsert({ where: { workflowId }, create: { workflowId, tenantId, policy }, update: { policy, updatedAt: now } });
    } else if (is(pid, 'delete')) await tx.workflowPolicy.deleteMany({ where: { tenantId, workflowId } });
  }

  // Routes follow the active versions. Stale ones go first, so a path may move between workflows in one apply.
  await tx.webhookRoute.deleteMany({ where: { tenantId, NOT: { OR: routes.map((r) => ({ workflowId: r.workflowId, path: r.path })) } } });
  const existing = await tx.webhookRoute.findMany({ where: { tenantId }, select: { path: true } });
  const missing = routes.filter((r) => !existing.some((e) => e.path === r.path));
  if (missing.length > 0) await tx.webhookRoute.createMany({ data: missing.map((r) => ({ tenantId, ...r })) });
}

const scheduleKey = (s: ScheduleSpec) => JSON.stringify([s.name, s.cron, s.timeZone]);

/** Schedules that keep their name, cron and zone are updated in place, keeping their next slot; the rest are replaced. */
async function writeSchedules(tx: Prisma.TransactionClient, tenantId: string, workflowId: string, desired: ScheduleSpec[], before: ScheduleSpec[], ids: string[], now: Date) {
  const kept = new Set<string>();
  for (const s of desired) {
    const i = before.findIndex((b, idx) => scheduleKey(b) === scheduleKey(s) && !kept.has(ids[idx]!));
    if (i >= 0) {
      kept.add(ids[i]!);
      await tx.schedule.update({ where: { id: ids[i]! }, data: { payload: toJsonValue(s.payload ?? {}), enabled: s.enabled, updatedAt: now } });
    } else {
      await tx.schedule.create({
        data: { tenantId, workflowId, name: s.name, cron: s.cron.trim(), timeZone: s.timeZone, payload: toJsonValue(s.payload ?? {}), enabled: s.enabled, nextFireAt: nextSlot(s.cron, s.timeZone, now) },
      });
    }
  }
  const gone = ids.filter((id) => !kept.has(id));
  if (gone.length > 0) await tx.schedule.deleteMany({ where: { tenantId, workflowId, id: { in: gone } } });
}

async function writeSigningSecrets(tx: Prisma.TransactionClient, keyring: SecretKeyring, tenantId: string, workflowId: string, secrets: string[], now: Date) {
  await tx.webhookSecret.deleteMany({ where: { tenantId, workflowId } });
  for (const [i, secret] of secrets.entries()) {
    const id = randomUUID();
    // Newest first in the file; created a millisecond apart so "newest" survives the round trip.
    const encryptedSecret = new Uint8Array(encryptSecret(keyring.current, { tenantId, connectionId: `webhook-secret/${id}` }, secret));
    await tx.webhookSecret.create({ data: { id, tenantId, workflowId, encryptedSecret, keyId: keyring.current.id, createdAt: new Date(now.getTime() - i) } });
  }
}
