/**
 * The designer benchmark's graph: a webhook trigger plus transforms; node i hangs off node
 * ⌊(i−1)/2⌋ (a binary tree, so edges fan out like real branching workflows) and one error-port edge
 * brings the edge count to the node count. Laid out on a 40-wide grid, as an imported graph would be.
 */
export function canvasBenchGraph(nodeCount: number) {
  const nodes: Array<{ id: string; kind: string; label: string; position: { x: number; y: number }; config: Record<string, unknown> }> = [
    { id: 'n0', kind: 'trigger.webhook', label: 'Incoming', position: { x: 0, y: 0 }, config: { path: 'bench-canvas' } },
  ];
  for (let i = 1; i < nodeCount; i++) {
    nodes.push({ id: `n${i}`, kind: 'transform', label: `Step ${i}`, position: { x: (i % 40) * 240, y: Math.floor(i / 40) * 130 }, config: { expression: `{ "step": ${i} }` } });
  }
  const edges: Array<{ id: string; source: string; sourcePort: string; target: string }> = [];
  for (let i = 1; i < nodeCount; i++) edges.push({ id: `e${i}`, source: `n${Math.floor((i - 1) / 2)}`, sourcePort: 'out', target: `n${i}` });
  edges.push({ id: 'e-error', source: 'n1', sourcePort: 'error', target: 'n4' });
  return { schemaVersion: 1, nodes, edges, settings: {} };
}
