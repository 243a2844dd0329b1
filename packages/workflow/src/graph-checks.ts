import { ERROR_PORT, type GraphEdge, type GraphNode } from './graph';
import { quoteId as quote, type IssueCollector } from './issues';
import { outputPortsOf, type NodeKindDefinition, type NodeKindRegistry } from './kinds/contract';
import { buildAdjacency, describeCycle, findBackEdges, reachableFrom, type TopologyEdge } from './topology';

/** A node as far as it could be read: enough (id + kind) to take part in the graph checks. */
export interface NodeEntry {
  index: number;
  id: string;
  kind: string;
  def: NodeKindDefinition<unknown> | undefined;
  /** Present when the node matched GraphNodeSchema. */
  node?: GraphNode;
  configValid: boolean;
  /** The config as parsed by the kind's schema, when valid. */
  config?: unknown;
  /** The compensation's config as parsed by its kind's schema, when valid. */
  compensationConfig?: Record<string, unknown>;
}

export interface EdgeEntry {
  index: number;
  id: string | undefined;
  source: string | undefined;
  target: string | undefined;
  sourcePort: string;
  /** Present when the edge matched GraphEdgeSchema. */
  edge?: GraphEdge;
}

/** Ports an edge may leave `def` by; undefined when they cannot be known (dynamic ports, bad config). */
export function allowedSourcePorts(def: NodeKindDefinition<unknown>, config: unknown, configValid: boolean): string[] | undefined {
  if (typeof def.outputs === 'function' && !configValid) return undefined;
  const ports = outputPortsOf(def, config);
  return ports.includes(ERROR_PORT) ? [...ports] : [...ports, ERROR_PORT];
}

/** Trigger kinds of the registry, for "add a trigger (…)" hints. */
export function triggerKindNames(registry: NodeKindRegistry): string {
  return [...registry.values()]
    .filter((d) => d.isTrigger)
    .map((d) => d.displayName)
    .join(', ');
}

function checkIds(nodes: readonly NodeEntry[], edges: readonly EdgeEntry[], issues: IssueCollector): Map<string, NodeEntry> {
  const byId = new Map<string, NodeEntry>();
  for (const node of nodes) {
    const first = byId.get(node.id);
    if (!first) {
      byId.set(node.id, node);
      continue;
    }
    issues.add({
      nodeId: node.id,
      path: `nodes[${node.index}].id`,
      code: 'duplicate_node_id',
      message: `Node id ${quote(node.id)} is used by nodes[${first.index}] and nodes[${node.index}]; node ids must be unique`,
    });
  }
  const edgeIndexById = new Map<string, number>();
  for (const edge of edges) {
    if (edge.id === undefined) continue;
    const first = edgeIndexById.get(edge.id);
    if (first === undefined) {
      edgeIndexById.set(edge.id, edge.index);
      continue;
    }
    issues.add({
      edgeId: edge.id,
      path: `edges[${edge.index}].id`,
      code: 'duplicate_edge_id',
      message: `Edge id ${quote(edge.id)} is used by edges[${first}] and edges[${edge.index}]; edge ids must be unique`,
    });
  }
  return byId;
}

/** Per-edge checks; returns the edges whose both ends exist, for the topology checks. */
function checkEdges(edges: readonly EdgeEntry[], byId: ReadonlyMap<string, NodeEntry>, issues: IssueCollector): TopologyEdge[] {
  const connected: TopologyEdge[] = [];
  const connections = new Map<string, number>();
  for (const edge of edges) {
    const base = `edges[${edge.index}]`;
    const label = edge.id === undefined ? base : `Edge ${quote(edge.id)}`;
    const edgeId = edge.id;
    const source = edge.source === undefined ? undefined : byId.get(edge.source);
    const target = edge.target === undefined ? undefined : byId.get(edge.target);
    for (const [end, id, node] of [['source', edge.source, source], ['target', edge.target, target]] as const) {
      if (id !== undefined && !node) {
        issues.add({ edgeId, path: `${base}.${end}`, code: 'dangling_edge', message: `${label}: ${end} node ${quote(id)} does not exist` });
      }
    }
    if (source?.def) {
      const ports = allowedSourcePorts(source.def, source.config, source.configValid);
      if (ports && !ports.includes(edge.sourcePort)) {
        issues.add({
          edgeId,
          nodeId: source.id,
          path: `${base}.sourcePort`,
          code: 'unknown_port',
          message: `${label}: node ${quote(source.id)} (${source.def.displayName}) has no output port ${quote(edge.sourcePort)}; its ports are ${ports.join(', ')}`,
        });
      }
    }
    if (target?.def?.isTrigger) {
      issues.add({
        edgeId,
        nodeId: target.id,
        path: `${base}.target`,
        code: 'edge_into_trigger',
        message: `${label}: node ${quote(target.id)} is a trigger; triggers start a run and cannot have incoming edges`,
      });
    }
    if (!source || !target) continue;
    const key = JSON.stringify([source.id, edge.sourcePort, target.id]);
    const first = connections.get(key);
    if (first !== undefined) {
      issues.add({
        edgeId,
        path: base,
        code: 'duplicate_edge',
        message: `${label} repeats edges[${first}]: ${quote(source.id)} port ${quote(edge.sourcePort)} → ${quote(target.id)} is already connected`,
      });
    } else connections.set(key, edge.index);
    connected.push({ id: String(edge.index), source: source.id, target: target.id });
  }
  return connected;
}

/**
 * The checks that need the whole graph: ids, edge ends and ports, exactly one trigger,
 * reachability from it, and cycles (the interpreter runs DAGs).
 */
export function checkGraphStructure(
  nodes: readonly NodeEntry[],
  edges: readonly EdgeEntry[],
  registry: NodeKindRegistry,
  issues: IssueCollector,
): void {
  const byId = checkIds(nodes, edges, issues);
  const connected = checkEdges(edges, byId, issues);

  const triggers = [...byId.values()].filter((n) => n.def?.isTrigger);
  if (triggers.length === 0) {
    issues.add({
      path: 'nodes',
      code: 'no_trigger',
      message: `The graph has no trigger; add exactly one trigger node (${triggerKindNames(registry)})`,
    });
  } else if (triggers.length > 1) {
    const names = triggers.map((t) => quote(t.id)).join(', ');
    for (const trigger of triggers) {
      issues.add({
        nodeId: trigger.id,
        path: `nodes[${trigger.index}]`,
        code: 'multiple_triggers',
        message: `Node ${quote(trigger.id)} is one of ${triggers.length} triggers (${names}); a graph has exactly one trigger`,
      });
    }
  }

  const adjacency = buildAdjacency(byId.keys(), connected);
  if (triggers.length > 0) {
    const reached = reachableFrom(adjacency, triggers.map((t) => t.id));
    for (const node of byId.values()) {
      if (reached.has(node.id)) continue;
      issues.add({
        nodeId: node.id,
        path: `nodes[${node.index}]`,
        code: 'unreachable_node',
        message: `Node ${quote(node.id)} is not reachable from the trigger; connect it or remove it`,
      });
    }
  }

  // Topology edge ids are edge indices: report cycles in the order of the edges array.
  const backEdges = findBackEdges(adjacency).sort((a, b) => Number(a.edge.id) - Number(b.edge.id));
  for (const { edge, cycle } of backEdges) {
    const entry = edges[Number(edge.id)];
    const label = entry?.id === undefined ? `edges[${edge.id}]` : `Edge ${quote(entry.id)}`;
    issues.add({
      edgeId: entry?.id,
      nodeId: edge.target,
      path: `edges[${edge.id}]`,
      code: 'cycle',
      message: `${label} closes a cycle: ${describeCycle(cycle)}; workflows cannot loop back to an earlier node`,
    });
  }
}
