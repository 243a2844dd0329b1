import { sampleOverlay } from '@switchyard/canonical';
import { fireDueSchedules, generateSecretKey, listSchedules } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';

let env: TestDatabase;
const savedKey = process.env.SWITCHYARD_SECRET_KEY;

describe.skipIf(Boolean(postgresUnavailable))('templates router', () => {
  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    env = await createTestDatabase('api_templates');
    await createTenant(env.db, 'acme', 'Acme');
    const acme = callerFor(env.db, 'acme');
    await acme.connections.create({
      name: 'netsuite',
      system: 'netsuite',
      baseUrl: 'https://1234567.suitetalk.api.netsuite.com',
      config: { accountId: '1234567' },
      credentials: { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' },
    });
    await acme.connections.create({ name: 'backoffice', system: 'back-office', baseUrl: 'https://bo.example.com', config: {}, credentials: { apiKey: 'k-123456' } });
  });
  afterAll(async () => {
    await env?.drop();
    if (savedKey === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    else process.env.SWITCHYARD_SECRET_KEY = savedKey;
  });

  it('lists the templates', async () => {
    const list = await callerFor(env.db, 'acme').templates.list();
    expect(list.map((t) => t.id)).toEqual(['invoice-sync', 'order-to-cash', 'subscription-billing', 'subscription-reconciliation', 'procure-to-pay']);
  });

  it("instantiates a draft with the tenant's saved mapping overlay baked in", async () => {
    const acme = callerFor(env.db, 'acme');
    await acme.mappings.save({ erp: 'netsuite', object: 'invoice', overlay: sampleOverlay('netsuite') });
    const created = await acme.templates.instantiate({ templateId: 'invoice-sync', params: { erp: 'netsuite', connectionId: 'netsuite' } });
    expect(created).toMatchObject({ name: 'Invoice sync (NetSuite)', issues: [] });
    const workflow = await acme.workflows.get({ id: created.id });
    expect(workflow.issues).toEqual([]);
    expect(workflow.description).toContain('mapping overlay v1');
    const upsert = (workflow.draftGraph as { nodes: Array<{ id: string; config: Record<string, unknown> }> }).nodes.find((n) => n.id === 'upsert');
    expect(upsert?.config).toMatchObject({ connectionId: 'netsuite', mapping: { object: 'invoice', overlay: { lookups: { subsidiaries: { US01: '1' } } } } });
    const o2c = await acme.templates.instantiate({ templateId: 'order-to-cash', params: { erp: 'netsuite', connectionId: 'netsuite', backOfficeConnectionId: 'backoffice' }, name: 'O2C' });
    expect(o2c).toMatchObject({ name: 'O2C', issues: [] });
  });

  it('instantiates the nightly reconciliation with its schedule, which fires once published', async () => {
    const acme = callerFor(env.db, 'acme');
    const bad = await expectTrpcError(
      acme.templates.instantiate({ templateId: 'subscription-reconciliation', params: { erp: 'netsuite', connectionId: 'netsuite', backOfficeConnectionId: 'backoffice', cron: '61 2 * * *' } }),
      'BAD_REQUEST',
    );
    expect(bad.message).toContain('params.cron');
    const created = await acme.templates.instantiate({ templateId: 'subscription-reconciliation', params: { erp: 'netsuite', connectionId: 'netsuite', backOfficeConnectionId: 'backoffice' } });
    expect(created).toMatchObject({ name: 'Subscription reconciliation (NetSuite)', issues: [] });
    const tenantId = (await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'acme' }, select: { id: true } })).id;
    const schedules = await listSchedules(env.db.pool, tenantId, { workflowId: created.id });
    expect(schedules).toMatchObject([{ id: created.scheduleId, cron: '0 2 * * *', enabled: true }]);
    // Unpublished: the slot starts nothing. Published: the slot starts one run with the slot in its payload.
    const slot = schedules[0]!.nextFireAt;
    expect(await fireDueSchedules(env.db.pool, { now: slot })).toMatchObject([{ runId: null, error: expect.stringContaining('no published version') }]);
    await acme.workflows.publish({ id: created.id });
    const next = (await listSchedules(env.db.pool, tenantId, { workflowId: created.id }))[0]!.nextFireAt;
    const fired = await fireDueSchedules(env.db.pool, { now: next });
    expect(fired).toMatchObject([{ created: true }]);
    const run = await env.db.prisma.run.findFirstOrThrow({ where: { tenantId, workflowId: created.id }, select: { trigger: true, triggerPayload: true } });
    expect(run).toMatchObject({ trigger: 'schedule', triggerPayload: { scheduledFor: next.toISOString() } });
  });

  it('names missing or mismatched connections and bad parameters', async () => {
    const acme = callerFor(env.db, 'acme');
    const missing = await expectTrpcError(acme.templates.instantiate({ templateId: 'invoice-sync', params: { erp: 'sap', connectionId: 'sap-prod' } }), 'BAD_REQUEST');
    expect(missing.message).toContain('params.connectionId there is no connection "sap-prod" in this tenant');
    const wrong = await expectTrpcError(acme.templates.instantiate({ templateId: 'invoice-sync', params: { erp: 'sap', connectionId: 'netsuite' } }), 'BAD_REQUEST');
    expect(wrong.message).toContain('connection "netsuite" is a netsuite connection, not sap');
    const bad = await expectTrpcError(acme.templates.instantiate({ templateId: 'order-to-cash', params: { erp: 'workday', connectionId: 'x' } }), 'BAD_REQUEST');
    expect(bad.message).toContain('params.erp');
    await expectTrpcError(acme.templates.instantiate({ templateId: 'invoice-sync', params: { erp: 'netsuite', connectionId: 'netsuite' }, name: 'O2C' }), 'CONFLICT');
  });
});
