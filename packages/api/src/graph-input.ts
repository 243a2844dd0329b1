import { connectorKindRegistry } from '@switchyard/connectors/metadata';
import {
  GraphSchema,
  migrateGraph,
  validateGraph,
  webhookTrigger,
  type Graph,
  type GraphIssue,
  type GraphIssueCode,
  type WebhookTriggerConfig,
} from '@switchyard/workflow';

import { contractIssues } from './ingress/contract';

/** Issues that mean the JSON is not a graph at all, as opposed to a graph that is not finished yet. */
const STRUCTURAL_CODES: ReadonlySet<GraphIssueCode> = new Set(['invalid_schema', 'unsupported_schema_version']);

export type DraftCheck = { ok: true; graph: Graph; issues: GraphIssue[] } | { ok: false; issues: GraphIssue[] };

/**
 * Drafts are work in progress: any graph that fits GraphSchema is saved, with its semantic issues
 * (unknown kind, bad config, dangling edge, …) reported alongside. Only JSON that is not a graph at
 * all is refused.
 */
export function checkDraftGraph(input: unknown): DraftCheck {
  const validation = validateGraph(input, connectorKindRegistry);
  const issues = validation.ok ? [] : validation.errors;
  // Older drafts are upgraded on the way in, so what is stored is always the current schema version.
  const parsed = GraphSchema.safeParse(migrateGraph(input));
  if (parsed.success && !issues.some((i) => STRUCTURAL_CODES.has(i.code))) return { ok: true, graph: parsed.data, issues: [...issues, ...contractIssuesOf(parsed.data)] };
  if (issues.length > 0) return { ok: false, issues };
  // validateGraph and GraphSchema disagreeing would be a bug; still answer with something the UI can show.
  return {
    ok: false,
    issues: (parsed.error?.issues ?? []).map((issue) => ({
      path: issue.path.map(String).join('.'),
      code: 'invalid_schema' as const,
      message: `${issue.path.map(String).join('.') || 'graph'}: ${issue.message}`,
    })),
  };
}

/** Validation against the node kinds this deployment can execute. */
export function checkGraph(input: unknown): { ok: true; graph: Graph } | { ok: false; issues: GraphIssue[] } {
  const result = validateGraph(input, connectorKindRegistry);
  if (!result.ok) return { ok: false, issues: result.errors };
  const contract = contractIssuesOf(result.graph);
  return contract.length > 0 ? { ok: false, issues: contract } : result;
}

/** A webhook contract must name a canonical object and versions that exist (the workflow package cannot know them). */
function contractIssuesOf(graph: Graph): GraphIssue[] {
  const index = graph.nodes.findIndex((n) => n.kind === webhookTrigger.kind);
  const node = graph.nodes[index];
  if (!node) return [];
  const contract = webhookTrigger.configSchema.safeParse(node.config).data?.contract;
  return contract ? contractIssues(contract, node.id, index) : [];
}

/** The webhook trigger's parsed config, or null when the graph starts some other way. */
export function webhookTriggerConfig(graph: Graph): WebhookTriggerConfig | null {
  const node = graph.nodes.find((n) => n.kind === webhookTrigger.kind);
  if (!node) return null;
  const parsed = webhookTrigger.configSchema.safeParse(node.config);
  return parsed.success ? parsed.data : null;
}

/** A new workflow's draft: a webhook trigger alone, on a path derived from the workflow's name. */
export function initialDraftGraph(name: string): Graph {
  const slug =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'incoming';
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: 'trigger',
        kind: webhookTrigger.kind,
        label: webhookTrigger.displayName,
        position: { x: 0, y: 0 },
        config: { ...webhookTrigger.defaultConfig, path: slug },
      },
    ],
    edges: [],
    settings: {},
  };
}
