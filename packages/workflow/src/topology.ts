/**
 * Graph algorithms shared by validation and the designer's connect check. All iterative: a graph
 * may have thousands of nodes in a chain, and recursion that deep would overflow the stack.
 */

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
}

export type Adjacency = ReadonlyMap<string, readonly TopologyEdge[]>;

/** Outgoing edges per node; edges whose ends are not among `nodeIds` are left out. */
export function buildAdjacency(nodeIds: Iterable<string>, edges: Iterable<TopologyEdge>): Adjacency {
  const adjacency = new Map<string, TopologyEdge[]>();
  for (const id of nodeIds) adjacency.set(id, []);
  for (const edge of edges) {
    if (!adjacency.has(edge.target)) continue;
    adjacency.get(edge.source)?.push(edge);
  }
  return adjacency;
}

export function reachableFrom(adjacency: Adjacency, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const start of starts) {
    if (adjacency.has(start) && !seen.has(start)) {
      seen.add(start);
      queue.push(start);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const edge of adjacency.get(queue[i]!) ?? []) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return seen;
}

/** Shortest path of node ids from `from` to `to` (both included), or undefined. */
export function findPath(adjacency: Adjacency, from: string, to: string): string[] | undefined {
  if (!adjacency.has(from)) return undefined;
  const parent = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i]!;
    if (current === to) {
      const path: string[] = [];
      for (let at: string | null | undefined = current; at != null; at = parent.get(at)) path.push(at);
      return path.reverse();
    }
    for (const edge of adjacency.get(current) ?? []) {
      if (!parent.has(edge.target)) {
        parent.set(edge.target, current);
        queue.push(edge.target);
      }
    }
  }
  return undefined;
}

export interface BackEdge {
  edge: TopologyEdge;
  /** The cycle this edge closes: target … source, target again. */
  cycle: string[];
}

/**
 * Depth-first search reporting every edge that closes a cycle (a back edge). Removing all of them
 * makes the graph acyclic, so each is an actionable finding.
 */
export function findBackEdges(adjacency: Adjacency): BackEdge[] {
  const done = new Set<string>();
  const onPath = new Map<string, number>(); // node id → its index in `path`
  const path: string[] = [];
  const found: BackEdge[] = [];

  for (const root of adjacency.keys()) {
    if (done.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    onPath.set(root, 0);
    path.push(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const edges = adjacency.get(frame.id) ?? [];
      if (frame.next < edges.length) {
        const edge = edges[frame.next++]!;
        const targetIndex = onPath.get(edge.target);
        if (targetIndex !== undefined) {
          found.push({ edge, cycle: [...path.slice(targetIndex), edge.target] });
        } else if (!done.has(edge.target)) {
          onPath.set(edge.target, path.length);
          path.push(edge.target);
          stack.push({ id: edge.target, next: 0 });
        }
      } else {
        stack.pop();
        path.pop();
        onPath.delete(frame.id);
        done.add(frame.id);
      }
    }
  }
  return found;
}

/** "a → b → a", shortened in the middle for long cycles so messages stay readable. */
export function describeCycle(cycle: readonly string[]): string {
  const shown = cycle.length > 12 ? [...cycle.slice(0, 6), '…', ...cycle.slice(-5)] : cycle;
  return shown.join(' → ');
}
