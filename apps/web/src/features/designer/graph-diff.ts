import type { Graph, GraphEdge, GraphNode } from '@switchyard/workflow';

/**
 * What changed between two graphs, node by node and field by field: the version diff draws it on a
 * read-only canvas and lists it. Nodes are matched by id (ids are stable; labels are display text).
 * Pure, so it is unit-tested.
 */
export type DiffStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface FieldChange {
  /** Dotted path inside the node: `label`, `config.url`, `policy.retry.maxAttempts`, `position`. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeDiff {
  id: string;
  status: DiffStatus;
  /** The newer node when it exists, else the removed one. */
  node: GraphNode;
  changes: FieldChange[];
  /** Moved only: drawn as unchanged, listed apart (layout is not behaviour). */
  moved: boolean;
}

export interface EdgeDiff {
  edge: GraphEdge;
  status: 'added' | 'removed' | 'unchanged';
}

export interface GraphDiff {
  nodes: NodeDiff[];
  edges: EdgeDiff[];
  settings: FieldChange[];
  counts: { added: number; removed: number; changed: number; edgesAdded: number; edgesRemoved: number };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf-level differences of two JSON values; arrays compare as wholes (a list of statuses is one field). */
export function diffValues(before: unknown, after: unknown, path: string, out: FieldChange[] = []): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) diffValues(before[key], after[key], path ? `${path}.${key}` : key, out);
    return out;
  }
  if (!sameJson(before, after)) out.push({ path, before, after });
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameJson(a[key], b[key])) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  return false;
}

const edgeKey = (e: GraphEdge) => `${e.source}\u0000${e.sourcePort}\u0000${e.target}`;

export function diffGraphs(before: Graph, after: Graph): GraphDiff {
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newIds = new Set(after.nodes.map((n) => n.id));
  const nodes: NodeDiff[] = [];
  for (const node of after.nodes) {
    const old = oldNodes.get(node.id);
    if (!old) {
      nodes.push({ id: node.id, status: 'added', node, changes: [], moved: false });
      continue;
    }
    const { position: p1, id: _a, ...rest1 } = old;
    const { position: p2, id: _b, ...rest2 } = node;
    const changes = diffValues(rest1, rest2, '');
    const moved = p1.x !== p2.x || p1.y !== p2.y;
    nodes.push({ id: node.id, status: changes.length > 0 ? 'changed' : 'unchanged', node, changes, moved });
  }
  for (const node of before.nodes) {
    if (!newIds.has(node.id)) nodes.push({ id: node.id, status: 'removed', node, changes: [], moved: false });
  }

  // Edges are matched by what they connect, not by id: re-drawing the same connection is no change.
  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  const edges: EdgeDiff[] = [
    ...after.edges.map((edge): EdgeDiff => ({ edge, status: oldEdges.has(edgeKey(edge)) ? 'unchanged' : 'added' })),
    ...before.edges.filter((e) => !newEdges.has(edgeKey(e))).map((edge): EdgeDiff => ({ edge, status: 'removed' })),
  ];

  const { pins: _p1, ...settings1 } = before.settings;
  const { pins: _p2, ...settings2 } = after.settings;
  const count = (s: DiffStatus) => nodes.filter((n) => n.status === s).length;
  return {
    nodes,
    edges,
    settings: diffValues(settings1, settings2, 'settings'),
    counts: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      edgesAdded: edges.filter((e) => e.status === 'added').length,
      edgesRemoved: edges.filter((e) => e.status === 'removed').length,
    },
  };
}

/** A value as one short line for the change list (the full value is in the tooltip). */
export function previewValue(value: unknown, max = 80): string {
  if (value === undefined) return '(not set)';
  // Strings are quoted but not escaped: an expression reads as written, not as JSON source.
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
