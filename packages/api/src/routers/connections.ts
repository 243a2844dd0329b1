import { z } from 'zod';
import { connectionSystems, CONNECTION_SYSTEMS } from '@switchyard/connectors/metadata';
import { testConnection } from '@switchyard/connectors';
import { deleteConnection, getConnection, listConnections, resolveConnection, SecretDecryptError } from '@switchyard/db';
import { notFound } from '../errors';
import { auditedSql } from '../security/audited';
import { operatorProcedure, tenantAdminProcedure, tenantProcedure } from '../trpc';
import { connectionId, createConnectionInput, testConnectionInput, updateConnectionInput } from './connections/input';
import { keyringFor, outboundFetch } from './connections/platform';
import { auditView, createConnectionHandler, updateConnectionHandler } from './connections/save.handler';

/**
 * The tenant's connections to ERPs and APIs. No procedure returns a credential: reads carry the names
 * of the credential fields that are set, and writes take new values without ever echoing them.
 */
export const connectionsRouter = {
  /** What each system needs, as JSON Schema for the connection form (secret fields are `writeOnly`). */
  systems: tenantProcedure.query(() =>
    CONNECTION_SYSTEMS.map((system) => {
      const def = connectionSystems[system];
      return {
        system,
        displayName: def.displayName,
        description: def.description,
        baseUrlExample: def.baseUrlExample,
        configSchema: z.toJSONSchema(def.configSchema, { io: 'input', unrepresentable: 'any' }),
        credentialsSchema: z.toJSONSchema(def.credentialsSchema, { io: 'input', unrepresentable: 'any' }),
      };
    }),
  ),

  list: tenantProcedure.query(({ ctx }) => listConnections(ctx.db.pool, keyringFor(ctx.db), ctx.tenant.id)),

  get: tenantProcedure.input(z.object({ id: connectionId })).query(async ({ ctx, input }) => {
    const connection = await getConnection(ctx.db.pool, keyringFor(ctx.db), ctx.tenant.id, input.id);
    if (!connection) throw notFound('Connection', input.id);
    return connection;
  }),

  create: tenantAdminProcedure.input(createConnectionInput).mutation(createConnectionHandler),

  update: tenantAdminProcedure.input(updateConnectionInput).mutation(updateConnectionHandler),

  delete: tenantAdminProcedure.input(z.object({ id: connectionId })).mutation(async ({ ctx, input }) => {
    const deleted = await auditedSql(ctx, async (client) => {
      const before = await getConnection(client, keyringFor(ctx.db), ctx.tenant.id, input.id);
      const ok = before !== null && (await deleteConnection(client, ctx.tenant.id, input.id));
      return { result: ok, audit: ok && before ? { action: 'connection.delete', entityType: 'connection', entityId: input.id, before: auditView(before) } : null };
    });
    if (!deleted) throw notFound('Connection', input.id);
    return { id: input.id, deleted: true as const };
  }),

  /**
   * Calls the system with the stored (or draft) credentials and reports its answer in words: accepted,
   * which credential it refused and why, unreachable, or blocked by the outbound policy.
   */
  test: operatorProcedure.input(testConnectionInput).mutation(async ({ ctx, input }) => {
    if ('draft' in input) {
      return testConnection({ ...input.draft, kind: input.draft.system }, { fetch: outboundFetch() });
    }
    let connection;
    try {
      connection = await resolveConnection(ctx.db.pool, keyringFor(ctx.db), ctx.tenant.id, input.id);
    } catch (err) {
      if (err instanceof SecretDecryptError) return { ok: false, outcome: 'invalid' as const, message: err.message, durationMs: 0 };
      throw err;
    }
    if (!connection) throw notFound('Connection', input.id);
    return testConnection(connection, { fetch: outboundFetch() });
  }),
};
