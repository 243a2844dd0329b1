/** Structured validation findings, shown on the designer's nodes/edges and returned by the API. */

export const GRAPH_ISSUE_CODES = [
  'invalid_schema',
  'unsupported_schema_version',
  'unknown_kind',
  'invalid_config',
  'duplicate_node_id',
  'duplicate_edge_id',
  'dangling_edge',
  'unknown_port',
  'duplicate_edge',
  'edge_into_trigger',
  'no_trigger',
  'multiple_triggers',
  'unreachable_node',
  'cycle',
  'invalid_compensation',
  'map_body',
  'join_inputs',
  'too_many_issues',
] as const;

export type GraphIssueCode = (typeof GRAPH_ISSUE_CODES)[number];

export interface GraphIssue {
  nodeId?: string;
  edgeId?: string;
  /** Where in the graph JSON, e.g. `nodes[2].config.url`; `''` for the graph itself. */
  path: string;
  code: GraphIssueCode;
  /** Human text naming the field and what is wrong with it. */
  message: string;
}

/**
 * A hostile graph can produce an issue per element; past this many the rest are summarised in
 * one `too_many_issues` entry so that responses stay small.
 */
export const MAX_REPORTED_ISSUES = 200;

/** Ids are echoed into messages; a hostile megabyte-long id must not be. */
export function quoteId(id: string): string {
  return JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id);
}

export class IssueCollector {
  private readonly list: GraphIssue[] = [];
  private dropped = 0;

  add(issue: GraphIssue): void {
    if (this.list.length >= MAX_REPORTED_ISSUES) {
      this.dropped++;
      return;
    }
    // Leave out absent ids rather than carrying `nodeId: undefined` keys into JSON and tests.
    const { nodeId, edgeId, ...rest } = issue;
    this.list.push({ ...(nodeId === undefined ? {} : { nodeId }), ...(edgeId === undefined ? {} : { edgeId }), ...rest });
  }

  get count(): number {
    return this.list.length + this.dropped;
  }

  result(): GraphIssue[] {
    if (this.dropped === 0) return [...this.list];
    return [
      ...this.list,
      {
        path: '',
        code: 'too_many_issues',
        message: `${this.dropped} more issues were found and not listed; fix the ones above first`,
      },
    ];
  }
}
