import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleInvoice, sampleOverlay } from '@switchyard/canonical';
import { generateSecretKey } from '@switchyard/db';
import { stripDangerousKeys } from '../src/index';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph } from './support/graphs';

/**
 * Security suite, injection: prototype-pollution keys in any tRPC input never reach storage or a
 * prototype, and runaway JSONata in a mapping overlay is stopped by its budget instead of hanging.
 */
const savedKey = process.env.SWITCHYARD_SECRET_KEY;

/** JSON.parse makes `__proto__` an own key, exactly as the HTTP adapter does with a hostile body. */
const hostile = <T extends object>(value: T): T => {
  const json = JSON.stringify(value);
  const keys = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}';
  return JSON.parse(json === '{}' ? `{${keys}}` : json.replace(/^\{/, `{${keys},`)) as T;
};

describe('stripDangerousKeys (applied to every tRPC input)', () => {
  it('drops the keys from plain objects at any depth and leaves Dates and other revived values intact', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const input = { ...hostile({ list: [hostile({ x: 1 })] }), at };
    expect(Object.hasOwn(input, '__proto__')).toBe(true);
    const out = stripDangerousKeys(input) as { at: Date; list: unknown[] };
    expect(out).toEqual({ at, list: [{ x: 1 }] });
    expect(out.at).toBeInstanceOf(Date);
  });
});

describe.skipIf(postgresUnavailable !== null)(`injection payloads through the API${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  const acme = () => callerFor(t.db, 'acme');

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    t = await createTestDatabase('api_injection');
    await createTenant(t.db, 'acme', 'Acme');
  });
  afterAll(async () => {
    await t?.drop();
    if (savedKey === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    else process.env.SWITCHYARD_SECRET_KEY = savedKey;
  });

  it('drops __proto__/constructor keys from graphs, overlays, connection configs and manual payloads', async () => {
    expect(Object.hasOwn(hostile({ a: 1 }), '__proto__')).toBe(true);
    const { id } = await acme().workflows.create({ name: 'Hostile' });
    const graph = manualGraph();
    const withHostileConfig = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, config: hostile(n.config) })) };
    await acme().workflows.saveDraft({ id, graph: hostile(withHostileConfig), expectedRevision: 1 });
    await acme().workflows.publish({ id });
    await acme().runs.trigger({ workflowId: id, payload: hostile({ amount: 1, nested: hostile({ x: 1 }) }) });
    await acme().mappings.save({ erp: 'sap', object: 'invoice', overlay: hostile(sampleOverlay('sap')), expectedVersion: 0 });
    await acme().connections.create({ name: 'bo', system: 'back-office', baseUrl: 'https://bo.example.com', config: hostile({}), credentials: hostile({ apiKey: 'k-123456' }) });

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const table of ['workflows', 'workflow_versions', 'runs', 'tenant_mappings', 'connections', 'audit_log']) {
      const { rows } = await t.db.pool.query(`SELECT * FROM ${table}`);
      expect(JSON.stringify(rows), table).not.toContain('polluted');
    }
  });

  it('stops runaway JSONata in a mapping overlay at its budget, in preview and on save', async () => {
    const cases = {
      deep: '($f := function($n){ $f($n + 1) + 1 }; $f(0))',
      endless: '($loop := function($n){ $n > 0 ? $loop($n) : 0 }; $loop(1))',
    };
    for (const [name, expression] of Object.entries(cases)) {
      const overlay = { ...sampleOverlay('sap'), fieldOverrides: { DocumentReferenceID: expression } };
      const started = Date.now();
      const preview = await acme().mappings.preview({ erp: 'sap', object: 'invoice', canonical: sampleInvoice(), overlay });
      expect(preview.ok, name).toBe(false);
      expect(JSON.stringify(preview), name).toMatch(/budget|depth|time|took too long|stack/i);
      const refused = await expectTrpcError(acme().mappings.save({ erp: 'sap', object: 'invoice', overlay, expectedVersion: 1 }), 'BAD_REQUEST');
      expect(refused.message, name).toContain('DocumentReferenceID');
      // The budget (not the test timeout) ended both evaluations.
      expect(Date.now() - started, name).toBeLessThan(5_000);
    }
    expect((await acme().mappings.get({ erp: 'sap', object: 'invoice' })).version).toBe(1);
  });
});
