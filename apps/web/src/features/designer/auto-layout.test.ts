import { describe, expect, it } from 'vitest';
import { applyOperation, type Graph } from '@switchyard/workflow';
import { autoLayout, elkGraphOf } from './auto-layout';

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'call', kind: 'http.request', position: { x: 0, y: 0 }, config: { url: 'http://x' } },
    { id: 'hook', kind: 'trigger.webhook', position: { x: 0, y: 0 }, config: { path: 'in' } },
    { id: 'check', kind: 'condition', position: { x: 0, y: 0 }, config: { expression: 'a' } },
    { id: 'no', kind: 'transform', position: { x: 0, y: 0 }, config: { expression: '$' } },
  ],
  edges: [
    { id: 'e1', source: 'hook', sourcePort: 'out', target: 'check' },
    { id: 'e2', source: 'check', sourcePort: 'true', target: 'call' },
    { id: 'e3', source: 'check', sourcePort: 'false', target: 'no' },
  ],
  settings: {},
};

describe('automatic layout', () => {
  it('describes ports in the order the cards draw them', () => {
    const elk = elkGraphOf(graph, new Map());
    const check = elk.children?.find((c) => c.id === 'check');
    expect(check?.ports?.map((p) => p.id.split('\u0000')[1])).toEqual(['in', 'out:true', 'out:false', 'out:error']);
    expect(elk.edges?.[1]).toMatchObject({ sources: ['check\u0000out:true'], targets: ['call\u0000in'] });
  });

  it('lays out left to right as one moveNodes operation, true branch above false', async () => {
    const op = await autoLayout(graph, new Map());
    expect(op?.type).toBe('moveNodes');
    const laid = applyOperation(graph, op!).graph;
    const at = new Map(laid.nodes.map((n) => [n.id, n.position]));
    expect(at.get('hook')!.x).toBeLessThan(at.get('check')!.x);
    expect(at.get('check')!.x).toBeLessThan(at.get('call')!.x);
    expect(at.get('call')!.y).toBeLessThan(at.get('no')!.y);
    // Laying out a laid-out graph changes nothing.
    expect(await autoLayout(laid, new Map())).toBeNull();
  });
});
