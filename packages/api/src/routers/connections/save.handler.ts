import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { checkConnection, connectionSystems, isConnectionSystem } from '@switchyard/connectors/metadata';
import { createConnection, getConnection, resolveConnection, updateConnection, type ConnectionWriteResult } from '@switchyard/db';
import { fieldConflict, notFound } from '../../errors';
import { auditedSql } from '../../security/audited';
import type { TenantContext } from '../../trpc';
import { invalidConnection, type createConnectionInput, type updateConnectionInput } from './input';
import { keyringFor } from './platform';

/** What the audit log keeps of a connection: its settings and which credential fields are set, never their values. */
export function auditView(c: { name: string; system: string; baseUrl: string; config: unknown; credentialFields?: unknown }) {
  return { name: c.name, system: c.system, baseUrl: c.baseUrl, config: c.config, credentialFields: c.credentialFields ?? null };
}

function written(result: ConnectionWriteResult, name: string | undefined, id?: string) {
  if (result.status === 'name_taken') throw fieldConflict('name', `a connection named ${JSON.stringify(name)} already exists in this tenant`);
  if (result.status === 'not_found') throw id ? notFound('Connection', id) : new TRPCError({ code: 'NOT_FOUND', message: 'Tenant not found' });
  return result.connection;
}

/** Validates against the system's schemas (field-level errors) and stores the credentials encrypted. */
export async function createConnectionHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof createConnectionInput> }) {
  const checked = checkConnection(connectionSystems[input.system], input);
  if (!checked.ok) throw invalidConnection(checked.issues);
  const result = await auditedSql<ConnectionWriteResult>(ctx, async (client) => {
    const written = await createConnection(client, keyringFor(ctx.db), ctx.tenant.id, {
      name: input.name,
      system: input.system,
      baseUrl: input.baseUrl.replace(/\/+$/, ''),
      config: checked.config,
      credentials: checked.credentials,
    });
    return { result: written, audit: written.status === 'saved' ? { action: 'connection.create', entityType: 'connection', entityId: written.connection.id, after: auditView(written.connection) } : null };
  });
  return written(result, input.name);
}

/**
 * Merges the changed credential fields into the stored ones (the browser never has the stored
 * values), validates the whole, and writes it back encrypted with the current key.
 */
export async function updateConnectionHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof updateConnectionInput> }) {
  const keyring = keyringFor(ctx.db);
  const current = await getConnection(ctx.db.pool, keyring, ctx.tenant.id, input.id);
  if (!current) throw notFound('Connection', input.id);
  if (!isConnectionSystem(current.system)) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `Connection uses an unknown system ${JSON.stringify(current.system)}` });
  // Credentials this server's key cannot open (written under another key): the edit must supply every field again.
  const stored = current.credentialsError ? {} : ((await resolveConnection(ctx.db.pool, keyring, ctx.tenant.id, input.id))?.credentials ?? {});
  const credentials: Record<string, unknown> = { ...stored };
  for (const [field, value] of Object.entries(input.credentials ?? {})) {
    if (value === null) delete credentials[field];
    else credentials[field] = value;
  }
  const baseUrl = (input.baseUrl ?? current.baseUrl).replace(/\/+$/, '');
  const checked = checkConnection(connectionSystems[current.system], { baseUrl, config: input.config ?? current.config, credentials });
  if (!checked.ok) throw invalidConnection(checked.issues);
  const result = await auditedSql<ConnectionWriteResult>(ctx, async (client) => {
    const written = await updateConnection(client, keyring, ctx.tenant.id, input.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      baseUrl,
      config: checked.config,
      ...(input.credentials !== undefined ? { credentials: checked.credentials } : {}),
    });
    if (written.status !== 'saved') return { result: written, audit: null };
    // Which credential fields were replaced or cleared, never their values.
    const credentialsChanged = Object.keys(input.credentials ?? {}).sort();
    return {
      result: written,
      audit: { action: 'connection.update', entityType: 'connection', entityId: input.id, before: auditView(current), after: { ...auditView(written.connection), credentialsChanged } },
    };
  });
  return written(result, input.name, input.id);
}
