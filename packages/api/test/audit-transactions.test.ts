import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOverlay } from '@switchyard/canonical';
import { generateSecretKey } from '@switchyard/db';
import { callerFor } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph } from './support/graphs';

/**
 * Every configuration change writes its audit entry in the same transaction as the change. Proved by
 * making the audit insert fail (a trigger refuses the action under test): the change must then be
 * rolled back too. Then, with the trigger off, the same change commits with exactly one entry.
 */
const savedKey = process.env.SWITCHYARD_SECRET_KEY;

describe.skipIf(postgresUnavailable !== null)(`audit entries commit with their change${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let tenantId: string;
  /** The database owner's connection: the test's own DDL and reads, outside the app role and its row-level security. */
  let owner: pg.Client;
  const acme = () => callerFor(t.db, 'acme');

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    t = await createTestDatabase('audit_tx');
    tenantId = (await createTenant(t.db, 'acme', 'Acme')).id;
    const url = new URL(process.env.SWITCHYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/${(await t.db.pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db}`;
    owner = new pg.Client({ connectionString: url.toString() });
    await owner.connect();
    await owner.query(`CREATE TABLE audit_refused (action text PRIMARY KEY)`);
    // SECURITY DEFINER: the trigger fires for the app role, which has no grant on the test's table.
    await owner.query(`
      CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM audit_refused WHERE action = NEW.action) THEN
          RAISE EXCEPTION 'audit refused for %', NEW.action;
        END IF;
        RETURN NEW;
      END $$`);
    await owner.query(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
  });
  afterAll(async () => {
    await owner?.end();
    await t?.drop();
    if (savedKey === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    else process.env.SWITCHYARD_SECRET_KEY = savedKey;
  });

  async function entries(action: string): Promise<number> {
    const { rows } = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = $2`, [tenantId, action]);
    return rows[0]!.n;
  }

  /**
   * Runs `change` once with its audit entry refused (it must fail and leave `state()` as it was) and
   * once normally (it must succeed, change `state()`, and add exactly one entry).
   */
  async function provesSameTransaction<T>(action: string, state: () => Promise<unknown>, change: () => Promise<T>): Promise<T> {
    const before = await state();
    const count = await entries(action);
    await owner.query(`INSERT INTO audit_refused VALUES ($1)`, [action]);
    try {
      await expect(change()).rejects.toThrow(/audit refused/);
    } finally {
      await owner.query(`DELETE FROM audit_refused WHERE action = $1`, [action]);
    }
    expect(await state(), `${action} must roll back with its refused audit entry`).toEqual(before);
    expect(await entries(action)).toBe(count);
    const result = await change();
    expect(await state(), `${action} must change something`).not.toEqual(before);
    expect(await entries(action)).toBe(count + 1);
    return result;
  }

  const rows = (sql: string, params: unknown[] = []) => async () => (await owner.query(sql, params)).rows;

  it('workflows: create, save draft, publish, rollback', async () => {
    const { id } = await provesSameTransaction('workflow.create', rows(`SELECT name FROM workflows ORDER BY name`), () => acme().workflows.create({ name: 'Audited' }));
    const wf = rows(`SELECT draft_revision, active_version_id FROM workflows WHERE id = $1`, [id]);
    await provesSameTransaction('workflow.save_draft', wf, () => acme().workflows.saveDraft({ id, graph: manualGraph(), expectedRevision: 1 }));
    const versions = rows(`SELECT version FROM workflow_versions WHERE workflow_id = $1 ORDER BY version`, [id]);
    await provesSameTransaction('workflow.publish', versions, () => acme().workflows.publish({ id }));
    await provesSameTransaction('workflow.rollback', versions, () => acme().workflows.rollback({ id, version: 1 }));
  });

  it('connections: create, update, delete (never logging a credential)', async () => {
    const state = rows(`SELECT name, base_url FROM connections ORDER BY name`);
    const created = await provesSameTransaction('connection.create', state, () =>
      acme().connections.create({ name: 'backoffice', system: 'back-office', baseUrl: 'https://bo.example.com', config: {}, credentials: { apiKey: 'planted-api-key-9f8e7d' } }),
    );
    await provesSameTransaction('connection.update', state, () =>
      acme().connections.update({ id: created.id, baseUrl: 'https://bo2.example.com', credentials: { apiKey: 'planted-api-key-second' } }),
    );
    await provesSameTransaction('connection.delete', state, () => acme().connections.delete({ id: created.id }));
    const { rows: logged } = await owner.query(`SELECT before, after FROM audit_log WHERE entity_type = 'connection'`);
    expect(JSON.stringify(logged)).not.toContain('planted-api-key');
    expect(JSON.stringify(logged)).toContain('credentialsChanged');
  });

  it('mappings, tenant and workflow policies, schedules', async () => {
    await provesSameTransaction('mapping.save', rows(`SELECT version FROM tenant_mappings`), () =>
      acme().mappings.save({ erp: 'sap', object: 'invoice', overlay: sampleOverlay('sap'), expectedVersion: 0 }),
    );
    await provesSameTransaction('tenant_policy.update', rows(`SELECT policy FROM tenant_policies`), () => acme().policies.setTenant({ policy: { retry: { maxAttempts: 4 } } }));
    const { id } = await acme().workflows.create({ name: 'Scheduled' });
    await provesSameTransaction('workflow_policy.update', rows(`SELECT policy FROM workflow_policies`), () => acme().policies.setWorkflow({ workflowId: id, policy: { timeoutMs: 5000 } }));
    const schedules = rows(`SELECT cron, enabled FROM schedules ORDER BY cron`);
    const schedule = await provesSameTransaction('schedule.create', schedules, () => acme().schedules.create({ workflowId: id, cron: '0 9 * * 1-5' }));
    await provesSameTransaction('schedule.update', schedules, () => acme().schedules.update({ id: schedule.id, patch: { enabled: false } }));
    await provesSameTransaction('schedule.delete', schedules, () => acme().schedules.delete({ id: schedule.id }));
  });

  it('webhook secrets, status subscriptions and API keys', async () => {
    const { id } = await acme().workflows.create({ name: 'Signed' });
    const secrets = rows(`SELECT id FROM webhook_secrets ORDER BY id`);
    await provesSameTransaction('webhook_secret.rotate', secrets, () => acme().webhooks.rotateSecret({ workflowId: id }));
    await acme().webhooks.rotateSecret({ workflowId: id });
    await provesSameTransaction('webhook_secret.revoke_old', secrets, () => acme().webhooks.revokeOldSecret({ workflowId: id }));

    const subs = rows(`SELECT name, active FROM status_subscriptions ORDER BY name`);
    const { subscription } = await provesSameTransaction('status_subscription.create', subs, () => acme().statusOut.create({ name: 'portal', url: 'https://portal.example.com/hook' }));
    await provesSameTransaction('status_subscription.set_active', subs, () => acme().statusOut.setActive({ id: subscription.id, active: false }));
    await provesSameTransaction('status_subscription.delete', subs, () => acme().statusOut.delete({ id: subscription.id }));

    const keys = rows(`SELECT name, revoked_at IS NOT NULL AS revoked FROM api_keys ORDER BY name`);
    const key = await provesSameTransaction('api_key.create', keys, () => acme().apiKeys.create({ name: 'ci', scopes: ['ingress'] }));
    await provesSameTransaction('api_key.revoke', keys, () => acme().apiKeys.revoke({ id: key.id }));
  });

  it('a refused change writes no entry (name taken)', async () => {
    await acme().workflows.create({ name: 'Twice' });
    const count = await entries('workflow.create');
    await expect(acme().workflows.create({ name: 'Twice' })).rejects.toThrow(/already exists/);
    expect(await entries('workflow.create')).toBe(count);
  });

  it('filters by actor, time range, action and entity, and lists the facets', async () => {
    const all = await acme().audit.list({ limit: 200 });
    expect(all.items.length).toBeGreaterThan(10);
    const facets = await acme().audit.facets();
    expect(facets.actions).toEqual(expect.arrayContaining(['workflow.create', 'connection.delete', 'schedule.update']));
    expect(facets.entityTypes).toEqual(expect.arrayContaining(['workflow', 'connection', 'schedule', 'mapping']));
    expect(facets.actors).toHaveLength(1);
    expect((await acme().audit.list({ actor: facets.actors[0]!, limit: 200 })).items).toHaveLength(all.items.length);
    expect((await acme().audit.list({ actor: 'user:nobody' })).items).toEqual([]);
    const future = new Date(Date.now() + 60_000);
    expect((await acme().audit.list({ since: future })).items).toEqual([]);
    expect((await acme().audit.list({ until: future, limit: 200 })).items).toHaveLength(all.items.length);
    const schedules = await acme().audit.list({ entityType: 'schedule' });
    expect(schedules.items.map((e) => e.action)).toEqual(['schedule.delete', 'schedule.update', 'schedule.create']);
    expect(schedules.items[1]).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
  });
});
