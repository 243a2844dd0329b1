import { z } from 'zod';
import { emptyOverlay, listDefaultMappings, previewMapping } from '@switchyard/canonical';
import { getTenantMapping, listTenantMappings, listTenantMappingVersions } from '@switchyard/db';
import { notFound } from '../errors';
import { tenantAdminProcedure, tenantProcedure } from '../trpc';
import { erpId, mappingKey, previewInput, saveMappingInput } from './mappings/input';
import { saveMappingHandler } from './mappings/save.handler';

/** Default ERP mappings, the tenant's versioned overlays on them, and a preview of the result. */
export const mappingsRouter = {
  defaults: tenantProcedure
    .input(z.object({ erp: erpId.optional(), object: z.string().max(50).optional() }).default({}))
    .query(({ input }) => listDefaultMappings({ ...(input.erp ? { erp: input.erp } : {}), ...(input.object ? { object: input.object } : {}) })),

  /**
   * Turns a canonical sample into the tenant's ERP payload (or an ERP record into a canonical object)
   * exactly as a run would; errors name the mapping and the field. Bad input is an answer, not a failure.
   */
  preview: tenantAdminProcedure.input(previewInput).mutation(async ({ ctx, input }) => {
    const overlay = input.overlay ?? (await getTenantMapping(ctx.db.pool, ctx.tenant.id, input.erp, input.object))?.overlay ?? emptyOverlay();
    return previewMapping({
      erp: input.erp,
      object: input.object,
      direction: input.direction,
      ...(input.canonical !== undefined ? { canonical: input.canonical } : {}),
      ...(input.canonicalVersion !== undefined ? { canonicalVersion: input.canonicalVersion } : {}),
      ...(input.erpPayload !== undefined ? { erpPayload: input.erpPayload } : {}),
      overlay,
    });
  }),

  list: tenantProcedure.query(({ ctx }) => listTenantMappings(ctx.db.pool, ctx.tenant.id)),

  /** The latest (or the given) version; version 0 with an empty overlay when the tenant has none yet. */
  get: tenantProcedure.input(mappingKey.extend({ version: z.number().int().min(1).optional() })).query(async ({ ctx, input }) => {
    const found = await getTenantMapping(ctx.db.pool, ctx.tenant.id, input.erp, input.object, input.version);
    if (found) return found;
    if (input.version !== undefined) throw notFound('Mapping version', `${input.erp}.${input.object}@${input.version}`);
    return { erp: input.erp, object: input.object, version: 0, overlay: emptyOverlay(), note: '', createdAt: null };
  }),

  versions: tenantProcedure.input(mappingKey).query(({ ctx, input }) => listTenantMappingVersions(ctx.db.pool, ctx.tenant.id, input.erp, input.object)),

  save: tenantAdminProcedure.input(saveMappingInput).mutation(saveMappingHandler),
};
