import { type Graph, type GraphEdge, type GraphNode, type Position } from './graph';
import { idPrefix, newId } from './ids';
import { type PasteOperation } from './operation-schema';

export interface Clipboard {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
}

export interface PasteOptions {
  /** Added to every pasted position, so the copy does not hide the original. Default 40, 40. */
  offset?: Position;
  /** Id factory, for deterministic tests; defaults to newId. Prefixes are already id-safe (`http-request`). */
  makeId?: (prefix: string, isTaken: (id: string) => boolean) => string;
}

/**
 * Builds the `paste` operation for a clipboard: fresh ids for every node and edge (ids are stable
 * identities, so a copy must never share them), edges remapped to the copies, and edges that lead
 * outside the copied selection dropped. Ids are fixed here, not in applyOperation, so that applying
 * the same operation again (redo, or on the server) gives the same graph.
 */
export function preparePaste(graph: Graph, clipboard: Clipboard, options: PasteOptions = {}): PasteOperation {
  const offset = options.offset ?? { x: 40, y: 40 };
  const makeId = options.makeId ?? newId;
  const taken = new Set<string>([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  const isTaken = (id: string): boolean => taken.has(id);
  const fresh = (prefix: string): string => {
    const id = makeId(prefix, isTaken);
    taken.add(id);
    return id;
  };

  const idMap = new Map<string, string>();
  const nodes = clipboard.nodes.map((node) => {
    const id = fresh(idPrefix(node.kind));
    idMap.set(node.id, id);
    return structuredClone({ ...node, id, position: { x: node.position.x + offset.x, y: node.position.y + offset.y } });
  });
  const edges: GraphEdge[] = [];
  for (const edge of clipboard.edges) {
    const source = idMap.get(edge.source);
    const target = idMap.get(edge.target);
    if (source === undefined || target === undefined) continue;
    edges.push({ ...edge, id: fresh('edge'), source, target });
  }
  return { type: 'paste', nodes, edges };
}
