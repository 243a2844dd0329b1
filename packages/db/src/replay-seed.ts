import type { Graph } from '@switchyard/workflow';
import type { RunState } from './types';

/**
 * The engine state a replay from a chosen step starts with: that node pending with its input, and
 * the outputs the original recorded for every node that is not downstream of it (they stay
 * available to expressions, and are not run again). Nothing else is carried over: the original's
 * synchronous response belonged to its own caller, and its compensable steps were the original's
 * effects, which the replay must not undo.
 */
export interface SeedReplayInput {
  graph: Graph;
  /** The original run's last committed state (null when it failed before its first step). */
  original: RunState | null;
  fromNodeId: string;
  input: unknown;
  /**
   * Reuse this activation id (the original's attempt of the node), so the step idempotency key is
   * the original's and a target drops an effect that already happened. Absent: a fresh id.
   */
  activationId?: string;
}

export function seedReplayState(params: SeedReplayInput): RunState {
  const downstream = downstreamOf(params.graph, params.fromNodeId);
  const outputs: Record<string, unknown> = {};
  for (const [nodeId, output] of Object.entries(params.original?.outputs ?? {})) {
    if (!downstream.has(nodeId)) outputs[nodeId] = output;
  }
  let seq = Number.isInteger(params.original?.seq) ? params.original!.seq : 0;
  let id = params.activationId;
  if (id === undefined) {
    id = `a${seq}`;
    seq += 1;
  } else {
    // Ids minted from here on must not collide with the reused one.
    const minted = /^a(\d+)$/.exec(id);
    if (minted) seq = Math.max(seq, Number(minted[1]) + 1);
  }
  return { pending: [{ id, nodeId: params.fromNodeId, input: params.input, attempt: 1 }], outputs, seq };
}

/** The node and everything reachable from it along edges (any port). */
export function downstreamOf(graph: Graph, nodeId: string): Set<string> {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const seen = new Set([nodeId]);
  const queue = [nodeId];
  while (queue.length > 0) {
    for (const target of next.get(queue.pop()!) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}
