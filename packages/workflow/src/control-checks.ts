import { MAP_ITEM_PORT } from './graph';
import type { EdgeEntry, NodeEntry } from './graph-checks';
import { quoteId as quote, type IssueCollector } from './issues';
import type { NodeKindRegistry } from './kinds/contract';
import { formatPath, groupIssuesByField, parseWithPhrases } from './zod-issues';

/**
 * Rules of the control-flow kinds and of compensations, which the per-node schema cannot see:
 * a map runs exactly one body node, a join needs branches to join, a compensation must name a kind
 * that can run as an action. The engine relies on them; it still fails a run cleanly when handed an
 * unvalidated graph that breaks them.
 */
export function checkControlFlow(nodes: readonly NodeEntry[], edges: readonly EdgeEntry[], registry: NodeKindRegistry, issues: IssueCollector): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) checkCompensation(node, registry, issues);
  for (const node of nodes) {
    if (node.kind === 'map' && node.def) checkMap(node, edges, byId, issues);
    if (node.kind === 'join' && node.def) checkJoin(node, edges, byId, issues);
  }
}

function checkCompensation(entry: NodeEntry, registry: NodeKindRegistry, issues: IssueCollector): void {
  const compensation = entry.node?.compensation;
  if (!compensation) return;
  const base = `nodes[${entry.index}].compensation`;
  const label = `Node ${quote(entry.id)}`;
  const add = (path: string, message: string) => issues.add({ nodeId: entry.id, path, code: 'invalid_compensation', message: `${label}: ${message}` });

  if (entry.def?.isTrigger) {
    add(base, 'a trigger cannot declare a compensation; nothing it did can be undone');
    return;
  }
  const def = registry.get(compensation.kind);
  if (!def) {
    add(`${base}.kind`, `compensation kind ${quote(compensation.kind)} is not a known node kind`);
    return;
  }
  if (def.isTrigger || def.runsInEngine) {
    const what = def.isTrigger ? 'a trigger' : 'a control-flow kind run by the engine';
    add(`${base}.kind`, `compensation kind ${quote(compensation.kind)} (${def.displayName}) is ${what}; a compensation must be an action such as an HTTP request`);
    return;
  }
  const parsed = parseWithPhrases(def.configSchema, compensation.config);
  if (parsed.success) {
    entry.compensationConfig = parsed.data as Record<string, unknown>;
    return;
  }
  for (const problem of groupIssuesByField(parsed.error.issues)) {
    const field = formatPath('', problem.path);
    add(formatPath(`${base}.config`, problem.path), `compensation (${def.displayName}): ${field || 'config'} ${problem.phrase}`);
  }
}

function checkMap(map: NodeEntry, edges: readonly EdgeEntry[], byId: ReadonlyMap<string, NodeEntry>, issues: IssueCollector): void {
  const bodyEdges = edges.filter((e) => e.source === map.id && e.sourcePort === MAP_ITEM_PORT && e.target !== undefined && byId.has(e.target));
  const [first, ...extra] = bodyEdges;
  if (!first) {
    issues.add({
      nodeId: map.id,
      path: `nodes[${map.index}]`,
      code: 'map_body',
      message: `Map ${quote(map.id)} has no body: connect its "item" port to the node to run for each item`,
    });
    return;
  }
  for (const edge of extra) {
    issues.add({
      nodeId: map.id,
      ...edgeIdOf(edge),
      path: `edges[${edge.index}]`,
      code: 'map_body',
      message: `Map ${quote(map.id)} already runs ${quote(first.target!)} per item; its "item" port connects to exactly one node`,
    });
  }
  const body = byId.get(first.target!)!;
  const bodyLabel = `Node ${quote(body.id)}, the body of map ${quote(map.id)},`;
  if (body.def && (body.def.isTrigger || body.def.runsInEngine)) {
    issues.add({
      nodeId: body.id,
      ...edgeIdOf(first),
      path: `edges[${first.index}].target`,
      code: 'map_body',
      message: `${bodyLabel} is a ${body.def.displayName} node; a map body must be an action or data node (e.g. HTTP request, transform)`,
    });
  }
  for (const edge of edges) {
    if (edge === first || extra.includes(edge)) continue;
    if (edge.target === body.id && edge.source !== undefined && byId.has(edge.source)) {
      issues.add({
        nodeId: body.id,
        ...edgeIdOf(edge),
        path: `edges[${edge.index}]`,
        code: 'map_body',
        message: `${bodyLabel} runs only for the map's items and cannot have other incoming edges`,
      });
    }
    if (edge.source === body.id && edge.target !== undefined && byId.has(edge.target)) {
      issues.add({
        nodeId: body.id,
        ...edgeIdOf(edge),
        path: `edges[${edge.index}]`,
        code: 'map_body',
        message: `${bodyLabel} hands its results back to the map and cannot have outgoing edges; connect what follows to the map's "out" port`,
      });
    }
  }
}

function checkJoin(join: NodeEntry, edges: readonly EdgeEntry[], byId: ReadonlyMap<string, NodeEntry>, issues: IssueCollector): void {
  const sources = new Set(edges.filter((e) => e.target === join.id && e.source !== undefined && byId.has(e.source)).map((e) => e.source));
  if (sources.size >= 2) return;
  issues.add({
    nodeId: join.id,
    path: `nodes[${join.index}]`,
    code: 'join_inputs',
    message: `Join ${quote(join.id)} has ${sources.size === 0 ? 'no incoming branch' : 'one incoming branch'}; connect at least two branches to join`,
  });
}

function edgeIdOf(edge: EdgeEntry): { edgeId?: string } {
  return edge.id === undefined ? {} : { edgeId: edge.id };
}
