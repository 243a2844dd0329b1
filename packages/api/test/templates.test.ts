import { sampleOverlay } from '@switchyard/canonical';
import { generateSecretKey } from '@switchyard/db';
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
    expect(list.map((t) => t.id)).toEqual(['invoice-sync', 'order-to-cash', 'subscription-billing', 'procure-to-pay']);
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
