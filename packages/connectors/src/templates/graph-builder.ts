import type { Compensation, Graph, GraphEdge, GraphNode, NodePolicy } from '@switchyard/workflow';

/**
 * A small builder for template graphs: nodes are laid out left to right in the order they are added
 * (branches one row down), edges are named after their ends, so the JSON reads well in the designer.
 */
export class TemplateGraph {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private column = 0;

  constructor(private readonly description: string) {}

  node(
    id: string,
    kind: string,
    config: Record<string, unknown>,
    options: { label?: string; row?: number; policy?: NodePolicy; compensation?: Compensation } = {},
  ): this {
    const row = options.row ?? 0;
    this.nodes.push({
      id,
      kind,
      config,
      position: { x: (row === 0 ? this.column++ : Math.max(0, this.column - 1)) * 260, y: row * 160 },
      ...(options.label ? { label: options.label } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.compensation ? { compensation: options.compensation } : {}),
    });
    return this;
  }

  edge(source: string, target: string, sourcePort = 'out'): this {
    this.edges.push({ id: `${source}-${sourcePort}-${target}`.slice(0, 64), source, sourcePort, target });
    return this;
  }

  /** Connects each node to the next through `out`. */
  chain(...ids: string[]): this {
    for (let i = 1; i < ids.length; i++) this.edge(ids[i - 1] as string, ids[i] as string);
    return this;
  }

  build(): Graph {
    return { schemaVersion: 1, nodes: this.nodes, edges: this.edges, settings: { description: this.description } };
  }
}

/** Retries for calls to an ERP: throttling, lost answers and 5xx are ridden out, Retry-After honoured. */
export const ERP_CALL_POLICY: NodePolicy = {
  retry: { maxAttempts: 10, initialDelayMs: 250, backoffFactor: 2, maxDelayMs: 10_000, jitter: 0.2 },
  timeoutMs: 30_000,
};
