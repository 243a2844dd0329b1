import { sampleInvoice, sampleOverlay } from '@switchyard/canonical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';

let env: TestDatabase;

describe.skipIf(Boolean(postgresUnavailable))('mappings router', () => {
  beforeAll(async () => {
    env = await createTestDatabase('api_mappings');
    await createTenant(env.db, 'acme', 'Acme');
    await createTenant(env.db, 'globex', 'Globex');
  });
  afterAll(async () => {
    await env?.drop();
  });

  it("previews a canonical invoice as the tenant's NetSuite payload, and names failing fields", async () => {
    const acme = callerFor(env.db, 'acme');
    const ok = await acme.mappings.preview({ erp: 'netsuite', object: 'invoice', canonical: sampleInvoice(), overlay: sampleOverlay('netsuite') });
    expect(ok).toMatchObject({ ok: true, mapping: 'netsuite.invoice.toErp', payload: { externalId: 'INV-2026-000123', subsidiary: { id: '1' } } });
    const bad = await acme.mappings.preview({ erp: 'netsuite', object: 'invoice', canonical: { ...sampleInvoice(), dueDate: 'tomorrow' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toContainEqual(expect.objectContaining({ mapping: 'netsuite.invoice.toErp', field: 'dueDate', stage: 'input' }));
  });

  it('saves overlays as versions per tenant, refuses broken overrides and lost races, and previews with the saved one', async () => {
    const acme = callerFor(env.db, 'acme');
    expect(await acme.mappings.get({ erp: 'sap', object: 'invoice' })).toMatchObject({ version: 0, overlay: { fieldOverrides: {}, lookups: {} } });

    const shape = await expectTrpcError(acme.mappings.save({ erp: 'sap', object: 'invoice', overlay: { fieldOverrides: { 'not a path': "'x'" } } }), 'BAD_REQUEST');
    expect(shape.message).toContain('The overlay is invalid');
    const syntax = await expectTrpcError(acme.mappings.save({ erp: 'sap', object: 'invoice', overlay: { fieldOverrides: { DocumentReferenceID: 'number &' } } }), 'BAD_REQUEST');
    expect(syntax.message).toContain('sap.invoice.toErp DocumentReferenceID');

    const v1 = await acme.mappings.save({ erp: 'sap', object: 'invoice', overlay: { ...sampleOverlay('sap'), fieldOverrides: { DocumentReferenceID: "'X-' & number" } }, expectedVersion: 0 });
    expect(v1).toMatchObject({ version: 1 });
    const v2 = await acme.mappings.save({ erp: 'sap', object: 'invoice', overlay: sampleOverlay('sap'), expectedVersion: 1, note: 'back to default' });
    expect(v2).toMatchObject({ version: 2, note: 'back to default' });
    await expectTrpcError(acme.mappings.save({ erp: 'sap', object: 'invoice', overlay: sampleOverlay('sap'), expectedVersion: 1 }), 'CONFLICT');
    expect(await acme.mappings.versions({ erp: 'sap', object: 'invoice' })).toMatchObject([{ version: 2 }, { version: 1 }]);
    expect(await acme.mappings.get({ erp: 'sap', object: 'invoice', version: 1 })).toMatchObject({ overlay: { fieldOverrides: { DocumentReferenceID: "'X-' & number" } } });
    expect(await acme.mappings.list()).toMatchObject([{ erp: 'sap', object: 'invoice', latestVersion: 2 }]);

    const previewed = await acme.mappings.preview({ erp: 'sap', object: 'invoice', canonical: sampleInvoice() });
    expect(previewed).toMatchObject({ ok: true, payload: { CompanyCode: '1710' } });
    // Another tenant has none of it.
    expect(await callerFor(env.db, 'globex').mappings.list()).toEqual([]);
  });
});
