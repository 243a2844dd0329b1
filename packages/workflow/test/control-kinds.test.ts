import { describe, expect, it } from 'vitest';
import { applyOperation, builtinRegistry, coreRegistry, validateGraph, type Graph, type GraphIssue } from '../src';
import { graph } from '../src/testing';

function issuesOf(input: unknown): GraphIssue[] {
  const result = validateGraph(input);
  return result.ok ? [] : result.errors;
}

function expectOk(input: unknown): Graph {
  const result = validateGraph(input);
  if (!result.ok) throw new Error(`expected a valid graph, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.graph;
}

const mapGraph = () =>
  graph()
    .node('t', 'trigger.manual')
    .node('each', 'map', { items: 'lines' })
    .node('line', 'http.request', { url: 'http://127.0.0.1/lines' })
    .node('after', 'transform', { expression: '$' })
    .edge('t', 'each')
    .edge('each', 'line', 'item')
    .edge('each', 'after');

describe('control kinds: registry and defaults', () => {
  it('the built-in registry holds the core kinds and the engine-run control kinds', () => {
    expect([...builtinRegistry.keys()]).toEqual([...coreRegistry.keys(), 'map', 'join', 'wait.event', 'approval', 'workflow.call']);
    for (const kind of ['map', 'join', 'wait.event', 'approval', 'workflow.call', 'delay']) expect(builtinRegistry.get(kind)?.runsInEngine).toBe(true);
    expect(builtinRegistry.get('http.request')?.runsInEngine).toBeUndefined();
  });

  it('every control kind default config is valid for its schema', () => {
    for (const kind of ['map', 'join', 'wait.event', 'approval', 'workflow.call']) {
      const def = builtinRegistry.get(kind)!;
      expect(def.configSchema.safeParse(def.defaultConfig).success, kind).toBe(true);
    }
  });

  it('fills map defaults and accepts a valid map graph', () => {
    const parsed = expectOk(mapGraph().build());
    expect(parsed.nodes[1]!.config).toEqual({ items: 'lines', concurrency: 5, onItemError: 'fail' });
  });
});

describe('control kinds: map', () => {
  it('rejects a map without an items expression, and concurrency outside 1..50', () => {
    const g = mapGraph().build();
    g.nodes[1]!.config = { concurrency: 51 };
    expect(issuesOf(g).map((i) => [i.path, i.message])).toEqual([
      ['nodes[1].config.items', 'Node "each" (Map (for each)): items is required'],
      ['nodes[1].config.concurrency', 'Node "each" (Map (for each)): concurrency must be at most 50'],
    ]);
    g.nodes[1]!.config = { items: '   ', concurrency: 0 };
    expect(issuesOf(g).map((i) => i.message)).toEqual([
      'Node "each" (Map (for each)): items must not be empty',
      'Node "each" (Map (for each)): concurrency must be at least 1',
    ]);
  });

  it('allows exactly one body on the item port', () => {
    const g = mapGraph().node('other', 'transform', { expression: '$' }).edge('each', 'other', 'item').build();
    expect(issuesOf(g)).toEqual([
      {
        nodeId: 'each',
        edgeId: 'each-item-other',
        path: 'edges[3]',
        code: 'map_body',
        message: 'Map "each" already runs "line" per item; its "item" port connects to exactly one node',
      },
    ]);
  });

  it('rejects a body with other incoming or any outgoing edges', () => {
    const g = mapGraph().edge('t', 'line').edge('line', 'after').build();
    expect(issuesOf(g).map((i) => [i.code, i.edgeId, i.message])).toEqual([
      ['map_body', 't-line', 'Node "line", the body of map "each", runs only for the map\'s items and cannot have other incoming edges'],
      [
        'map_body',
        'line-after',
        'Node "line", the body of map "each", hands its results back to the map and cannot have outgoing edges; connect what follows to the map\'s "out" port',
      ],
    ]);
  });

  it('rejects control-flow kinds as a body', () => {
    const g = graph()
      .node('t', 'trigger.manual')
      .node('each', 'map', { items: 'lines' })
      .node('inner', 'wait.event', { key: 'id' })
      .edge('t', 'each')
      .edge('each', 'inner', 'item')
      .build();
    expect(issuesOf(g)).toEqual([
      expect.objectContaining({ code: 'map_body', nodeId: 'inner', path: 'edges[1].target', message: expect.stringMatching(/is a Wait for event node; a map body must be an action/) }),
    ]);
  });
});

describe('control kinds: join, waits', () => {
  it('accepts a join of two parallel branches and rejects one with none', () => {
    const ok = graph()
      .node('t', 'trigger.manual')
      .node('a', 'transform', { expression: '1' })
      .node('b', 'transform', { expression: '2' })
      .node('j', 'join')
      .edge('t', 'a')
      .edge('t', 'b')
      .edge('a', 'j')
      .edge('b', 'j')
      .build();
    expectOk(ok);
    // Two edges from the same node are one branch.
    const oneBranch = graph().node('t', 'trigger.manual').node('c', 'condition', { expression: 'x' }).node('j', 'join').edge('t', 'c').edge('c', 'j', 'true').edge('c', 'j', 'false').build();
    expect(issuesOf(oneBranch).map((i) => i.code)).toEqual(['join_inputs']);
  });

  it('rejects a wait or an approval without a key expression', () => {
    const g = graph()
      .node('t', 'trigger.manual')
      .node('w', 'wait.event', { timeoutMs: 1000 })
      .node('ok', 'approval', { key: '' })
      .edge('t', 'w')
      .edge('w', 'ok')
      .build();
    expect(issuesOf(g).map((i) => [i.path, i.message])).toEqual([
      ['nodes[1].config.key', 'Node "w" (Wait for event): key is required'],
      ['nodes[2].config.key', 'Node "ok" (Approval): key must not be empty'],
    ]);
  });

  it('knows the ports of waits and approvals', () => {
    const g = graph()
      .node('t', 'trigger.manual')
      .node('ok', 'approval', { key: 'id', timeoutMs: 60_000 })
      .node('yes', 'transform', { expression: '$' })
      .node('no', 'transform', { expression: '$' })
      .node('late', 'transform', { expression: '$' })
      .edge('t', 'ok')
      .edge('ok', 'yes', 'approved')
      .edge('ok', 'no', 'rejected')
      .edge('ok', 'late', 'timeout')
      .build();
    expectOk(g);
    const bad = graph().node('t', 'trigger.manual').node('ok', 'approval', { key: 'id' }).node('x', 'transform', { expression: '$' }).edge('t', 'ok').edge('ok', 'x').build();
    expect(issuesOf(bad)[0]?.message).toMatch(/has no output port "out"; its ports are approved, rejected, timeout, error/);
  });
});

describe('compensation', () => {
  const withCompensation = (compensation: unknown, kind = 'http.request') => {
    const g = graph()
      .node('t', 'trigger.manual')
      .node('create', kind, kind === 'http.request' ? { url: 'http://x/orders' } : { expression: '$' })
      .edge('t', 'create')
      .build();
    (g.nodes[1] as Record<string, unknown>).compensation = compensation;
    return g;
  };

  it('parses the compensation config with its kind schema, defaults included', () => {
    const parsed = expectOk(withCompensation({ kind: 'http.request', config: { url: 'http://x/orders/cancel' } }));
    expect(parsed.nodes[1]!.compensation).toEqual({ kind: 'http.request', config: { url: 'http://x/orders/cancel', method: 'POST', headers: {} } });
  });

  it('names what is wrong with a compensation', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ kind: 'erp.undo' }, 'nodes[1].compensation.kind', /compensation kind "erp\.undo" is not a known node kind/],
      [{ kind: 'trigger.manual' }, 'nodes[1].compensation.kind', /\(Manual trigger\) is a trigger; a compensation must be an action/],
      [{ kind: 'map', config: { items: 'x' } }, 'nodes[1].compensation.kind', /is a control-flow kind run by the engine/],
      [{ kind: 'transform', config: {} }, 'nodes[1].compensation.config.expression', /compensation \(Transform\): expression is required/],
    ];
    for (const [compensation, path, message] of cases) {
      const issues = issuesOf(withCompensation(compensation));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: 'invalid_compensation', nodeId: 'create', path });
      expect(issues[0]!.message).toMatch(message);
    }
    // A compensation without a kind is a schema error of the node itself.
    expect(issuesOf(withCompensation({ config: {} }))[0]).toMatchObject({ code: 'invalid_schema', path: 'nodes[1].compensation.kind' });
  });

  it('refuses a compensation on a trigger', () => {
    const g = graph().node('t', 'trigger.manual').build();
    (g.nodes[0] as Record<string, unknown>).compensation = { kind: 'http.request', config: { url: 'http://x' } };
    expect(issuesOf(g)).toEqual([
      { nodeId: 't', path: 'nodes[0].compensation', code: 'invalid_compensation', message: 'Node "t": a trigger cannot declare a compensation; nothing it did can be undone' },
    ]);
  });

  it('is set and removed by an operation whose inverse restores the node exactly', () => {
    const g = withCompensation(undefined);
    delete (g.nodes[1] as Record<string, unknown>).compensation;
    const compensation = { kind: 'http.request', config: { url: 'http://x/cancel' } };
    const set = applyOperation(g, { type: 'updateNodeCompensation', nodeId: 'create', compensation });
    expect(set.graph.nodes[1]!.compensation).toEqual(compensation);
    expect(applyOperation(set.graph, set.inverse).graph).toEqual(g);
    const removed = applyOperation(set.graph, { type: 'updateNodeCompensation', nodeId: 'create' });
    expect(removed.graph.nodes[1]).not.toHaveProperty('compensation');
    expect(applyOperation(removed.graph, removed.inverse).graph).toEqual(set.graph);
  });
});
