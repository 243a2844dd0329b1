import { CURRENT_SCHEMA_VERSION, DEFAULT_OUTPUT_PORT, type Compensation, type Graph, type GraphEdge, type GraphNode, type GraphSettings, type NodePolicy, type Position } from '../graph';

export interface BuilderNodeOptions {
  label?: string;
  position?: Position;
  policy?: NodePolicy;
  compensation?: Compensation;
}

/**
 * Fluent builder for graph fixtures in tests, seeds and demos:
 * `graph().node('t', 'trigger.webhook', { path: 'x' }).node('a', 'transform', { expression: '$' }).edge('t', 'a').build()`.
 * It does not validate (tests need invalid graphs too); pass the result to validateGraph for that.
 */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private graphSettings: GraphSettings = {};

  /** Adds a node; positions default to a left-to-right row so fixtures render legibly on the canvas. */
  node(id: string, kind: string, config: Record<string, unknown> = {}, options: BuilderNodeOptions = {}): this {
    this.nodes.push({
      id,
      kind,
      ...(options.label === undefined ? {} : { label: options.label }),
      position: options.position ?? { x: this.nodes.length * 240, y: 0 },
      config,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      ...(options.compensation === undefined ? {} : { compensation: options.compensation }),
    });
    return this;
  }

  /** Adds an edge; its id defaults to `source-target` (with the port when not `out`), made unique. */
  edge(source: string, target: string, sourcePort: string = DEFAULT_OUTPUT_PORT, id?: string): this {
    const base = (sourcePort === DEFAULT_OUTPUT_PORT ? `${source}-${target}` : `${source}-${sourcePort}-${target}`).replace(
      /[^A-Za-z0-9_-]/g,
      '_',
    );
    let edgeId = id ?? base;
    for (let n = 2; id === undefined && this.edges.some((e) => e.id === edgeId); n++) edgeId = `${base}-${n}`;
    this.edges.push({ id: edgeId, source, sourcePort, target });
    return this;
  }

  settings(settings: GraphSettings): this {
    this.graphSettings = settings;
    return this;
  }

  /** A fresh deep copy each call, so one builder can seed several tests without shared state. */
  build(): Graph {
    return structuredClone({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      nodes: this.nodes,
      edges: this.edges,
      settings: this.graphSettings,
    });
  }
}

export function graph(): GraphBuilder {
  return new GraphBuilder();
}
