import {
  formatPath,
  GraphSchema,
  migrateGraph,
  type Graph,
  type GraphOperation,
  type NodeKindRegistry,
  type PrimitiveGraphOperation,
} from '@switchyard/workflow';

/**
 * Reading graph JSON that comes from outside the designer (an imported file, the clipboard): it may
 * be malformed or hostile. Anything that is not a well-formed graph of kinds this deployment knows
 * is refused with every problem listed, and nothing is changed. A graph that is merely unfinished
 * (a bad config value, an unconnected node) is accepted; validation shows those as usual.
 */
export const MAX_GRAPH_FILE_BYTES = 5 * 1024 * 1024;
const MAX_PROBLEMS = 25;

export interface FileProblem {
  path: string;
  message: string;
}

export type ReadGraphResult = { ok: true; graph: Graph } | { ok: false; problems: FileProblem[] };

// Labels are shown as text everywhere (React escapes them); markup in one means the file was made to
// attack some other tool, so it is refused rather than carried into this estate.
const MARKUP = /<\s*\/?\s*[a-z!?][^>]*>?/i;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function fileTooLarge(bytes: number): FileProblem | null {
  return bytes > MAX_GRAPH_FILE_BYTES
    ? { path: '', message: `The file is ${formatBytes(bytes)}; graph files may be at most ${formatBytes(MAX_GRAPH_FILE_BYTES)}` }
    : null;
}

export function readGraphJson(text: string, registry: NodeKindRegistry): ReadGraphResult {
  const tooLarge = fileTooLarge(new Blob([text]).size);
  if (tooLarge) return { ok: false, problems: [tooLarge] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `Not JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const parsed = GraphSchema.safeParse(migrateGraph(raw));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ path: formatPath('', issue.path), message: issue.message }));
    return { ok: false, problems: cap(problems) };
  }
  const problems = structuralProblems(parsed.data, registry);
  return problems.length > 0 ? { ok: false, problems: cap(problems) } : { ok: true, graph: parsed.data };
}

function cap(problems: FileProblem[]): FileProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), { path: '', message: `…and ${problems.length - MAX_PROBLEMS} more problems` }];
}

/** What the schema cannot see: unknown kinds, repeated ids, edges to nowhere, markup in text. */
function structuralProblems(graph: Graph, registry: NodeKindRegistry): FileProblem[] {
  const problems: FileProblem[] = [];
  const nodeIds = new Set<string>();
  graph.nodes.forEach((node, i) => {
    if (nodeIds.has(node.id)) problems.push({ path: `nodes[${i}].id`, message: `Node id ${JSON.stringify(node.id)} is used twice` });
    nodeIds.add(node.id);
    if (!registry.has(node.kind)) problems.push({ path: `nodes[${i}].kind`, message: `Unknown node kind ${JSON.stringify(node.kind)}` });
    if (node.compensation && !registry.has(node.compensation.kind)) {
      problems.push({ path: `nodes[${i}].compensation.kind`, message: `Unknown compensation kind ${JSON.stringify(node.compensation.kind)}` });
    }
    if (node.label !== undefined && MARKUP.test(node.label)) {
      problems.push({ path: `nodes[${i}].label`, message: 'Contains HTML markup; labels are plain text' });
    }
  });
  const edgeIds = new Set<string>();
  graph.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) problems.push({ path: `edges[${i}].id`, message: `Edge id ${JSON.stringify(edge.id)} is used twice` });
    edgeIds.add(edge.id);
    for (const end of ['source', 'target'] as const) {
      if (!nodeIds.has(edge[end])) problems.push({ path: `edges[${i}].${end}`, message: `Refers to node ${JSON.stringify(edge[end])}, which is not in the file` });
    }
  });
  if (graph.settings.description !== undefined && MARKUP.test(graph.settings.description)) {
    problems.push({ path: 'settings.description', message: 'Contains HTML markup; descriptions are plain text' });
  }
  return problems;
}

/** Replacing the whole graph as one undoable batch (import, "load this version into the draft"). */
export function replaceGraphOperation(current: Graph, next: Graph): GraphOperation {
  const operations: PrimitiveGraphOperation[] = [];
  if (current.edges.length > 0) operations.push({ type: 'removeEdges', edgeIds: current.edges.map((e) => e.id) });
  if (current.nodes.length > 0) operations.push({ type: 'removeNodes', nodeIds: current.nodes.map((n) => n.id) });
  operations.push({ type: 'updateSettings', settings: next.settings });
  operations.push({ type: 'paste', nodes: next.nodes, edges: next.edges });
  return { type: 'batch', operations };
}

/** The draft as a file: pretty JSON, pins included (they are part of the draft). */
export function graphFileText(graph: Graph): string {
  return `${JSON.stringify(graph, null, 2)}\n`;
}

export function graphFileName(workflowName: string): string {
  const slug = workflowName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'workflow'}.switchyard.json`;
}
