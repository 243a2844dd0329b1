import { describe, expect, it } from 'vitest';
import { validateGraph, type Graph } from '@switchyard/workflow';
import { registry } from './kinds';
import { indexIssues, labelIds, toFlowEdges, toFlowNodes, type ViewState } from './flow-mapping';

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'hook', kind: 'trigger.webhook', label: 'Incoming', position: { x: 0, y: 0 }, config: { path: 'in' } },
    { id: 'check', kind: 'condition', position: { x: 300, y: 0 }, config: { expression: '' } },
    { id: 'call', kind: 'http.request', label: 'Call ERP', position: { x: 600, y: 0 }, config: { url: 'http://127.0.0.1/x' } },
  ],
  edges: [
    { id: 'e1', source: 'hook', sourcePort: 'out', target: 'check' },
    { id: 'e2', source: 'check', sourcePort: 'true', target: 'call' },
  ],
  settings: {},
};

const view: ViewState = {
  selectedNodes: new Set(['call']),
  selectedEdges: new Set(),
  measured: new Map([['hook', { width: 210, height: 80 }]]),
  dragging: new Map([['check', { x: 310, y: 20 }]]),
};

describe('graph → React Flow projection', () => {
  const result = validateGraph(graph, registry);
  const issues = indexIssues(graph, result.ok ? [] : result.errors);

  it('puts config issues on the node and on the field', () => {
    expect(result.ok).toBe(false);
    expect(issues.byNode.get('check')?.length).toBeGreaterThan(0);
    expect(issues.fieldsByNode.get('check')?.expression?.[0]).toMatch(/empty/);
  });

  it('maps nodes with category, ports, view state and label fallback', () => {
    const [hook, check, call] = toFlowNodes(graph, issues, view);
    expect(hook).toMatchObject({ type: 'trigger', measured: { width: 210, height: 80 }, data: { label: 'Incoming', isTrigger: true } });
    expect(check).toMatchObject({ type: 'logic', position: { x: 310, y: 20 }, data: { label: 'Condition', ports: ['true', 'false', 'error'] } });
    expect(check?.data.issues.length).toBeGreaterThan(0);
    expect(call).toMatchObject({ type: 'action', selected: true, data: { ports: ['out', 'error'] } });
  });

  it('maps edges to port handles and labels only non-default ports', () => {
    const [e1, e2] = toFlowEdges(graph, issues, view);
    expect(e1).toMatchObject({ sourceHandle: 'out', targetHandle: 'in' });
    expect(e1?.label).toBeUndefined();
    expect(e2).toMatchObject({ sourceHandle: 'true', label: 'true' });
  });

  it('keeps unknown kinds visible with the ports their edges use', () => {
    const odd: Graph = { ...graph, nodes: [...graph.nodes, { id: 'x', kind: 'mystery', position: { x: 0, y: 0 }, config: {} }], edges: [...graph.edges, { id: 'e3', source: 'x', sourcePort: 'weird', target: 'call' }] };
    const x = toFlowNodes(odd, indexIssues(odd, []), view).find((n) => n.id === 'x');
    expect(x).toMatchObject({ type: 'unknown', data: { ports: ['out', 'weird'] } });
  });
});

describe('labelIds', () => {
  it('replaces node ids with labels in messages', () => {
    expect(labelIds(graph, 'Connecting would create a cycle: call → hook → check')).toBe('Connecting would create a cycle: Call ERP → Incoming → Condition');
    expect(labelIds(graph, 'Node "check" is not reachable from the hook "nope"')).toBe('Node "Condition" is not reachable from the hook "nope"');
  });
});
