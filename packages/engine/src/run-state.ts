import { coreRegistry, DEFAULT_OUTPUT_PORT, type Graph, type GraphNode } from '@switchyard/workflow';
import type { Activation, RunState, StepError } from './ports';

/** Lookups the interpreter needs on every step, built once per executeRun call. */
export interface GraphIndex {
  node(id: string): GraphNode | undefined;
  /** Targets of the edges leaving `nodeId` by `port`, in graph order (keeps scheduling deterministic). */
  targets(nodeId: string, port: string): string[];
}

export function indexGraph(graph: Graph): GraphIndex {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const key = portKey(edge.source, edge.sourcePort ?? DEFAULT_OUTPUT_PORT);
    const list = edges.get(key);
    if (list) list.push(edge.target);
    else edges.set(key, [edge.target]);
  }
  return {
    node: (id) => nodes.get(id),
    targets: (nodeId, port) => edges.get(portKey(nodeId, port)) ?? [],
  };
}

function portKey(nodeId: string, port: string): string {
  // JSON keeps ids and ports unambiguous whatever characters a port name contains.
  return JSON.stringify([nodeId, port]);
}

export function isTriggerKind(kind: string): boolean {
  return coreRegistry.get(kind)?.isTrigger ?? kind.startsWith('trigger.');
}

/** The run's start node: the one ingress named, else the graph's only trigger. */
export function resolveTrigger(graph: Graph, triggerNodeId: string | null): { node: GraphNode } | { error: StepError } {
  if (triggerNodeId !== null) {
    const node = graph.nodes.find((n) => n.id === triggerNodeId);
    return node
      ? { node }
      : { error: invalidGraph(`trigger node "${triggerNodeId}" named by the run does not exist in the graph`) };
  }
  const triggers = graph.nodes.filter((n) => isTriggerKind(n.kind));
  const [only] = triggers;
  if (triggers.length === 1 && only) return { node: only };
  return {
    error: invalidGraph(
      triggers.length === 0
        ? 'graph has no trigger node'
        : `graph has ${triggers.length} trigger nodes (${triggers.map((t) => t.id).join(', ')}) and the run names none`,
    ),
  };
}

export function invalidGraph(message: string): StepError {
  return { code: 'invalid_graph', message, retryable: false };
}

export function emptyState(): RunState {
  return { pending: [], outputs: {}, seq: 0 };
}

/** Activation ids come from the run's own counter, so a resumed run mints the same ids it would have. */
export function mintActivationId(state: RunState): string {
  const id = `a${state.seq}`;
  state.seq += 1;
  return id;
}

/** Appends one activation per edge leaving `nodeId` by `port`; returns how many were scheduled. */
export function scheduleSuccessors(state: RunState, graph: GraphIndex, nodeId: string, port: string, input: unknown): number {
  const targets = graph.targets(nodeId, port);
  for (const target of targets) {
    state.pending.push({ id: mintActivationId(state), nodeId: target, input, attempt: 1 });
  }
  return targets.length;
}

export function isDue(activation: Activation, now: number): boolean {
  return activation.notBefore === undefined || activation.notBefore <= now;
}

/**
 * FIFO over the activations that are due. A waiting retry or delay on one branch therefore does not
 * hold up a parallel branch that could run now.
 */
export function firstDue(state: RunState, now: number): Activation | undefined {
  return state.pending.find((a) => isDue(a, now));
}

/** When the earliest pending activation becomes due: the run's durable wake-up time. */
export function earliestWake(state: RunState, now: number): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const a of state.pending) earliest = Math.min(earliest, a.notBefore ?? now);
  return Number.isFinite(earliest) ? earliest : now;
}

export function removeActivation(state: RunState, activationId: string): void {
  state.pending = state.pending.filter((a) => a.id !== activationId);
}
