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

export interface StepPathLike {
  nodeId: string;
  status: string;
  port: string | null;
}

/**
 * The edges the run went along: from a node that left by a port (a step with that `port`) to a
 * node that then ran. An edge whose source never left by its port, or whose target never ran, was
 * not taken, so a condition's other branch and an unused `error` port stay plain.
 */
export function takenEdgeIds(edges: readonly { id: string; source: string; sourcePort: string; target: string }[], steps: readonly StepPathLike[]): Set<string> {
  const leftBy = new Set<string>();
  const ran = new Set<string>();
  for (const step of steps) {
    ran.add(step.nodeId);
    if (step.port) leftBy.add(`${step.nodeId}\u0000${step.port}`);
  }
  return new Set(edges.filter((e) => leftBy.has(`${e.source}\u0000${e.sourcePort}`) && ran.has(e.target)).map((e) => e.id));
}

/** Bytes of a value run history did not keep (`{ $truncated: true, bytes }`, see db payload-cap.ts), else null. */
export function truncatedBytes(value: unknown): number | null {
  if (!value || typeof value !== 'object') return null;
  const { $truncated, bytes } = value as { $truncated?: unknown; bytes?: unknown };
  return $truncated === true && typeof bytes === 'number' ? bytes : null;
}

const SHOWN_HEADERS = new Set(['accept', 'accept-language', 'content-type', 'user-agent', 'cache-control']);
const SECRET_QUERY = /key|token|secret|sig|pass|auth|code|session/i;

export interface HttpRequestView {
  method: string;
  url: string;
  headers: [string, string][];
}

/**
 * The request an http.request node sends, from the pinned version's config, for the step
 * inspector: credentials in the URL, secret-looking query values and every header value that is not
 * plainly harmless are replaced by `[redacted]`, so an Authorization header or an API key in a
 * query string is never shown, whoever opens the run.
 */
export function httpRequestOf(graph: unknown, nodeId: string): HttpRequestView | null {
  const nodes = graph && typeof graph === 'object' ? (graph as { nodes?: unknown }).nodes : undefined;
  if (!Array.isArray(nodes)) return null;
  const node = nodes.find((n) => n && typeof n === 'object' && (n as { id?: unknown }).id === nodeId) as { kind?: unknown; config?: unknown } | undefined;
  if (!node || node.kind !== 'http.request' || !node.config || typeof node.config !== 'object') return null;
  const config = node.config as { method?: unknown; url?: unknown; headers?: unknown };
  const headers = config.headers && typeof config.headers === 'object' ? Object.entries(config.headers as Record<string, unknown>) : [];
  return {
    method: typeof config.method === 'string' ? config.method : 'GET',
    url: typeof config.url === 'string' ? redactUrl(config.url) : '',
    headers: headers.map(([name, value]) => [name, SHOWN_HEADERS.has(name.toLowerCase()) && typeof value === 'string' ? value : '[redacted]']),
  };
}

function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '[redacted]';
      url.password = '';
    }
    for (const name of [...url.searchParams.keys()]) if (SECRET_QUERY.test(name)) url.searchParams.set(name, '[redacted]');
    return decodeURI(url.toString());
  } catch {
    // Not an absolute URL (an expression, or relative to a connection): shown without its query.
    return raw.split('?')[0]!.replace(/\/\/[^/@]*@/, '//[redacted]@');
  }
}
