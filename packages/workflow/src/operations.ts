import { type Graph, type GraphEdge, type GraphNode } from './graph';
import { quoteId } from './issues';
import {
  type BatchOperation,
  type GraphOperation,
  type PrimitiveGraphOperation,
  type RestoreOperation,
} from './operation-schema';

export type GraphOperationErrorCode = 'node_not_found' | 'edge_not_found' | 'duplicate_id';

/**
 * An operation that does not fit the graph it is applied to (a stale client, a concurrent edit).
 * Operations keep the graph's shape consistent (ids unique, new edges attached to existing nodes);
 * semantic rules (ports, triggers, cycles) are validateGraph's and canConnect's business, because
 * a draft may be invalid while it is being edited.
 */
export class GraphOperationError extends Error {
  readonly code: GraphOperationErrorCode;
  constructor(code: GraphOperationErrorCode, message: string) {
    super(message);
    this.name = 'GraphOperationError';
    this.code = code;
  }
}

export interface AppliedOperation {
  graph: Graph;
  /** Applying it to `graph` gives back the input graph exactly. */
  inverse: GraphOperation;
}

function nodeIndex(graph: Graph, id: string, op: string): number {
  const i = graph.nodes.findIndex((n) => n.id === id);
  if (i < 0) throw new GraphOperationError('node_not_found', `${op}: node ${quoteId(id)} does not exist`);
  return i;
}

function replaceNode(graph: Graph, index: number, node: GraphNode): Graph {
  const nodes = graph.nodes.slice();
  nodes[index] = node;
  return { ...graph, nodes };
}

/**
 * New ids must not be in use. `restore` passes `allowRepeats` because it puts back exactly what a
 * removal took, and a draft being repaired may hold the same id twice.
 */
function assertFreeIds(graph: Graph, nodes: readonly GraphNode[], edges: readonly GraphEdge[], op: string, allowRepeats = false): void {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  for (const node of nodes) {
    if (nodeIds.has(node.id)) throw new GraphOperationError('duplicate_id', `${op}: node id ${quoteId(node.id)} is already used`);
    if (!allowRepeats) nodeIds.add(node.id);
  }
  const edgeIds = new Set(graph.edges.map((e) => e.id));
  for (const edge of edges) {
    if (edgeIds.has(edge.id)) throw new GraphOperationError('duplicate_id', `${op}: edge id ${quoteId(edge.id)} is already used`);
    if (!allowRepeats) edgeIds.add(edge.id);
  }
}

function assertEdgeEnds(nodes: readonly GraphNode[], edges: readonly GraphEdge[], op: string): void {
  const ids = new Set(nodes.map((n) => n.id));
  for (const edge of edges) {
    for (const end of [edge.source, edge.target]) {
      if (!ids.has(end)) {
        throw new GraphOperationError('node_not_found', `${op}: edge ${quoteId(edge.id)} refers to node ${quoteId(end)}, which does not exist`);
      }
    }
  }
}

/** Inserts items at the indices they had before removal (ascending, so earlier inserts shift later ones into place). */
function insertAt<T>(list: readonly T[], items: readonly { index: number; item: T }[]): T[] {
  const out = list.slice();
  for (const { index, item } of [...items].sort((a, b) => a.index - b.index)) out.splice(Math.min(index, out.length), 0, item);
  return out;
}

/** The inverse of adding nodes and edges: edges first, so removing the nodes finds none attached. */
function removalOf(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): BatchOperation {
  const operations: PrimitiveGraphOperation[] = [];
  if (edges.length > 0) operations.push({ type: 'removeEdges', edgeIds: edges.map((e) => e.id) });
  if (nodes.length > 0) operations.push({ type: 'removeNodes', nodeIds: nodes.map((n) => n.id) });
  return { type: 'batch', operations };
}

/** Drops an optional key entirely (not `key: undefined`), so that undo restores the node exactly. */
function withoutKey(node: GraphNode, key: 'label' | 'policy' | 'compensation'): GraphNode {
  const copy = { ...node };
  delete copy[key];
  return copy;
}

function applyPrimitive(graph: Graph, op: PrimitiveGraphOperation): AppliedOperation {
  switch (op.type) {
    case 'addNode': {
      assertFreeIds(graph, [op.node], [], op.type);
      return { graph: { ...graph, nodes: [...graph.nodes, op.node] }, inverse: { type: 'removeNodes', nodeIds: [op.node.id] } };
    }
    case 'removeNodes': {
      const ids = new Set(op.nodeIds);
      for (const id of ids) nodeIndex(graph, id, op.type);
      const inverse: RestoreOperation = { type: 'restore', nodes: [], edges: [] };
      const nodes = graph.nodes.filter((node, index) => (ids.has(node.id) ? (inverse.nodes.push({ index, node }), false) : true));
      const edges = graph.edges.filter((edge, index) =>
        ids.has(edge.source) || ids.has(edge.target) ? (inverse.edges.push({ index, edge }), false) : true,
      );
      return { graph: { ...graph, nodes, edges }, inverse };
    }
    case 'moveNodes': {
      const targets = new Map(op.moves.map((m) => [m.nodeId, m.position]));
      const previous: { nodeId: string; position: GraphNode['position'] }[] = [];
      for (const id of targets.keys()) previous.push({ nodeId: id, position: graph.nodes[nodeIndex(graph, id, op.type)]!.position });
      const nodes = graph.nodes.map((node) => {
        const position = targets.get(node.id);
        return position ? { ...node, position: { ...position } } : node;
      });
      return { graph: { ...graph, nodes }, inverse: { type: 'moveNodes', moves: previous } };
    }
    case 'updateNodeConfig': {
      const i = nodeIndex(graph, op.nodeId, op.type);
      const node = graph.nodes[i]!;
      return {
        graph: replaceNode(graph, i, { ...node, config: op.config }),
        inverse: { type: 'updateNodeConfig', nodeId: op.nodeId, config: node.config },
      };
    }
    case 'updateNodeLabel': {
      const i = nodeIndex(graph, op.nodeId, op.type);
      const node = graph.nodes[i]!;
      const next = op.label === undefined ? withoutKey(node, 'label') : { ...node, label: op.label };
      return {
        graph: replaceNode(graph, i, next),
        inverse: { type: 'updateNodeLabel', nodeId: op.nodeId, ...(node.label === undefined ? {} : { label: node.label }) },
      };
    }
    case 'updateNodePolicy': {
      const i = nodeIndex(graph, op.nodeId, op.type);
      const node = graph.nodes[i]!;
      const next = op.policy === undefined ? withoutKey(node, 'policy') : { ...node, policy: op.policy };
      return {
        graph: replaceNode(graph, i, next),
        inverse: { type: 'updateNodePolicy', nodeId: op.nodeId, ...(node.policy === undefined ? {} : { policy: node.policy }) },
      };
    }
    case 'updateNodeCompensation': {
      const i = nodeIndex(graph, op.nodeId, op.type);
      const node = graph.nodes[i]!;
      const next = op.compensation === undefined ? withoutKey(node, 'compensation') : { ...node, compensation: op.compensation };
      return {
        graph: replaceNode(graph, i, next),
        inverse: { type: 'updateNodeCompensation', nodeId: op.nodeId, ...(node.compensation === undefined ? {} : { compensation: node.compensation }) },
      };
    }
    case 'addEdge': {
      assertFreeIds(graph, [], [op.edge], op.type);
      assertEdgeEnds(graph.nodes, [op.edge], op.type);
      return { graph: { ...graph, edges: [...graph.edges, op.edge] }, inverse: { type: 'removeEdges', edgeIds: [op.edge.id] } };
    }
    case 'removeEdges': {
      const ids = new Set(op.edgeIds);
      for (const id of ids) {
        if (!graph.edges.some((e) => e.id === id)) throw new GraphOperationError('edge_not_found', `${op.type}: edge ${quoteId(id)} does not exist`);
      }
      const inverse: RestoreOperation = { type: 'restore', nodes: [], edges: [] };
      const edges = graph.edges.filter((edge, index) => (ids.has(edge.id) ? (inverse.edges.push({ index, edge }), false) : true));
      return { graph: { ...graph, edges }, inverse };
    }
    case 'updateSettings':
      return { graph: { ...graph, settings: op.settings }, inverse: { type: 'updateSettings', settings: graph.settings } };
    case 'paste': {
      assertFreeIds(graph, op.nodes, op.edges, op.type);
      const nodes = [...graph.nodes, ...op.nodes];
      assertEdgeEnds(nodes, op.edges, op.type);
      return { graph: { ...graph, nodes, edges: [...graph.edges, ...op.edges] }, inverse: removalOf(op.nodes, op.edges) };
    }
    case 'restore': {
      // No edge-end check: restore puts back exactly what was removed, even a dangling edge of a bad draft.
      const restoredNodes = op.nodes.map((n) => n.node);
      const restoredEdges = op.edges.map((e) => e.edge);
      assertFreeIds(graph, restoredNodes, restoredEdges, op.type, true);
      const nodes = insertAt(graph.nodes, op.nodes.map(({ index, node }) => ({ index, item: node })));
      const edges = insertAt(graph.edges, op.edges.map(({ index, edge }) => ({ index, item: edge })));
      return { graph: { ...graph, nodes, edges }, inverse: removalOf(restoredNodes, restoredEdges) };
    }
    default: {
      const unknown: never = op;
      throw new Error(`unknown graph operation ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}

/**
 * Applies one edit without mutating `graph` (unchanged nodes and edges keep their identity, which
 * React relies on). Throws GraphOperationError when the edit does not fit the graph; a batch is
 * all-or-nothing.
 */
export function applyOperation(graph: Graph, op: GraphOperation): AppliedOperation {
  if (op.type !== 'batch') return applyPrimitive(graph, op);
  let current = graph;
  const inverses: PrimitiveGraphOperation[] = [];
  for (const step of op.operations) {
    const applied = applyPrimitive(current, step);
    current = applied.graph;
    const inverse = applied.inverse;
    inverses.unshift(...(inverse.type === 'batch' ? inverse.operations : [inverse]));
  }
  return { graph: current, inverse: { type: 'batch', operations: inverses } };
}

/** Applies several operations in order; the inverse undoes all of them. */
export function applyOperations(graph: Graph, ops: readonly GraphOperation[]): AppliedOperation {
  const operations = ops.flatMap((op) => (op.type === 'batch' ? op.operations : [op]));
  return applyOperation(graph, { type: 'batch', operations });
}
