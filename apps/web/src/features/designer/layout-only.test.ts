import { describe, expect, it } from 'vitest';
import { applyOperation, type Graph } from '@switchyard/workflow';
import { differsOnlyInLayout } from './layout-only';

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'a', kind: 'transform', position: { x: 0, y: 0 }, config: { expression: '$' } },
    { id: 'b', kind: 'transform', position: { x: 1, y: 0 }, config: { expression: '$' } },
  ],
  edges: [],
  settings: {},
};

describe('differsOnlyInLayout', () => {
  it('is true after moves and false after any other edit', () => {
    const moved = applyOperation(graph, { type: 'moveNodes', moves: [{ nodeId: 'a', position: { x: 9, y: 9 } }] }).graph;
    expect(differsOnlyInLayout(graph, moved)).toBe(true);
    const relabelled = applyOperation(moved, { type: 'updateNodeLabel', nodeId: 'a', label: 'x' }).graph;
    expect(differsOnlyInLayout(moved, relabelled)).toBe(false);
    const config = applyOperation(graph, { type: 'updateNodeConfig', nodeId: 'b', config: { expression: '1' } }).graph;
    expect(differsOnlyInLayout(graph, config)).toBe(false);
    const edge = applyOperation(graph, { type: 'addEdge', edge: { id: 'e', source: 'a', sourcePort: 'out', target: 'b' } }).graph;
    expect(differsOnlyInLayout(graph, edge)).toBe(false);
  });
});
