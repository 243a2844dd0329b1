import type { Graph } from '@switchyard/workflow';

// A node card is about 210×90 px; keep new nodes a little further apart than that.
const SPAN_X = 210;
const SPAN_Y = 110;

/**
 * The first spot at or right of `start` (then further down) where a new node does not cover
 * another: workflows read left to right, so a click-added node lands after the existing ones.
 */
export function freeSpot(graph: Graph, start: { x: number; y: number }): { x: number; y: number } {
  const clear = (p: { x: number; y: number }) => graph.nodes.every((n) => Math.abs(n.position.x - p.x) > SPAN_X || Math.abs(n.position.y - p.y) > SPAN_Y);
  for (let row = 0; row < 6; row++) {
    for (let col = 0; col < 6; col++) {
      const p = { x: start.x + col * 240, y: start.y + row * 120 };
      if (clear(p)) return p;
    }
  }
  return start;
}
