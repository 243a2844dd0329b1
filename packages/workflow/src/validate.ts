import {
  CURRENT_SCHEMA_VERSION,
  DEFAULT_OUTPUT_PORT,
  GraphEdgeSchema,
  GraphNodeSchema,
  GraphSettingsSchema,
  MAX_EDGES,
  MAX_NODES,
  type Graph,
  type GraphEdge,
  type GraphNode,
} from './graph';
import { checkGraphStructure, type EdgeEntry, type NodeEntry } from './graph-checks';
import { IssueCollector, quoteId, type GraphIssue } from './issues';
import { builtinRegistry } from './kinds/control';
import { checkControlFlow } from './control-checks';
import { type NodeKindRegistry } from './kinds/contract';
import { migrateGraph } from './migrations';
import { describeValue, formatPath, groupIssuesByField, parseWithPhrases } from './zod-issues';
import type { z } from 'zod';

export type ValidateGraphResult = { ok: true; graph: Graph } | { ok: false; errors: GraphIssue[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An id usable as `nodeId`/`edgeId` on an issue (the designer looks nodes up by it). */
function issueId(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

function addSchemaIssues(
  issues: IssueCollector,
  base: string,
  zodIssues: readonly z.core.$ZodIssue[],
  ids: { nodeId?: string; edgeId?: string },
): void {
  for (const problem of groupIssuesByField(zodIssues)) {
    const path = formatPath(base, problem.path);
    issues.add({ ...ids, path, code: 'invalid_schema', message: `${path || 'graph'} ${problem.phrase}` });
  }
}

function readNodes(rawNodes: readonly unknown[], registry: NodeKindRegistry, issues: IssueCollector): NodeEntry[] {
  const entries: NodeEntry[] = [];
  rawNodes.forEach((raw, index) => {
    const base = `nodes[${index}]`;
    const nodeId = isRecord(raw) ? issueId(raw.id) : undefined;
    const parsed = parseWithPhrases(GraphNodeSchema, raw);
    if (!parsed.success) addSchemaIssues(issues, base, parsed.error.issues, { nodeId });
    // A node whose shape is wrong still takes part in the graph checks when it has an id and a
    // kind, so that one bad field does not also produce "dangling edge" noise for its edges.
    const id = parsed.success ? parsed.data.id : isRecord(raw) && typeof raw.id === 'string' ? raw.id : undefined;
    const kind = parsed.success ? parsed.data.kind : isRecord(raw) && typeof raw.kind === 'string' ? raw.kind : undefined;
    if (id === undefined || kind === undefined) return;

    const def = registry.get(kind);
    const entry: NodeEntry = { index, id, kind, def, node: parsed.success ? parsed.data : undefined, configValid: false };
    entries.push(entry);
    const label = `Node ${quoteId(id)}`;
    if (!def) {
      const known = [...registry.keys()].slice(0, 30).join(', ');
      issues.add({
        nodeId,
        path: `${base}.kind`,
        code: 'unknown_kind',
        message: `${label}: kind ${quoteId(kind)} is not a known node kind (known: ${known})`,
      });
      return;
    }
    if (!entry.node) return;
    const config = parseWithPhrases(def.configSchema, entry.node.config);
    if (config.success) {
      entry.configValid = true;
      entry.config = config.data;
      return;
    }
    for (const problem of groupIssuesByField(config.error.issues)) {
      const field = formatPath('', problem.path);
      issues.add({
        nodeId,
        path: formatPath(`${base}.config`, problem.path),
        code: 'invalid_config',
        message: `${label} (${def.displayName}): ${field || 'config'} ${problem.phrase}`,
      });
    }
  });
  return entries;
}

function readEdges(rawEdges: readonly unknown[], issues: IssueCollector): EdgeEntry[] {
  return rawEdges.map((raw, index) => {
    const parsed = parseWithPhrases(GraphEdgeSchema, raw);
    if (parsed.success) {
      const { id, source, target, sourcePort } = parsed.data;
      return { index, id, source, target, sourcePort, edge: parsed.data };
    }
    const r = isRecord(raw) ? raw : {};
    addSchemaIssues(issues, `edges[${index}]`, parsed.error.issues, { edgeId: issueId(r.id) });
    return {
      index,
      id: typeof r.id === 'string' ? r.id : undefined,
      source: typeof r.source === 'string' ? r.source : undefined,
      target: typeof r.target === 'string' ? r.target : undefined,
      sourcePort: typeof r.sourcePort === 'string' ? r.sourcePort : DEFAULT_OUTPUT_PORT,
    };
  });
}

/** Reads `key` as an array no longer than `max`, reporting why not otherwise. */
function readList(graph: Record<string, unknown>, key: string, max: number, issues: IssueCollector): unknown[] | undefined {
  const value = graph[key];
  if (!Array.isArray(value)) {
    const problem = value === undefined ? 'is required (an array)' : `must be an array, received ${describeValue(value)}`;
    issues.add({ path: key, code: 'invalid_schema', message: `${key} ${problem}` });
    return undefined;
  }
  if (value.length > max) {
    issues.add({
      path: key,
      code: 'invalid_schema',
      message: `${key} has ${value.length} entries; at most ${max} are allowed`,
    });
    return undefined;
  }
  return value;
}

function validateMigrated(input: unknown, registry: NodeKindRegistry): ValidateGraphResult {
  const issues = new IssueCollector();
  if (!isRecord(input)) {
    issues.add({
      path: '',
      code: 'invalid_schema',
      message: `graph must be an object with schemaVersion, nodes, edges and settings, received ${describeValue(input)}`,
    });
    return { ok: false, errors: issues.result() };
  }
  const version = input.schemaVersion;
  if (version !== CURRENT_SCHEMA_VERSION) {
    // A graph from a newer release may be shaped differently; checking further would only add noise.
    issues.add({
      path: 'schemaVersion',
      code: 'unsupported_schema_version',
      message:
        typeof version === 'number'
          ? `schemaVersion ${version} is not supported; this release reads version ${CURRENT_SCHEMA_VERSION} and migrates older graphs`
          : `schemaVersion must be the number ${CURRENT_SCHEMA_VERSION}, received ${describeValue(version)}`,
    });
    return { ok: false, errors: issues.result() };
  }

  const settings = parseWithPhrases(GraphSettingsSchema, input.settings);
  if (!settings.success) addSchemaIssues(issues, 'settings', settings.error.issues, {});
  const rawNodes = readList(input, 'nodes', MAX_NODES, issues);
  const rawEdges = readList(input, 'edges', MAX_EDGES, issues);
  if (!rawNodes || !rawEdges) return { ok: false, errors: issues.result() };

  const nodes = readNodes(rawNodes, registry, issues);
  const edges = readEdges(rawEdges, issues);
  checkGraphStructure(nodes, edges, registry, issues);
  checkControlFlow(nodes, edges, registry, issues);

  if (issues.count > 0 || !settings.success) return { ok: false, errors: issues.result() };
  // No issues means every node and edge parsed and every config matched its kind's schema.
  const graphNodes: GraphNode[] = nodes.map((n) => {
    const node: GraphNode = { ...n.node!, config: n.config as GraphNode['config'] };
    if (node.compensation && n.compensationConfig) node.compensation = { ...node.compensation, config: n.compensationConfig };
    return node;
  });
  const graphEdges: GraphEdge[] = edges.map((e) => e.edge!);
  return {
    ok: true,
    graph: { schemaVersion: CURRENT_SCHEMA_VERSION, nodes: graphNodes, edges: graphEdges, settings: settings.data },
  };
}

/**
 * Migrates and validates untrusted graph JSON. Collects every issue instead of stopping at the
 * first, never throws, and when valid returns the parsed graph (defaults applied, each node's config
 * parsed by its kind's schema).
 */
export function validateGraph(input: unknown, registry: NodeKindRegistry = builtinRegistry): ValidateGraphResult {
  try {
    return validateMigrated(migrateGraph(input), registry);
  } catch (error) {
    // Only reachable with exotic input (throwing getters, proxies, revoked objects).
    return {
      ok: false,
      errors: [
        {
          path: '',
          code: 'invalid_schema',
          message: `graph could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`,
        },
      ],
    };
  }
}
