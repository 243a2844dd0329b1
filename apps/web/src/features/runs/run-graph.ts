/** Reading a run's pinned graph and stored errors, which arrive as untyped JSON from the database. */
export interface NodeInfo {
  label: string;
  kind: string;
}

export function nodeLabelsOf(graph: unknown): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  const nodes = graph && typeof graph === 'object' ? (graph as { nodes?: unknown }).nodes : undefined;
  if (!Array.isArray(nodes)) return out;
  for (const node of nodes) {
    if (!node || typeof node !== 'object') continue;
    const { id, label, kind } = node as { id?: unknown; label?: unknown; kind?: unknown };
    if (typeof id !== 'string') continue;
    out.set(id, { label: typeof label === 'string' && label.trim() ? label : id, kind: typeof kind === 'string' ? kind : '' });
  }
  return out;
}

/** `{ message, code }` as "code: message"; anything else as compact JSON. */
export function stepErrorMessage(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return error;
  if (typeof error === 'object') {
    const { message, code } = error as { message?: unknown; code?: unknown };
    if (typeof message === 'string') return typeof code === 'string' ? `${code}: ${message}` : message;
  }
  return JSON.stringify(error);
}

/** The run error's `nodeId`, when the engine recorded which node failed. */
export function errorNodeId(error: unknown): string | null {
  const nodeId = error && typeof error === 'object' ? (error as { nodeId?: unknown }).nodeId : undefined;
  return typeof nodeId === 'string' ? nodeId : null;
}
