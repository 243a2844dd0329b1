import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { CONNECTION_SYSTEMS, type ConnectionIssue } from '@switchyard/connectors/metadata';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Nodes refer to connections by id or by name, so a name must never look like an id. */
export const connectionName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'may contain letters, digits, spaces, ".", "_" and "-", starting with a letter or digit')
  .refine((v) => !UUID.test(v), 'must not look like a connection id');

export const connectionId = z.guid('must be a connection id');
const credentialValue = z.string().max(4000, 'must be at most 4000 characters');

export const createConnectionInput = z.object({
  name: connectionName,
  system: z.enum(CONNECTION_SYSTEMS),
  baseUrl: z.string().trim().max(2000),
  config: z.record(z.string(), z.unknown()).default({}),
  credentials: z.record(z.string(), credentialValue).default({}),
});

export const updateConnectionInput = z.object({
  id: connectionId,
  name: connectionName.optional(),
  baseUrl: z.string().trim().max(2000).optional(),
  /** Replaces the settings (they are shown to the editor, so it sends them whole). */
  config: z.record(z.string(), z.unknown()).optional(),
  /** Only the fields to change: a value sets it, null removes it, absent keeps the stored one. */
  credentials: z.record(z.string(), credentialValue.nullable()).optional(),
});

export const testConnectionInput = z.union([
  z.object({ id: connectionId }),
  z.object({ draft: createConnectionInput.omit({ name: true }).extend({ name: z.string().max(100).default('draft') }) }),
]);

/** Carries field issues as `cause.issues`, which the error formatter turns into `fieldErrors`. */
export class ConnectionIssuesError extends Error {
  readonly issues: Array<{ path: string[]; message: string }>;
  constructor(issues: ConnectionIssue[]) {
    super(`${issues.length} connection issue${issues.length === 1 ? '' : 's'}`);
    this.name = 'ConnectionIssuesError';
    this.issues = issues.map((i) => ({ path: i.field.split('.'), message: i.message }));
  }
}

export function invalidConnection(issues: ConnectionIssue[]): TRPCError {
  const detail = issues
    .slice(0, 10)
    .map((i) => `${i.field} ${i.message}`)
    .join('; ');
  return new TRPCError({ code: 'BAD_REQUEST', message: `The connection is invalid: ${detail}`, cause: new ConnectionIssuesError(issues) });
}
