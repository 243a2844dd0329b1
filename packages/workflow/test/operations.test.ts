import { describe, expect, it } from 'vitest';
import {
  applyOperation,
  applyOperations,
  GraphOperationError,
  GraphOperationSchema,
  newId,
  preparePaste,
  validateGraph,
  type Graph,
  type GraphOperation,
} from '../src';
import { deepFreeze, validBuilder } from './helpers';

function base(): Graph {
  return deepFreeze(
    validBuilder()
      .node('late', 'delay', { durationMs: 10 }, { label: 'Wait a bit', policy: { timeoutMs: 1000 } })
      .edge('check', 'late', 'false')
      .build(),
  );
}

/** Applies `op`, then its inverse, and checks the inverse restores the graph exactly. */
function roundTrip(graph: Graph, op: GraphOperation): Graph {
  const applied = applyOperation(graph, op);
  // Inverses travel to the server like any other operation (undo), so they must parse.
  expect(GraphOperationSchema.parse(applied.inverse)).toStrictEqual(applied.inverse);
  const undone = applyOperation(applied.graph, applied.inverse);
  expect(undone.graph).toStrictEqual(graph);
  // Redo after undo gives the edited graph again.
  expect(applyOperation(undone.graph, undone.inverse).graph).toStrictEqual(applied.graph);
  return applied.graph;
}

describe('applyOperation: apply, then the inverse restores exactly', () => {
  it('addNode appends the node', () => {
    const node = { id: 'extra', kind: 'transform', position: { x: 5, y: 6 }, config: { expression: '$' } };
    const next = roundTrip(base(), { type: 'addNode', node });
    expect(next.nodes.at(-1)).toEqual(node);
  });

  it('removeNodes removes the nodes and their edges; undo puts both back in place', () => {
    const g = base();
    const next = roundTrip(g, { type: 'removeNodes', nodeIds: ['call', 'late'] });
    expect(next.nodes.map((n) => n.id)).toEqual(['t', 'map', 'check', 'ok']);
    expect(next.edges.map((e) => e.id)).toEqual(['t-map', 'check-true-ok']);
  });

  it('moveNodes moves only the named nodes', () => {
    const g = base();
    const next = roundTrip(g, {
      type: 'moveNodes',
      moves: [
        { nodeId: 'map', position: { x: 1, y: 2 } },
        { nodeId: 'ok', position: { x: -3, y: 4.5 } },
      ],
    });
    expect(next.nodes.find((n) => n.id === 'map')!.position).toEqual({ x: 1, y: 2 });
    expect(next.nodes[0]).toBe(g.nodes[0]);
  });

  it('updateNodeConfig replaces the config', () => {
    const next = roundTrip(base(), { type: 'updateNodeConfig', nodeId: 'call', config: { url: 'http://b', method: 'GET' } });
    expect(next.nodes[2]!.config).toEqual({ url: 'http://b', method: 'GET' });
  });

  it('updateNodeLabel sets, changes and removes labels', () => {
    const g = base();
    expect(roundTrip(g, { type: 'updateNodeLabel', nodeId: 'map', label: 'Map order' }).nodes[1]!.label).toBe('Map order');
    expect(roundTrip(g, { type: 'updateNodeLabel', nodeId: 'late', label: 'Later' }).nodes[5]!.label).toBe('Later');
    const removed = roundTrip(g, { type: 'updateNodeLabel', nodeId: 'late' });
    expect(removed.nodes[5]).not.toHaveProperty('label');
  });

  it('updateNodePolicy sets and removes policies', () => {
    const g = base();
    const policy = { retry: { maxAttempts: 5, initialDelayMs: 100 }, timeoutMs: 3000 };
    expect(roundTrip(g, { type: 'updateNodePolicy', nodeId: 'call', policy }).nodes[2]!.policy).toEqual(policy);
    expect(roundTrip(g, { type: 'updateNodePolicy', nodeId: 'late' }).nodes[5]).not.toHaveProperty('policy');
  });

  it('addEdge appends the edge', () => {
    const edge = { id: 'call-error-ok', source: 'call', sourcePort: 'error', target: 'ok' };
    expect(roundTrip(base(), { type: 'addEdge', edge }).edges.at(-1)).toEqual(edge);
  });

  it('removeEdges removes edges from anywhere in the list', () => {
    const next = roundTrip(base(), { type: 'removeEdges', edgeIds: ['check-false-late', 't-map', 'call-check'] });
    expect(next.edges.map((e) => e.id)).toEqual(['map-call', 'check-true-ok']);
  });

  it('updateSettings replaces the settings', () => {
    expect(roundTrip(base(), { type: 'updateSettings', settings: { description: 'Invoice sync' } }).settings).toEqual({
      description: 'Invoice sync',
    });
  });

  it('paste adds the prepared copies', () => {
    const g = base();
    const clipboard = { nodes: g.nodes.filter((n) => ['map', 'call'].includes(n.id)), edges: g.edges };
    let counter = 0;
    const op = preparePaste(g, clipboard, { makeId: (prefix) => `${prefix}-copy${++counter}` });
    expect(op).toEqual({
      type: 'paste',
      nodes: [
        { ...g.nodes[1], id: 'transform-copy1', position: { x: 280, y: 40 } },
        { ...g.nodes[2], id: 'http-request-copy2', position: { x: 520, y: 40 } },
      ],
      // only map → call lies inside the selection
      edges: [{ id: 'edge-copy3', source: 'transform-copy1', sourcePort: 'out', target: 'http-request-copy2' }],
    });
    const next = roundTrip(g, op);
    expect(next.nodes).toHaveLength(g.nodes.length + 2);
  });

  it('restore (the inverse of a removal) round-trips too', () => {
    const { inverse } = applyOperation(base(), { type: 'removeNodes', nodeIds: ['check'] });
    const removed = applyOperation(base(), { type: 'removeNodes', nodeIds: ['check'] }).graph;
    roundTrip(deepFreeze(removed), inverse);
  });

  it('batch applies in order and undoes in reverse', () => {
    const g = base();
    const next = roundTrip(g, {
      type: 'batch',
      operations: [
        { type: 'removeEdges', edgeIds: ['check-false-late'] },
        { type: 'removeNodes', nodeIds: ['ok'] },
        { type: 'addNode', node: { id: 'ok', kind: 'respond', position: { x: 0, y: 0 }, config: { status: 201 } } },
        { type: 'addEdge', edge: { id: 'again', source: 'check', sourcePort: 'true', target: 'ok' } },
        { type: 'paste', nodes: [], edges: [] },
      ],
    });
    expect(next.nodes.at(-1)!.config).toEqual({ status: 201 });
  });

  it('restores exactly even in drafts with repeated ids and dangling edges', () => {
    const g = base();
    const messy = deepFreeze({
      ...g,
      nodes: [...g.nodes, { ...g.nodes[1]!, position: { x: 9, y: 9 } }],
      edges: [...g.edges, { id: 'x', source: 'ghost', sourcePort: 'out', target: 'map' }, { ...g.edges[0]! }],
    });
    roundTrip(messy, { type: 'removeNodes', nodeIds: ['map'] });
    roundTrip(messy, { type: 'removeEdges', edgeIds: ['t-map', 'x'] });
  });

  it('any sequence of edits undoes back to the original', () => {
    const g = base();
    const ops: GraphOperation[] = [
      { type: 'moveNodes', moves: [{ nodeId: 't', position: { x: 100, y: 100 } }] },
      { type: 'removeNodes', nodeIds: ['call'] },
      { type: 'addEdge', edge: { id: 'direct', source: 'map', sourcePort: 'out', target: 'check' } },
      { type: 'updateNodeConfig', nodeId: 'check', config: { expression: 'false' } },
      { type: 'updateSettings', settings: { description: 'x' } },
      { type: 'removeEdges', edgeIds: ['direct'] },
    ];
    const undo: GraphOperation[] = [];
    let current = g;
    for (const op of ops) {
      const applied = applyOperation(current, op);
      undo.unshift(applied.inverse);
      current = applied.graph;
    }
    for (const op of undo) current = applyOperation(current, op).graph;
    expect(current).toStrictEqual(g);
    const all = applyOperations(g, ops);
    expect(applyOperation(all.graph, all.inverse).graph).toStrictEqual(g);
  });
});

describe('applyOperation: operations that do not fit the graph', () => {
  const cases: [string, GraphOperation, string, RegExp][] = [
    ['addNode with a used id', { type: 'addNode', node: { id: 'map', kind: 'delay', position: { x: 0, y: 0 }, config: {} } }, 'duplicate_id', /node id "map" is already used/],
    ['removeNodes of a missing node', { type: 'removeNodes', nodeIds: ['map', 'ghost'] }, 'node_not_found', /removeNodes: node "ghost" does not exist/],
    ['moveNodes of a missing node', { type: 'moveNodes', moves: [{ nodeId: 'ghost', position: { x: 0, y: 0 } }] }, 'node_not_found', /ghost/],
    ['updateNodeConfig of a missing node', { type: 'updateNodeConfig', nodeId: 'ghost', config: {} }, 'node_not_found', /ghost/],
    ['updateNodeLabel of a missing node', { type: 'updateNodeLabel', nodeId: 'ghost', label: 'x' }, 'node_not_found', /ghost/],
    ['updateNodePolicy of a missing node', { type: 'updateNodePolicy', nodeId: 'ghost' }, 'node_not_found', /ghost/],
    ['addEdge with a used id', { type: 'addEdge', edge: { id: 't-map', source: 't', sourcePort: 'out', target: 'ok' } }, 'duplicate_id', /edge id "t-map"/],
    ['addEdge to a missing node', { type: 'addEdge', edge: { id: 'n', source: 't', sourcePort: 'out', target: 'ghost' } }, 'node_not_found', /refers to node "ghost"/],
    ['removeEdges of a missing edge', { type: 'removeEdges', edgeIds: ['ghost'] }, 'edge_not_found', /edge "ghost" does not exist/],
    ['paste with a used id', { type: 'paste', nodes: [{ id: 'ok', kind: 'delay', position: { x: 0, y: 0 }, config: {} }], edges: [] }, 'duplicate_id', /"ok"/],
    [
      'a batch whose later step fails',
      { type: 'batch', operations: [{ type: 'removeNodes', nodeIds: ['ok'] }, { type: 'updateNodeLabel', nodeId: 'ok', label: 'x' }] },
      'node_not_found',
      /updateNodeLabel: node "ok"/,
    ],
  ];

  it.each(cases)('%s throws a GraphOperationError', (_name, op, code, message) => {
    const g = base();
    let thrown: unknown;
    try {
      applyOperation(g, op);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphOperationError);
    expect(thrown).toMatchObject({ code });
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('GraphOperationSchema', () => {
  it('applies defaults to nodes in operations from clients', () => {
    const op = GraphOperationSchema.parse({ type: 'addNode', node: { id: 'n1', kind: 'transform' } });
    expect(op).toEqual({ type: 'addNode', node: { id: 'n1', kind: 'transform', position: { x: 0, y: 0 }, config: {} } });
  });

  it.each([
    [{ type: 'explode' }],
    [{ type: 'removeNodes', nodeIds: [] }],
    [{ type: 'addEdge', edge: { id: 'bad id', source: 'a', target: 'b' } }],
    [{ type: 'batch', operations: [{ type: 'batch', operations: [] }] }],
    [null],
  ])('rejects malformed operations: %j', (raw) => {
    expect(GraphOperationSchema.safeParse(raw).success).toBe(false);
  });
});

describe('preparePaste and newId', () => {
  it('gives pasted elements fresh ids that are valid and unused', () => {
    const g = base();
    const op = preparePaste(g, { nodes: g.nodes, edges: g.edges }, { offset: { x: 0, y: 100 } });
    const after = applyOperation(g, op).graph;
    const ids = [...after.nodes.map((n) => n.id), ...after.edges.map((e) => e.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(op.nodes.every((n) => /^[a-z0-9_-]+_[0-9a-f]{12}$/.test(n.id))).toBe(true);
    expect(op.nodes[0]!.position).toEqual({ x: g.nodes[0]!.position.x, y: g.nodes[0]!.position.y + 100 });
    // the copies keep their configs but share no objects with the originals
    expect(op.nodes[2]!.config).toEqual(g.nodes[2]!.config);
    expect(op.nodes[2]!.config).not.toBe(g.nodes[2]!.config);
    // the pasted subgraph is wired like the original (validation sees two triggers, as expected)
    const result = validateGraph(after);
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['multiple_triggers', 'multiple_triggers']);
  });

  it('newId makes ids that pass IdSchema and avoids taken ones', () => {
    expect(newId('trigger.webhook')).toMatch(/^trigger-webhook_[0-9a-f]{12}$/);
    expect(newId('!!!')).toMatch(/^id_[0-9a-f]{12}$/);
    expect(newId('x'.repeat(100)).length).toBeLessThanOrEqual(64);
    const seen = new Set<string>();
    let calls = 0;
    const id = newId('n', (candidate) => ++calls < 3 || seen.has(candidate));
    expect(calls).toBe(3);
    expect(id).toMatch(/^n_/);
    expect(() => newId('n', () => true)).toThrow(/no free id/);
  });
});
