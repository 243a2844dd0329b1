import { describe, expect, it } from 'vitest';
import type { Graph } from '@switchyard/workflow';
import { diffGraphs, previewValue } from './graph-diff';

const v1: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'hook', kind: 'trigger.webhook', position: { x: 0, y: 0 }, config: { path: 'in' } },
    { id: 'call', kind: 'http.request', label: 'Call', position: { x: 200, y: 0 }, config: { url: 'http://a', headers: { A: '1' } } },
    { id: 'old', kind: 'transform', position: { x: 400, y: 0 }, config: { expression: '$' } },
  ],
  edges: [
    { id: 'e1', source: 'hook', sourcePort: 'out', target: 'call' },
    { id: 'e2', source: 'call', sourcePort: 'out', target: 'old' },
  ],
  settings: {},
};

const v2: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'hook', kind: 'trigger.webhook', position: { x: 10, y: 0 }, config: { path: 'in' } },
    {
      id: 'call',
      kind: 'http.request',
      label: 'Call ERP',
      position: { x: 200, y: 0 },
      config: { url: 'http://b', headers: { A: '1', B: '2' } },
      policy: { retry: { maxAttempts: 5 } },
    },
    { id: 'new', kind: 'respond', position: { x: 400, y: 0 }, config: { status: 200 } },
  ],
  edges: [
    { id: 'x1', source: 'hook', sourcePort: 'out', target: 'call' },
    { id: 'e3', source: 'call', sourcePort: 'error', target: 'new' },
  ],
  settings: { description: 'v2', pins: { call: { output: 1, port: 'out' } } },
};

describe('diffGraphs', () => {
  const diff = diffGraphs(v1, v2);
  const byId = new Map(diff.nodes.map((n) => [n.id, n]));

  it('classifies nodes by id', () => {
    expect(byId.get('new')?.status).toBe('added');
    expect(byId.get('old')?.status).toBe('removed');
    expect(byId.get('call')?.status).toBe('changed');
    expect(byId.get('hook')).toMatchObject({ status: 'unchanged', moved: true });
    expect(diff.counts).toEqual({ added: 1, removed: 1, changed: 1, edgesAdded: 1, edgesRemoved: 1 });
  });

  it('lists config, label and policy changes field by field', () => {
    expect(byId.get('call')?.changes).toEqual([
      { path: 'config.headers.B', before: undefined, after: '2' },
      { path: 'config.url', before: 'http://a', after: 'http://b' },
      { path: 'label', before: 'Call', after: 'Call ERP' },
      { path: 'policy', before: undefined, after: { retry: { maxAttempts: 5 } } },
    ]);
  });

  it('matches edges by what they connect and ignores pins in settings', () => {
    expect(diff.edges.map((e) => [e.edge.id, e.status])).toEqual([
      ['x1', 'unchanged'],
      ['e3', 'added'],
      ['e2', 'removed'],
    ]);
    expect(diff.settings).toEqual([{ path: 'settings.description', before: undefined, after: 'v2' }]);
  });

  it('previews values on one line', () => {
    expect(previewValue(undefined)).toBe('(not set)');
    expect(previewValue('a')).toBe('"a"');
    expect(previewValue({ long: 'x'.repeat(100) }, 20)).toHaveLength(20);
  });
});
