import { describe, expect, it } from 'vitest';
import type { Graph } from '@switchyard/workflow';
import { expressionContext, fieldPaths } from './expression-context';
import type { NodeRunInfo } from './run-overlay';

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: { samplePayload: { order: { id: 'A1', lines: [{ qty: 2 }] } } } },
    { id: 'shape', kind: 'transform', position: { x: 200, y: 0 }, config: { expression: 'order' } },
    { id: 'post', kind: 'transform', position: { x: 400, y: 0 }, config: { expression: '$' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'out', target: 'shape' },
    { id: 'e2', source: 'shape', sourcePort: 'out', target: 'post' },
  ],
  settings: {},
};
const label = (id: string) => id.toUpperCase();
const ran = (input: unknown, output: unknown): NodeRunInfo => ({ status: 'succeeded', attempts: 1, port: 'out', input, output, error: null, durationMs: 1 });

describe('expressionContext', () => {
  it('uses the trigger sample for the first node and for $trigger when nothing ran', () => {
    const ctx = expressionContext(graph, 'shape', new Map(), label);
    expect(ctx.input).toEqual({ value: { order: { id: 'A1', lines: [{ qty: 2 }] } }, source: 'sample payload of START' });
    expect(ctx.trigger?.source).toBe('the trigger sample payload');
    expect(expressionContext(graph, 'post', new Map(), label).input).toBeNull();
  });

  it('prefers the node’s own recorded input, then a pin upstream, then the upstream output', () => {
    const run = new Map([
      ['shape', ran({ a: 1 }, { id: 'A1' })],
      ['post', ran({ id: 'from-run' }, null)],
    ]);
    expect(expressionContext(graph, 'post', run, label).input).toEqual({ value: { id: 'from-run' }, source: 'its input in the last test run' });
    const upstreamOnly = new Map([['shape', ran({ a: 1 }, { id: 'A1' })]]);
    expect(expressionContext(graph, 'post', upstreamOnly, label).input?.source).toBe('output of SHAPE in the last test run');
    const pinned: Graph = { ...graph, settings: { pins: { shape: { output: { id: 'pinned' }, port: 'out' } } } };
    expect(expressionContext(pinned, 'post', upstreamOnly, label).input).toEqual({ value: { id: 'pinned' }, source: 'pinned output of SHAPE' });
  });
});

describe('fieldPaths', () => {
  it('lists nested paths through arrays, quoting names that are not identifiers', () => {
    expect(fieldPaths({ order: { id: 'A1', lines: [{ qty: 2, 'unit price': 3 }] }, n: null })).toEqual([
      { path: 'order', type: 'object' },
      { path: 'order.id', type: 'string' },
      { path: 'order.lines', type: 'array' },
      { path: 'order.lines.qty', type: 'number' },
      { path: 'order.lines.`unit price`', type: 'number' },
      { path: 'n', type: 'null' },
    ]);
  });

  it('stays bounded on large values', () => {
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, i]));
    expect(fieldPaths(wide).length).toBe(300);
  });
});
