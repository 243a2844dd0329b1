import { builtinRegistry, DEFAULT_OUTPUT_PORT, type Graph, type GraphNode } from '@switchyard/workflow';
import type { Activation, RunState, StepError, WaitRegistration } from './ports';

/** Lookups the interpreter needs on every step, built once per executeRun call. */
export interface GraphIndex {
  node(id: string): GraphNode | undefined;
  /** Targets of the edges leaving `nodeId` by `port`, in graph order (keeps scheduling deterministic). */
  targets(nodeId: string, port: string): string[];
  /** Distinct source nodes of the edges entering `nodeId`, in graph order: the branches a join waits for. */
  sources(nodeId: string): string[];
  /** Position in a topological order (nodes on a cycle of an unvalidated graph come last). */
  order(nodeId: string): number;
}

export function indexGraph(graph: Graph): GraphIndex {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = new Map<string, string[]>();
  const sources = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const key = portKey(edge.source, edge.sourcePort ?? DEFAULT_OUTPUT_PORT);
    const list = edges.get(key);
    if (list) list.push(edge.target);
    else edges.set(key, [edge.target]);
    const into = sources.get(edge.target) ?? [];
    if (!into.includes(edge.source)) into.push(edge.source);
    sources.set(edge.target, into);
  }
  const order = topologicalOrder(graph);
  return {
    node: (id) => nodes.get(id),
    targets: (nodeId, port) => edges.get(portKey(nodeId, port)) ?? [],
    sources: (nodeId) => sources.get(nodeId) ?? [],
    order: (nodeId) => order.get(nodeId) ?? Number.MAX_SAFE_INTEGER,
  };
}

/** Kahn's algorithm in graph order; whatever a cycle keeps back is appended in graph order. */
function topologicalOrder(graph: Graph): Map<string, number> {
  const indegree = new Map(graph.nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!indegree.has(e.source) || !indegree.has(e.target)) continue;
    indegree.set(e.target, indegree.get(e.target)! + 1);
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  }
  const order = new Map<string, number>();
  const queue = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.set(id, order.size);
    for (const target of out.get(id) ?? []) {
      const left = indegree.get(target)! - 1;
      indegree.set(target, left);
      if (left === 0) queue.push(target);
    }
  }
  for (const n of graph.nodes) if (!order.has(n.id)) order.set(n.id, order.size);
  return order;
}

function portKey(nodeId: string, port: string): string {
  // JSON keeps ids and ports unambiguous whatever characters a port name contains.
  return JSON.stringify([nodeId, port]);
}

export function isTriggerKind(kind: string): boolean {
  return builtinRegistry.get(kind)?.isTrigger ?? kind.startsWith('trigger.');
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

/**
 * Delivers `output` along every edge leaving `nodeId` by `port`: a new activation per ordinary target,
 * an arrival in the buffer of a join target (which activates once every branch has delivered).
 * Returns how many edges were followed.
 */
export function scheduleSuccessors(state: RunState, graph: GraphIndex, nodeId: string, port: string, output: unknown): number {
  const targets = graph.targets(nodeId, port);
  for (const target of targets) {
    if (graph.node(target)?.kind === 'join') arriveAtJoin(state, graph, target, nodeId, output);
    else state.pending.push({ id: mintActivationId(state), nodeId: target, input: output, attempt: 1 });
  }
  return targets.length;
}

/**
 * Each join buffers arrivals per source node (FIFO, so a source activated twice feeds two waves) and
 * fires as soon as every source it has an edge from has delivered, consuming one arrival from each.
 */
function arriveAtJoin(state: RunState, graph: GraphIndex, joinId: string, sourceId: string, output: unknown): void {
  const joins = (state.joins ??= {});
  const buffer = (joins[joinId] ??= {});
  (buffer[sourceId] ??= []).push(output);
  const sources = graph.sources(joinId);
  if (sources.every((s) => (buffer[s]?.length ?? 0) > 0)) fireJoin(state, joinId, sources);
}

function fireJoin(state: RunState, joinId: string, sources: readonly string[]): void {
  const buffer = state.joins?.[joinId] ?? {};
  const input: Record<string, unknown> = {};
  for (const source of sources) {
    const queue = buffer[source];
    if (!queue || queue.length === 0) continue;
    input[source] = queue.shift();
    if (queue.length === 0) delete buffer[source];
  }
  if (Object.keys(buffer).length === 0) delete state.joins![joinId];
  if (state.joins && Object.keys(state.joins).length === 0) delete state.joins;
  state.pending.push({ id: mintActivationId(state), nodeId: joinId, input, attempt: 1 });
}

/**
 * When nothing else can run, a branch that has not reached a join never will (its source took another
 * port or ended): the upstream-most waiting join fires with the branches that did arrive. Upstream
 * first, because firing it may still feed a join further down. Returns whether one fired.
 */
export function releasePartialJoin(state: RunState, graph: GraphIndex): boolean {
  const waiting = Object.keys(state.joins ?? {}).sort((a, b) => graph.order(a) - graph.order(b));
  const [first] = waiting;
  if (first === undefined) return false;
  fireJoin(state, first, Object.keys(state.joins![first]!));
  return true;
}

/** An undelivered wait is due only at its timeout; everything else at `notBefore`. */
export function isDue(activation: Activation, now: number): boolean {
  const wait = activation.wait;
  if (wait && !wait.delivered) return wait.timeoutAt !== undefined && wait.timeoutAt <= now;
  return activation.notBefore === undefined || activation.notBefore <= now;
}

/**
 * FIFO over the activations that are due. A waiting retry or delay on one branch therefore does not
 * hold up a parallel branch that could run now.
 */
export function firstDue(state: RunState, now: number): Activation | undefined {
  return state.pending.find((a) => isDue(a, now));
}

/** When the earliest pending activation becomes due: undefined when only an event can wake the run. */
export function earliestWake(state: RunState, now: number): number | undefined {
  let earliest = Number.POSITIVE_INFINITY;
  for (const a of state.pending) {
    const wait = a.wait;
    const at = wait && !wait.delivered ? wait.timeoutAt : (a.notBefore ?? now);
    if (at !== undefined) earliest = Math.min(earliest, at);
  }
  return Number.isFinite(earliest) ? earliest : undefined;
}

export function openWaits(state: RunState): WaitRegistration[] {
  const waits: WaitRegistration[] = [];
  for (const a of state.pending) {
    if (!a.wait || a.wait.delivered) continue;
    const registration: WaitRegistration = { activationId: a.id, nodeId: a.nodeId, kind: a.wait.kind, key: a.wait.key };
    if (a.wait.timeoutAt !== undefined) registration.timeoutAt = a.wait.timeoutAt;
    waits.push(registration);
  }
  return waits;
}

export function removeActivation(state: RunState, activationId: string): void {
  state.pending = state.pending.filter((a) => a.id !== activationId);
}
