import type { Graph } from '@switchyard/workflow';

/**
 * True when `next` differs from `prev` at most in node positions. Operations keep unchanged parts of
 * the graph by identity (a move copies the node but keeps its config object), so this is a cheap
 * identity check. Validation does not depend on positions: a drag in a large graph reuses the last
 * result instead of validating a thousand nodes again.
 */
export function differsOnlyInLayout(prev: Graph, next: Graph): boolean {
  if (prev === next) return true;
  if (prev.edges !== next.edges || prev.settings !== next.settings || prev.nodes.length !== next.nodes.length) return false;
  for (let i = 0; i < next.nodes.length; i++) {
    const a = prev.nodes[i]!;
    const b = next.nodes[i]!;
    if (a === b) continue;
    if (a.id !== b.id || a.kind !== b.kind || a.label !== b.label || a.config !== b.config || a.policy !== b.policy || a.compensation !== b.compensation) return false;
  }
  return true;
}
