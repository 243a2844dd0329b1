import type { Edge } from '@xyflow/react';
import type { Graph, GraphIssue, GraphNode } from '@switchyard/workflow';
import { kindsByName, portsOf } from './kinds';
import { CARD_WIDTH, cardHeight, type DesignerCategory, type DesignerNode } from './node-types';
import type { NodeRunStatus } from './run-overlay';

/**
 * Graph JSON → React Flow elements. The graph (edited only through operations) is the source of
 * truth; React Flow gets a projection of it plus view state (selection, measured sizes, positions
 * of nodes being dragged). Pure, so the projection is unit-tested.
 */
export interface ViewState {
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  dragging: ReadonlyMap<string, { x: number; y: number }>;
}

export interface IssueIndex {
  byNode: Map<string, GraphIssue[]>;
  byEdge: Map<string, GraphIssue[]>;
  /** Messages per node per top-level config key, for the side panel's fields. */
  fieldsByNode: Map<string, Record<string, string[]>>;
  /** Issues about the graph as a whole (no trigger, too many issues). */
  general: GraphIssue[];
}

const CONFIG_PATH = /^nodes\[(\d+)\]\.config(?:\.([A-Za-z_$][\w$]*)|\[("(?:[^"\\]|\\.)*")\])?/;

export function indexIssues(graph: Graph, issues: readonly GraphIssue[]): IssueIndex {
  const index: IssueIndex = { byNode: new Map(), byEdge: new Map(), fieldsByNode: new Map(), general: [] };
  for (const issue of issues) {
    const match = CONFIG_PATH.exec(issue.path);
    const nodeId = issue.nodeId ?? (match ? graph.nodes[Number(match[1])]?.id : undefined);
    if (nodeId) push(index.byNode, nodeId, issue);
    if (issue.edgeId) push(index.byEdge, issue.edgeId, issue);
    if (!nodeId && !issue.edgeId) index.general.push(issue);
    if (match && nodeId) {
      const key = match[2] ?? (match[3] ? (JSON.parse(match[3]) as string) : '');
      const fields = index.fieldsByNode.get(nodeId) ?? {};
      (fields[key] ??= []).push(issue.message);
      index.fieldsByNode.set(nodeId, fields);
    }
  }
  return index;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function displayLabel(node: GraphNode): string {
  const label = node.label?.trim();
  return label ? label : (kindsByName.get(node.kind)?.displayName ?? node.kind);
}

/** Per-node decorations besides validation: a test run's status, a pinned output, a diff status. */
export interface NodeOverlay {
  runStatus?: NodeRunStatus;
  pinned?: boolean;
  decoration?: 'added' | 'removed' | 'changed';
}

/**
 * Flow nodes from the previous projection, reused while nothing they show changed: React Flow then
 * skips those nodes, which is what keeps dragging one node smooth in a graph of a thousand.
 */
export type FlowNodeCache = Map<string, { inputs: readonly unknown[]; node: DesignerNode }>;

export function toFlowNodes(
  graph: Graph,
  issues: IssueIndex,
  view: ViewState,
  overlay: ReadonlyMap<string, NodeOverlay> = new Map(),
  cache: FlowNodeCache = new Map(),
): DesignerNode[] {
  const seen = new Set<string>();
  const out = graph.nodes.map((node) => {
    seen.add(node.id);
    const nodeIssues = issues.byNode.get(node.id);
    const issueText = nodeIssues ? nodeIssues.map((i) => i.message).join('\n') : '';
    const extra = overlay.get(node.id);
    const inputs = [
      node,
      // Ports of unknown kinds come from the edges; known kinds' ports only from their config.
      kindsByName.has(node.kind) ? null : graph.edges,
      issueText,
      view.selectedNodes.has(node.id),
      view.measured.get(node.id),
      view.dragging.get(node.id),
      extra?.runStatus,
      extra?.pinned,
      extra?.decoration,
    ];
    const cached = cache.get(node.id);
    if (cached && cached.inputs.every((v, i) => v === inputs[i])) return cached.node;
    const flowNode = projectNode(graph, node, nodeIssues ?? [], view, extra);
    cache.set(node.id, { inputs, node: flowNode });
    return flowNode;
  });
  for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
  return out;
}

function projectNode(graph: Graph, node: GraphNode, nodeIssues: readonly GraphIssue[], view: ViewState, extra: NodeOverlay | undefined): DesignerNode {
  const kind = kindsByName.get(node.kind);
  const category: DesignerCategory = kind?.category ?? 'unknown';
  const measured = view.measured.get(node.id);
  const data: DesignerNode['data'] = {
    label: displayLabel(node),
    kind: node.kind,
    kindName: kind?.displayName ?? `Unknown kind: ${node.kind}`,
    icon: kind?.icon ?? '',
    isTrigger: kind?.isTrigger ?? false,
    ports: portsOf(node, graph.edges),
    issues: nodeIssues.map((i) => i.message),
  };
  if (extra?.runStatus) data.runStatus = extra.runStatus;
  if (extra?.pinned) data.pinned = true;
  if (extra?.decoration) data.decoration = extra.decoration;
  const flowNode: DesignerNode = {
    id: node.id,
    type: category,
    position: view.dragging.get(node.id) ?? node.position,
    selected: view.selectedNodes.has(node.id),
    data,
    // Cards have a fixed size: React Flow can cull and fit the view before it has measured them.
    initialWidth: CARD_WIDTH,
    initialHeight: cardHeight(data.ports.length),
  };
  // React Flow only keeps a node's size on the node object itself: without it every update would re-measure.
  if (measured) flowNode.measured = measured;
  return flowNode;
}

export type FlowEdgeCache = Map<string, { inputs: readonly unknown[]; edge: Edge }>;

export function toFlowEdges(
  graph: Graph,
  issues: IssueIndex,
  view: Pick<ViewState, 'selectedEdges'> & { edgeDecorations?: ReadonlyMap<string, 'added' | 'removed'> },
  cache: FlowEdgeCache = new Map(),
): Edge[] {
  return graph.edges.map((edge) => {
    const invalid = issues.byEdge.has(edge.id);
    const selected = view.selectedEdges.has(edge.id);
    const decoration = view.edgeDecorations?.get(edge.id);
    const inputs = [edge, invalid, selected, decoration];
    const cached = cache.get(edge.id);
    if (cached && cached.inputs.every((v, i) => v === inputs[i])) return cached.edge;
    const port = edge.sourcePort;
    const flowEdge: Edge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: port,
      targetHandle: 'in',
      selected,
      className: ['edge', `edge-port-${port.replace(/[^a-z0-9_-]/gi, '')}`, invalid ? 'edge-invalid' : '', decoration ? `edge-${decoration}` : '']
        .filter(Boolean)
        .join(' '),
      ariaLabel: `Connection from ${edge.source} (${port}) to ${edge.target}`,
    };
    if (port !== 'out') flowEdge.label = port;
    cache.set(edge.id, { inputs, edge: flowEdge });
    return flowEdge;
  });
}

/**
 * Messages from the workflow package name nodes by id; people know them by their labels. Only
 * quoted ids (`"transform_3f9a"`) and the steps of an arrow path (`a → b → c`) are replaced, so a
 * node whose id is a common word ("trigger") does not rewrite the prose around it.
 */
export function labelIds(graph: Graph, message: string): string {
  const labels = new Map(graph.nodes.map((n) => [n.id, displayLabel(n)]));
  const quoted = message.replace(/"(?:[^"\\]|\\.)*"/g, (token) => {
    let id: unknown;
    try {
      id = JSON.parse(token);
    } catch {
      return token;
    }
    const label = typeof id === 'string' ? labels.get(id) : undefined;
    return label === undefined ? token : JSON.stringify(label);
  });
  return quoted.replace(/[A-Za-z0-9_-]+(?= → )|(?<= → )[A-Za-z0-9_-]+/g, (token) => labels.get(token) ?? token);
}
