import { generateSecretKey } from '@switchyard/db';
import type { SessionUser, TenantRole } from '../../src/index';
import { callerFor } from './callers';
import { createTenant, type TestDatabase } from './database';
import { manualGraph, webhookGraph } from './graphs';

export interface TenantEstate {
  id: string;
  slug: string;
  name: string;
  /** Every id of a tenant-owned object created for the tenant (workflows, versions, runs, …). */
  ids: Record<string, string>;
  /** Names an attacker might look things up by (connections, workflows, subscriptions, keys). */
  names: string[];
}

/**
 * A tenant with one of each kind of configuration and history, created through the API as a
 * platform admin: the objects another tenant's users will try to reach.
 */
export async function populateTenant(env: TestDatabase, slug: string, name: string): Promise<TenantEstate> {
  // Connection credentials and signing secrets are encrypted: a test process needs an estate key.
  process.env.SWITCHYARD_SECRET_KEY ??= generateSecretKey().key.toString('base64');
  const tenant = await createTenant(env.db, slug, name);
  const admin = callerFor(env.db, slug);
  const manual = await admin.workflows.create({ name: `${name} manual flow` });
  await admin.workflows.saveDraft({ id: manual.id, graph: manualGraph(), expectedRevision: 1 });
  const { versionId } = await admin.workflows.publish({ id: manual.id });
  const hook = await admin.workflows.create({ name: `${name} webhook flow` });
  await admin.workflows.saveDraft({ id: hook.id, graph: webhookGraph(`${slug}-invoices`), expectedRevision: 1 });
  const hookVersion = await admin.workflows.publish({ id: hook.id });
  const { runId } = await admin.runs.trigger({ workflowId: manual.id, payload: { invoice: `${slug}-secret-payload` } });
  // A failed, dead-lettered run (as the worker leaves it), for the dead-letter procedures.
  const dead = await admin.runs.trigger({ workflowId: manual.id, payload: { n: 2 } });
  await env.db.pool.query(`UPDATE runs SET status = 'failed', dead_lettered_at = now(), finished_at = now() WHERE id = $1`, [dead.runId]);
  const connection = (await admin.connections.create({
    name: `${slug}-ledger`,
    system: 'back-office',
    baseUrl: 'https://ledger.example.com',
    config: {},
    credentials: { apiKey: `${slug}-planted-credential` },
  })) as { id: string };
  const schedule = (await admin.schedules.create({ workflowId: manual.id, cron: '0 9 * * 1-5' })) as { id: string };
  const { subscription } = await admin.statusOut.create({ name: `${slug}-portal`, url: 'https://portal.example.com/hook' });
  const key = await admin.apiKeys.create({ name: `${slug}-key`, scopes: ['ingress'] });
  await admin.webhooks.rotateSecret({ workflowId: hook.id });
  return {
    ...tenant,
    ids: {
      workflow: manual.id,
      hookWorkflow: hook.id,
      version: versionId,
      hookVersion: hookVersion.versionId,
      run: runId,
      deadRun: dead.runId,
      connection: connection.id,
      schedule: schedule.id,
      subscription: subscription.id,
      apiKey: key.id,
    },
    names: [name, `${name} manual flow`, `${name} webhook flow`, `${slug}-ledger`, `${slug}-portal`, `${slug}-key`, `${slug}-planted-credential`, `${slug}-secret-payload`],
  };
}

/** A signed-in user with one membership (a real users row, so membership checks read the table). */
export async function memberOf(env: TestDatabase, tenantId: string, role: TenantRole, email: string): Promise<SessionUser> {
  const user = await env.db.prisma.user.create({ data: { email, name: email }, select: { id: true, email: true, name: true } });
  await env.db.prisma.membership.create({ data: { userId: user.id, tenantId, role } });
  return { ...user, platformAdmin: false };
}

/** A fingerprint of everything a tenant owns: every table with a tenant_id column, row by row. */
export async function tenantFingerprint(env: TestDatabase, tenantId: string): Promise<Record<string, string>> {
  const { rows: tables } = await env.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const { rows } = await env.db.pool.query<{ digest: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*)::int AS n FROM "${table_name}" t WHERE tenant_id = $1`,
      [tenantId],
    );
    out[table_name] = `${rows[0]!.n}:${rows[0]!.digest ?? ''}`;
  }
  return out;
}
