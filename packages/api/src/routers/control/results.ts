import { TRPCError } from '@trpc/server';

/**
 * Maps the plain results of the db's control functions to tRPC errors: `not_found` → NOT_FOUND,
 * `refused` → CONFLICT with the db's message, `invalid` → BAD_REQUEST whose cause carries the field
 * errors (the error formatter turns `issues` into `data.fieldErrors`).
 */

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `rateLimits["erp"].capacity`. */
  path: string;
  message: string;
}

/** Shaped like a zod error (an `issues` array) so fieldErrorsOf reports each field. */
export class InputIssuesError extends Error {
  readonly issues: { path: string[]; message: string }[];
  constructor(issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; '));
    this.name = 'InputIssuesError';
    this.issues = issues.map((i) => ({ path: i.path ? [i.path] : [], message: i.message }));
  }
}

export function invalidInput(what: string, issues: FieldIssue[]): TRPCError {
  const cause = new InputIssuesError(issues);
  return new TRPCError({ code: 'BAD_REQUEST', message: `${what}: ${cause.message}`, cause });
}

export function refused(message: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message });
}

export function missing(message: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message });
}
