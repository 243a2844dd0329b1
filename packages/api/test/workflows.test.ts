import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphIssuesError } from '../src/index';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph, webhookGraph } from './support/graphs';

describe.skipIf(postgresUnavailable !== null)(`workflows router on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let a: ReturnType<typeof callerFor>;
  let b: ReturnType<typeof callerFor>;

  beforeAll(async () => {
    t = await createTestDatabase('api_workflows');
    await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
    a = callerFor(t.db, 'acme');
    b = callerFor(t.db, 'globex');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("lists the caller's tenants with its role there and requires a known tenant for everything else", async () => {
    // callerFor acts as a platform admin: every tenant, each with the role the caller has in it.
    const tenants = await callerFor(t.db, null).tenants.list();
    expect(tenants.map((x) => x.slug)).toEqual(['acme', 'globex']);
    expect(Object.keys(tenants[0]!).sort()).toEqual(['id', 'name', 'role', 'slug']);

    const missing = await expectTrpcError(callerFor(t.db, null).workflows.list(), 'BAD_REQUEST');
    expect(missing.message).toContain('x-switchyard-tenant');
    const unknown = await expectTrpcError(callerFor(t.db, 'initech').workflows.list(), 'NOT_FOUND');
    expect(unknown.message).toContain('"initech"');
  });

  it('creates a workflow whose draft is a lone webhook trigger, and refuses a duplicate name', async () => {
    const { id } = await a.workflows.create({ name: 'Invoice sync', description: 'ERP invoices' });
    const wf = await a.workflows.get({ id });
    expect(wf).toMatchObject({ id, name: 'Invoice sync', description: 'ERP invoices', draftRevision: 1, activeVersionId: null, versions: [], issues: [] });
    const graph = wf.draftGraph as { nodes: { kind: string; config: { path: string } }[]; edges: unknown[] };
    expect(graph.nodes).toHaveLength(1);
    expect(graph.nodes[0]).toMatchObject({ kind: 'trigger.webhook', config: { path: 'invoice-sync' } });
    expect(graph.edges).toEqual([]);

    const dup = await expectTrpcError(a.workflows.create({ name: 'Invoice sync' }), 'CONFLICT');
    expect(dup.message).toMatch(/^name: /);
    // Another tenant may use the same name.
    await expect(b.workflows.create({ name: 'Invoice sync' })).resolves.toHaveProperty('id');
  });

  it('rejects bad create input with field errors', async () => {
    const error = await expectTrpcError(a.workflows.create({ name: '   ' }), 'BAD_REQUEST');
    expect(error.message).toContain('must not be empty');
  });

  it('saves drafts with semantic issues, refuses stale revisions and non-graphs', async () => {
    const { id } = await a.workflows.create({ name: 'Drafty' });
    const unfinished = webhookGraph('drafty');
    unfinished.nodes[1]!.config = { expression: '' };
    const saved = await a.workflows.saveDraft({ id, graph: unfinished, expectedRevision: 1 });
    expect(saved.revision).toBe(2);
    expect(saved.issues).toEqual([expect.objectContaining({ nodeId: 'map', code: 'invalid_config', path: 'nodes[1].config.expression' })]);

    const stale = await expectTrpcError(a.workflows.saveDraft({ id, graph: webhookGraph('drafty'), expectedRevision: 1 }), 'CONFLICT');
    expect(stale.message).toMatch(/the draft was changed elsewhere \(revision 2\)/i);

    const notAGraph = await expectTrpcError(
      a.workflows.saveDraft({ id, graph: { schemaVersion: 1, nodes: 'nope', edges: [] }, expectedRevision: 2 }),
      'BAD_REQUEST',
    );
    expect(notAGraph.cause).toBeInstanceOf(GraphIssuesError);
    expect((notAGraph.cause as GraphIssuesError).issues).toEqual([expect.objectContaining({ path: 'nodes', code: 'invalid_schema' })]);

    const after = await a.workflows.get({ id });
    expect(after.draftRevision).toBe(2);
    expect(after.issues).toEqual([expect.objectContaining({ nodeId: 'map', code: 'invalid_config' })]);
  });

  it('publishes only valid drafts, numbering versions and routing the webhook path', async () => {
    const { id } = await a.workflows.create({ name: 'Publisher' });
    const broken = webhookGraph('publisher');
    broken.edges.push({ id: 'e3', source: 'map', sourcePort: 'out', target: 'ghost' });
    await a.workflows.saveDraft({ id, graph: broken, expectedRevision: 1 });
    const invalid = await expectTrpcError(a.workflows.publish({ id }), 'BAD_REQUEST');
    expect((invalid.cause as GraphIssuesError).issues).toEqual([expect.objectContaining({ edgeId: 'e3', code: 'dangling_edge' })]);
    expect(await a.workflows.versions({ id })).toEqual([]);
    expect((await a.workflows.get({ id })).activeVersionId).toBeNull();

    await a.workflows.saveDraft({ id, graph: webhookGraph('publisher'), expectedRevision: 2 });
    const v1 = await a.workflows.publish({ id, note: 'first' });
    expect(v1.version).toBe(1);
    const v2 = await a.workflows.publish({ id });
    expect(v2.version).toBe(2);

    const wf = await a.workflows.get({ id });
    expect(wf.activeVersionId).toBe(v2.versionId);
    expect(wf.versions.map((v) => [v.version, v.note])).toEqual([
      [2, ''],
      [1, 'first'],
    ]);
    const listed = (await a.workflows.list()).find((w) => w.id === id);
    expect(listed).toMatchObject({ activeVersion: 2, webhookPath: 'publisher', draftRevision: 3 });
    const version1 = await a.workflows.version({ id, version: 1 });
    expect(version1).toMatchObject({ id: v1.versionId, version: 1, note: 'first' });
    expect((version1.graph as { nodes: unknown[] }).nodes).toHaveLength(3);
    await expectTrpcError(a.workflows.version({ id, version: 3 }), 'NOT_FOUND');

    // Moving to a new path frees the old one; a manual-trigger version answers on no path.
    await a.workflows.saveDraft({ id, graph: webhookGraph('publisher-v3'), expectedRevision: 3 });
    await a.workflows.publish({ id });
    expect((await a.workflows.list()).find((w) => w.id === id)?.webhookPath).toBe('publisher-v3');
    await a.workflows.saveDraft({ id, graph: manualGraph(), expectedRevision: 4 });
    await a.workflows.publish({ id });
    expect((await a.workflows.list()).find((w) => w.id === id)).toMatchObject({ activeVersion: 4, webhookPath: null });
  });

  it('refuses a webhook path another workflow of the tenant uses, naming it', async () => {
    const first = await a.workflows.create({ name: 'Path owner' });
    await a.workflows.saveDraft({ id: first.id, graph: webhookGraph('shared-path'), expectedRevision: 1 });
    await a.workflows.publish({ id: first.id });

    const second = await a.workflows.create({ name: 'Path squatter' });
    await a.workflows.saveDraft({ id: second.id, graph: webhookGraph('shared-path'), expectedRevision: 1 });
    const conflict = await expectTrpcError(a.workflows.publish({ id: second.id }), 'CONFLICT');
    expect(conflict.message).toContain('"shared-path"');
    expect(conflict.message).toContain('"Path owner"');
    expect(await a.workflows.versions({ id: second.id })).toEqual([]);

    // The same path in another tenant is a different endpoint.
    const other = await b.workflows.create({ name: 'Path owner' });
    await b.workflows.saveDraft({ id: other.id, graph: webhookGraph('shared-path'), expectedRevision: 1 });
    await expect(b.workflows.publish({ id: other.id })).resolves.toMatchObject({ version: 1 });
  });

  it('validates a graph without saving it', async () => {
    expect(await a.workflows.validate({ graph: webhookGraph('x') })).toEqual({ ok: true, issues: [] });
    const result = await a.workflows.validate({ graph: { schemaVersion: 1, nodes: [], edges: [], settings: {} } });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'no_trigger' })]);
  });

  it("keeps tenant B away from tenant A's workflows", async () => {
    const { id } = await a.workflows.create({ name: 'Private' });
    await a.workflows.saveDraft({ id, graph: webhookGraph('private'), expectedRevision: 1 });
    await expectTrpcError(b.workflows.get({ id }), 'NOT_FOUND');
    await expectTrpcError(b.workflows.publish({ id }), 'NOT_FOUND');
    await expectTrpcError(b.workflows.saveDraft({ id, graph: webhookGraph('private'), expectedRevision: 2 }), 'NOT_FOUND');
    await expectTrpcError(b.workflows.versions({ id }), 'NOT_FOUND');
    expect((await b.workflows.list()).map((w) => w.id)).not.toContain(id);
    // A's draft is untouched by B's attempts.
    expect((await a.workflows.get({ id })).draftRevision).toBe(2);
  });
});
