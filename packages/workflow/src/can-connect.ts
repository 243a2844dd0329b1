import { type Graph } from './graph';
import { allowedSourcePorts } from './graph-checks';
import { quoteId } from './issues';
import { type NodeKindRegistry } from './kinds/contract';
import { buildAdjacency, describeCycle, findPath } from './topology';

export interface ConnectionRequest {
  source: string;
  sourcePort: string;
  target: string;
}

export type CanConnectResult = { ok: true } | { ok: false; reason: string };

/**
 * The designer asks this while the user drags a connection (React Flow's isValidConnection), so a
 * forbidden edge is refused with a reason instead of being drawn and then flagged by validation.
 * The rules mirror validateGraph's edge checks.
 */
export function canConnect(graph: Graph, registry: NodeKindRegistry, request: ConnectionRequest): CanConnectResult {
  const { source, sourcePort, target } = request;
  const sourceNode = graph.nodes.find((n) => n.id === source);
  const targetNode = graph.nodes.find((n) => n.id === target);
  if (!sourceNode) return { ok: false, reason: `Source node ${quoteId(source)} does not exist` };
  if (!targetNode) return { ok: false, reason: `Target node ${quoteId(target)} does not exist` };
  if (source === target) return { ok: false, reason: 'A node cannot be connected to itself' };

  const targetDef = registry.get(targetNode.kind);
  if (targetDef?.isTrigger) {
    return { ok: false, reason: `${targetDef.displayName} ${quoteId(target)} is a trigger; triggers cannot have incoming connections` };
  }
  const sourceDef = registry.get(sourceNode.kind);
  if (!sourceDef) return { ok: false, reason: `Node ${quoteId(source)} has unknown kind ${quoteId(sourceNode.kind)}` };
  const parsed = sourceDef.configSchema.safeParse(sourceNode.config);
  const ports = allowedSourcePorts(sourceDef, parsed.data, parsed.success);
  if (ports && !ports.includes(sourcePort)) {
    return {
      ok: false,
      reason: `${sourceDef.displayName} ${quoteId(source)} has no output port ${quoteId(sourcePort)} (ports: ${ports.join(', ')})`,
    };
  }

  if (graph.edges.some((e) => e.source === source && e.sourcePort === sourcePort && e.target === target)) {
    return { ok: false, reason: `Port ${quoteId(sourcePort)} of ${quoteId(source)} is already connected to ${quoteId(target)}` };
  }
  // The new edge closes a cycle exactly when the target already reaches the source.
  const path = findPath(buildAdjacency(graph.nodes.map((n) => n.id), graph.edges), target, source);
  if (path) return { ok: false, reason: `Connecting would create a cycle: ${describeCycle([source, ...path])}` };
  return { ok: true };
}
