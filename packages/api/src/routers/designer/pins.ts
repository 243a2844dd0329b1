import type { Graph, GraphEdge, GraphNode } from '@switchyard/workflow';
import { transform } from '@switchyard/workflow';

/**
 * Pinned outputs (graph.settings.pins) only affect test runs of the draft. The engine knows nothing
 * about them, so the test version's graph stands every pinned node in by a transform that returns the
 * pinned output as a literal (JSON is valid JSONata), and keeps only the edges that leave by the
 * pinned port, renamed to `out`. The node keeps its id, so its step shows up where the node is drawn;
 * nothing upstream changes, and the pinned system is not called.
 */
export function applyPins(graph: Graph): { graph: Graph; pinned: string[] } {
  const pins = graph.settings.pins ?? {};
  const pinned = new Map<string, { output: unknown; port: string }>();
  for (const node of graph.nodes) {
    const pin = pins[node.id];
    // A trigger's output is the payload the test run is started with; pinning it would hide that.
    if (pin && !node.kind.startsWith('trigger.')) pinned.set(node.id, pin);
  }
  const nodes = graph.nodes.map((node): GraphNode => {
    const pin = pinned.get(node.id);
    if (!pin) return node;
    const standIn: GraphNode = {
      id: node.id,
      kind: transform.kind,
      position: node.position,
      config: { expression: JSON.stringify(pin.output) ?? 'null' },
    };
    if (node.label !== undefined) standIn.label = node.label;
    return standIn;
  });
  const edges: GraphEdge[] = [];
  for (const edge of graph.edges) {
    const pin = pinned.get(edge.source);
    if (!pin) edges.push(edge);
    else if (edge.sourcePort === pin.port) edges.push({ ...edge, sourcePort: 'out' });
  }
  return { graph: { ...graph, nodes, edges, settings: withoutPins(graph).settings }, pinned: [...pinned.keys()] };
}

/** Published versions never carry pins: they are a designer aid, and real runs must call the real systems. */
export function withoutPins(graph: Graph): Graph {
  if (graph.settings.pins === undefined) return graph;
  const { pins: _pins, ...settings } = graph.settings;
  return { ...graph, settings };
}
