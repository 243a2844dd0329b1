import type { ElkNode } from 'elkjs/lib/elk-api';
import type { Graph, MoveNodesOperation } from '@switchyard/workflow';
import { portsOf } from './kinds';

/**
 * Automatic layout with ELK's layered algorithm, left to right, ports in the order the cards draw
 * them (so `true` edges leave above `false` ones and error paths run along the bottom). The result is
 * one `moveNodes` operation: one undo step, and the server sees an ordinary edit.
 */
const DEFAULT_SIZE = { width: 190, height: 90 };
const GRID = 8;

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '72',
  'elk.spacing.nodeNode': '36',
  'elk.spacing.componentComponent': '64',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.edgeRouting': 'ORTHOGONAL',
};

const portId = (nodeId: string, port: string) => `${nodeId}\u0000${port}`;

export function elkGraphOf(graph: Graph, sizes: ReadonlyMap<string, { width: number; height: number }>): ElkNode {
  return {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: graph.nodes.map((node) => {
      const size = sizes.get(node.id) ?? DEFAULT_SIZE;
      const outputs = portsOf(node, graph.edges);
      return {
        id: node.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          { id: portId(node.id, 'in'), layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': '0' } },
          // ELK orders east-side ports clockwise, i.e. top to bottom: the index is the card's row.
          ...outputs.map((port, i) => ({ id: portId(node.id, `out:${port}`), layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
        ],
      };
    }),
    edges: graph.edges
      .filter((e) => graph.nodes.some((n) => n.id === e.source) && graph.nodes.some((n) => n.id === e.target))
      .map((edge) => ({ id: edge.id, sources: [portId(edge.source, `out:${edge.sourcePort}`)], targets: [portId(edge.target, 'in')] })),
  };
}

type Layouter = { layout(graph: ElkNode): Promise<ElkNode> };

async function defaultLayouter(): Promise<Layouter> {
  // Loaded on first use: ELK is a large bundle that most editing sessions never need.
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  return new ELK();
}

/** The moves that lay the graph out, anchored at its current top-left corner; null when nothing moves. */
export async function autoLayout(
  graph: Graph,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
  layouter?: Layouter,
): Promise<MoveNodesOperation | null> {
  if (graph.nodes.length === 0) return null;
  const elk = layouter ?? (await defaultLayouter());
  const result = await elk.layout(elkGraphOf(graph, sizes));
  const origin = {
    x: Math.min(...graph.nodes.map((n) => n.position.x)),
    y: Math.min(...graph.nodes.map((n) => n.position.y)),
  };
  // ELK pads the graph; anchoring its own top-left (not its origin) keeps a second layout a no-op.
  const children = result.children ?? [];
  const laidOut = { x: Math.min(...children.map((c) => c.x ?? 0)), y: Math.min(...children.map((c) => c.y ?? 0)) };
  const snap = (v: number) => Math.round(v / GRID) * GRID;
  const current = new Map(graph.nodes.map((n) => [n.id, n.position]));
  const moves: MoveNodesOperation['moves'] = [];
  for (const child of children) {
    const before = current.get(child.id);
    if (!before) continue;
    const position = { x: snap(origin.x + (child.x ?? 0) - laidOut.x), y: snap(origin.y + (child.y ?? 0) - laidOut.y) };
    if (position.x !== before.x || position.y !== before.y) moves.push({ nodeId: child.id, position });
  }
  return moves.length > 0 ? { type: 'moveNodes', moves } : null;
}
