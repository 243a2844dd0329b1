import { TRPCError } from '@trpc/server';
import type { GraphIssue } from '@switchyard/workflow';

/**
 * Carried as the `cause` of a TRPCError so the error formatter can hand the structured list to the
 * designer (which marks the offending nodes and edges) instead of flattening it into a message.
 */
export class GraphIssuesError extends Error {
  constructor(readonly issues: GraphIssue[]) {
    super(`${issues.length} graph issue${issues.length === 1 ? '' : 's'}`);
    this.name = 'GraphIssuesError';
  }
}

export function graphIssuesError(message: string, issues: GraphIssue[]): TRPCError {
  const first = issues[0];
  const detail = first ? `: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : '';
  return new TRPCError({ code: 'BAD_REQUEST', message: `${message}${detail}`, cause: new GraphIssuesError(issues) });
}

/** A cause naming the input field at fault, so a form can show a CONFLICT (duplicate name, taken path) beside it. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

export function fieldConflict(field: string, message: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message: `${field}: ${message}`, cause: new FieldError(field, message) });
}

interface SchemaIssueLike {
  path?: readonly (PropertyKey | { key: PropertyKey })[];
  message: string;
}

function issuesOf(cause: unknown): readonly SchemaIssueLike[] | null {
  // Matches zod's ZodError and tRPC's StandardSchemaV1Error alike: both carry `issues`.
  if (typeof cause !== 'object' || cause === null || !('issues' in cause)) return null;
  const issues = (cause as { issues: unknown }).issues;
  return Array.isArray(issues) ? (issues as SchemaIssueLike[]) : null;
}

/**
 * Input validation failures as `{ "graph.nodes[0].id": ["may contain only …"] }`: the dotted path is
 * what a form needs to put the message beside the right field. `""` holds errors about the input as a whole.
 */
export function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof FieldError) return { [cause.field]: [cause.message] };
  const issues = issuesOf(cause);
  if (!issues) return null;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = (issue.path ?? [])
      .map((segment) => (typeof segment === 'object' ? segment.key : segment))
      .reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

export function notFound(what: string, id: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} ${JSON.stringify(id)} was not found in this tenant` });
}
