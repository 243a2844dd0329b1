import { connectorKindRegistry } from '@switchyard/connectors/metadata';
import { ERROR_PORT, listNodeKinds, outputPortsOf, type GraphEdge, type GraphNode, type NodeKindMetadata, type NodeKindRegistry } from '@switchyard/workflow';

/**
 * The kinds this deployment can execute, from the connectors' browser-safe metadata entry (never
 * the executors). Computed once: JSON Schema generation is not free and the registry is static.
 */
export const registry: NodeKindRegistry = connectorKindRegistry;
export const kindList: readonly NodeKindMetadata[] = listNodeKinds(registry);
export const kindsByName: ReadonlyMap<string, NodeKindMetadata> = new Map(kindList.map((k) => [k.kind, k]));

/**
 * Output ports a node offers, matching canConnect: the kind's ports for its current config plus
 * `error`, which every node has. Unknown kinds keep the ports their edges use, so those still render.
 */
export function portsOf(node: GraphNode, edges: readonly GraphEdge[]): string[] {
  const def = registry.get(node.kind);
  if (!def) {
    const used = edges.filter((e) => e.source === node.id).map((e) => e.sourcePort);
    return [...new Set(['out', ...used])];
  }
  const parsed = def.configSchema.safeParse(node.config);
  const ports = [...outputPortsOf(def, parsed.success ? parsed.data : def.defaultConfig)];
  return ports.includes(ERROR_PORT) ? ports : [...ports, ERROR_PORT];
}
