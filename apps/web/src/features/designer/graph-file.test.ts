import { describe, expect, it } from 'vitest';
import { applyOperation, type Graph } from '@switchyard/workflow';
import { registry } from './kinds';
import { clipboardGraph, pasteOperation, pastedPins, readClipboard } from './clipboard';
import { graphFileName, MAX_GRAPH_FILE_BYTES, readGraphJson, replaceGraphOperation } from './graph-file';

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'hook', kind: 'trigger.webhook', position: { x: 0, y: 0 }, config: { path: 'in' } },
    { id: 'map', kind: 'transform', label: 'Map', position: { x: 200, y: 0 }, config: { expression: '' } },
    { id: 'call', kind: 'http.request', position: { x: 400, y: 0 }, config: { url: 'http://x' } },
  ],
  edges: [
    { id: 'e1', source: 'hook', sourcePort: 'out', target: 'map' },
    { id: 'e2', source: 'map', sourcePort: 'out', target: 'call' },
  ],
  settings: { pins: { map: { output: { a: 1 }, port: 'out' } } },
};

const problemsOf = (text: string) => {
  const result = readGraphJson(text, registry);
  return result.ok ? [] : result.problems;
};

describe('reading graph files', () => {
  it('accepts an unfinished but well-formed graph', () => {
    const result = readGraphJson(JSON.stringify(graph), registry);
    expect(result.ok).toBe(true);
  });

  it('refuses what is not a graph, with the field and the reason', () => {
    expect(problemsOf('{oops')[0]?.message).toMatch(/^Not JSON/);
    expect(problemsOf('[]')[0]).toMatchObject({ path: expect.any(String), message: expect.any(String) });
    const wrong = problemsOf(JSON.stringify({ ...graph, nodes: [{ ...graph.nodes[0], id: 'bad id!' }] }));
    expect(wrong).toEqual([expect.objectContaining({ path: 'nodes[0].id' })]);
    expect(problemsOf(JSON.stringify({ ...graph, schemaVersion: 99 }))[0]?.path).toBe('schemaVersion');
  });

  it('refuses unknown kinds, repeated ids, dangling edges and markup in labels', () => {
    const hostile = {
      ...graph,
      nodes: [
        ...graph.nodes,
        { id: 'evil', kind: 'shell.exec', position: { x: 0, y: 0 }, config: {} },
        { id: 'map', kind: 'transform', label: '<script>alert(1)</script>', position: { x: 0, y: 0 }, config: {} },
      ],
      edges: [...graph.edges, { id: 'e9', source: 'call', sourcePort: 'out', target: 'nowhere' }],
    };
    expect(problemsOf(JSON.stringify(hostile))).toEqual([
      { path: 'nodes[3].kind', message: 'Unknown node kind "shell.exec"' },
      { path: 'nodes[4].id', message: 'Node id "map" is used twice' },
      { path: 'nodes[4].label', message: 'Contains HTML markup; labels are plain text' },
      { path: 'edges[2].target', message: 'Refers to node "nowhere", which is not in the file' },
    ]);
    expect(problemsOf(JSON.stringify({ ...graph, nodes: [{ ...graph.nodes[1], label: 'Amount < 100' }], edges: [] }))).toEqual([]);
  });

  it('refuses files over the size limit before parsing them', () => {
    const big = JSON.stringify({ ...graph, settings: { description: 'x'.repeat(MAX_GRAPH_FILE_BYTES) } });
    expect(problemsOf(big)[0]?.message).toMatch(/at most 5\.0 MB/);
  });

  it('replaces a graph in one undoable batch', () => {
    const next: Graph = { schemaVersion: 1, nodes: [{ id: 'hook', kind: 'trigger.manual', position: { x: 5, y: 5 }, config: {} }], edges: [], settings: {} };
    const applied = applyOperation(graph, replaceGraphOperation(graph, next));
    expect(applied.graph).toEqual(next);
    expect(applyOperation(applied.graph, applied.inverse).graph).toEqual(graph);
    expect(graphFileName('Invoice sync (EU)')).toBe('invoice-sync-eu.switchyard.json');
  });
});

describe('clipboard', () => {
  it('copies the selection with its inner edges and pins, and pastes it with fresh ids', () => {
    const copied = clipboardGraph(graph, new Set(['map', 'call']));
    expect(copied.edges.map((e) => e.id)).toEqual(['e2']);
    expect(copied.settings.pins).toEqual({ map: { output: { a: 1 }, port: 'out' } });
    const read = readClipboard(JSON.stringify(copied), registry);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const op = pasteOperation(graph, read.graph, { center: { x: 0, y: 0 }, repeat: 0 });
    // Same workflow, originals in place: offset below-right.
    expect(op.nodes.map((n) => n.position)).toEqual([
      { x: 240, y: 40 },
      { x: 440, y: 40 },
    ]);
    expect(op.nodes.every((n) => !['map', 'call'].includes(n.id))).toBe(true);
    expect(op.edges[0]).toMatchObject({ source: op.nodes[0]!.id, target: op.nodes[1]!.id });
    expect(Object.keys(pastedPins(read.graph, op))).toEqual([op.nodes[0]!.id]);

    // Another workflow: centred on the view.
    const elsewhere = pasteOperation({ ...graph, nodes: [], edges: [] }, read.graph, { center: { x: 1000, y: 500 }, repeat: 0 });
    expect(elsewhere.nodes[0]!.position).toEqual({ x: 200 + (1000 - 300 - 95), y: 500 - 0 - 40 });
  });

  it('refuses clipboard text that is not Switchyard nodes', () => {
    expect(readClipboard('hello', registry)).toMatchObject({ ok: false });
    expect(readClipboard('  ', registry)).toEqual({ ok: false, problems: [{ path: '', message: 'The clipboard is empty' }] });
  });
});
