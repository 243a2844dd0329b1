import { describe, expect, it } from 'vitest';
import { validateGraph } from '../src';
import { graph } from '../src/testing';

describe('graph builder', () => {
  it('builds the graph it describes', () => {
    const g = graph()
      .node('t', 'trigger.webhook', { path: 'x' })
      .node('a', 'transform', { expression: '$' }, { label: 'Map', position: { x: 5, y: 6 }, policy: { timeoutMs: 10 } })
      .edge('t', 'a')
      .settings({ description: 'd' })
      .build();
    expect(g).toEqual({
      schemaVersion: 1,
      nodes: [
        { id: 't', kind: 'trigger.webhook', position: { x: 0, y: 0 }, config: { path: 'x' } },
        { id: 'a', kind: 'transform', label: 'Map', position: { x: 5, y: 6 }, config: { expression: '$' }, policy: { timeoutMs: 10 } },
      ],
      edges: [{ id: 't-a', source: 't', sourcePort: 'out', target: 'a' }],
      settings: { description: 'd' },
    });
    expect(validateGraph(g).ok).toBe(true);
  });

  it('makes unique, valid edge ids and keeps explicit ones', () => {
    const g = graph()
      .node('c', 'condition', { expression: 'x' })
      .edge('c', 'd', 'true')
      .edge('c', 'd', 'true')
      .edge('c', 'd', 'case one')
      .edge('c', 'd', 'out', 'mine')
      .build();
    expect(g.edges.map((e) => e.id)).toEqual(['c-true-d', 'c-true-d-2', 'c-case_one-d', 'mine']);
  });

  it('returns independent copies from each build', () => {
    const builder = graph().node('t', 'trigger.manual', { samplePayload: { a: 1 } });
    const first = builder.build();
    (first.nodes[0]!.config.samplePayload as { a: number }).a = 2;
    expect(builder.build().nodes[0]!.config).toEqual({ samplePayload: { a: 1 } });
  });
});
