import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPins } from '../src/routers/designer/pins';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { manualGraph, webhookGraph } from './support/graphs';

function branchGraph() {
  return {
    schemaVersion: 1 as const,
    nodes: [
      { id: 'start', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
      { id: 'check', kind: 'condition', position: { x: 200, y: 0 }, config: { expression: 'amount > 10' } },
      { id: 'big', kind: 'transform', position: { x: 400, y: 0 }, config: { expression: '"big"' } },
      { id: 'small', kind: 'transform', position: { x: 400, y: 100 }, config: { expression: '"small"' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'check' },
      { id: 'e2', source: 'check', sourcePort: 'true', target: 'big' },
      { id: 'e3', source: 'check', sourcePort: 'false', target: 'small' },
    ],
    settings: {},
  };
}

describe('applyPins', () => {
  it('stands a pinned node in by a literal transform and keeps only the pinned port', () => {
    const graph = { ...branchGraph(), settings: { pins: { check: { output: { amount: 3, note: 'a "quoted" ü' }, port: 'false' }, start: { output: 1, port: 'out' } } } };
    const { graph: out, pinned } = applyPins(graph);
    expect(pinned).toEqual(['check']);
    expect(out.nodes[1]).toEqual({ id: 'check', kind: 'transform', position: { x: 200, y: 0 }, config: { expression: '{"amount":3,"note":"a \\"quoted\\" ü"}' } });
    expect(out.edges.map((e) => [e.id, e.sourcePort])).toEqual([
      ['e1', 'out'],
      ['e3', 'out'],
    ]);
    expect(out.settings).toEqual({});
    // Unpinned graphs pass through untouched.
    expect(applyPins(branchGraph()).graph.nodes).toEqual(branchGraph().nodes);
  });
});

describe.skipIf(postgresUnavailable !== null)(`designer procedures on PostgreSQL${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let a: ReturnType<typeof callerFor>;
  let b: ReturnType<typeof callerFor>;

  beforeAll(async () => {
    t = await createTestDatabase('api_designer');
    await createTenant(t.db, 'acme', 'Acme');
    await createTenant(t.db, 'globex', 'Globex');
    a = callerFor(t.db, 'acme');
    b = callerFor(t.db, 'globex');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('test-runs the draft on a hidden version, reusing it while the graph is unchanged', async () => {
    const { id } = await a.workflows.create({ name: 'Test runs' });
    const graph = { ...branchGraph(), settings: { pins: { check: { output: { amount: 3 }, port: 'false' } } } };
    const first = await a.designer.testRun({ workflowId: id, graph, payload: { amount: 50 } });
    expect(first).toMatchObject({ testVersion: -1, pinned: ['check'] });
    const again = await a.designer.testRun({ workflowId: id, graph, payload: { amount: 1 } });
    expect(again.testVersion).toBe(-1);
    expect(again.runId).not.toBe(first.runId);
    const changed = await a.designer.testRun({ workflowId: id, graph: manualGraph(), payload: {} });
    expect(changed.testVersion).toBe(-2);

    const run = await a.runs.get({ id: first.runId });
    expect(run).toMatchObject({ status: 'queued', trigger: 'manual', version: -1, triggerPayload: { amount: 50 } });
    expect((run.graph as { nodes: { id: string; kind: string }[] }).nodes.find((n) => n.id === 'check')?.kind).toBe('transform');

    // Not in the history, never active; publishing still numbers from 1.
    const wf = await a.workflows.get({ id });
    expect(wf.versions).toEqual([]);
    expect(wf.activeVersionId).toBeNull();
    expect(await a.workflows.versions({ id })).toEqual([]);
    await a.workflows.saveDraft({ id, graph, expectedRevision: 1 });
    expect(await a.workflows.publish({ id })).toMatchObject({ version: 1 });
    expect((await a.designer.testRun({ workflowId: id, graph: manualGraph(), payload: {} })).testVersion).toBe(-2);
    expect((await a.workflows.get({ id })).versions.map((v) => v.version)).toEqual([1]);

    // Another tenant cannot test-run it; an invalid draft is refused with its issues.
    await expectTrpcError(b.designer.testRun({ workflowId: id, graph: manualGraph(), payload: {} }), 'NOT_FOUND');
    const bad = await expectTrpcError(a.designer.testRun({ workflowId: id, graph: { ...manualGraph(), nodes: [] }, payload: {} }), 'BAD_REQUEST');
    expect(bad.message).toContain('cannot be test-run');
  });

  it('strips pins on publish and rolls back by publishing an old graph anew', async () => {
    const { id } = await a.workflows.create({ name: 'Rollbacks' });
    const v1 = { ...webhookGraph('rollbacks'), settings: { pins: { map: { output: { id: 'x' }, port: 'out' } } } };
    await a.workflows.saveDraft({ id, graph: v1, expectedRevision: 1 });
    expect(await a.workflows.publish({ id, note: 'first' })).toMatchObject({ version: 1 });
    expect((await a.workflows.version({ id, version: 1 })).graph).toMatchObject({ settings: {} });

    const v2 = webhookGraph('rollbacks');
    v2.nodes[1]!.config = { expression: '{ "id": invoice.id }' };
    await a.workflows.saveDraft({ id, graph: v2, expectedRevision: 2 });
    await a.workflows.publish({ id, note: 'second' });

    const rolled = await a.workflows.rollback({ id, version: 1 });
    expect(rolled).toMatchObject({ version: 3, rolledBackTo: 1 });
    const wf = await a.workflows.get({ id });
    expect(wf.versions.map((v) => [v.version, v.note])).toEqual([
      [3, 'Rollback to v1 (first)'],
      [2, 'second'],
      [1, 'first'],
    ]);
    expect(wf.activeVersionId).toBe(rolled.versionId);
    const v3 = await a.workflows.version({ id, version: 3 });
    expect((v3.graph as { nodes: { config: unknown }[] }).nodes[1]!.config).toEqual({ expression: '{ "id": invoice.number }' });
    // The draft is left alone.
    expect(wf.draftRevision).toBe(3);

    await expectTrpcError(a.workflows.rollback({ id, version: 9 }), 'NOT_FOUND');
    await expectTrpcError(b.workflows.rollback({ id, version: 1 }), 'NOT_FOUND');
    const zero = await expectTrpcError(a.workflows.rollback({ id, version: 0 }), 'BAD_REQUEST');
    expect(zero.message).toContain('published version number');
  });

  it('explains inherited retry and timeout values', async () => {
    const { id } = await a.workflows.create({ name: 'Policies' });
    const inherited = await a.designer.inheritedPolicy({ workflowId: id });
    expect(inherited.retry.maxAttempts).toEqual({ value: expect.any(Number), source: 'platform' });
    expect(inherited.timeoutMs.source).toBe('platform');
    await expectTrpcError(b.designer.inheritedPolicy({ workflowId: id }), 'NOT_FOUND');
  });
});
