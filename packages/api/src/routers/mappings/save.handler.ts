import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { canonicalSamples, findDefaultMapping, previewMapping, TenantMappingOverlaySchema, validateWith } from '@switchyard/canonical';
import { saveTenantMapping, type SaveMappingResult } from '@switchyard/db';
import { auditedSql } from '../../security/audited';
import type { TenantContext } from '../../trpc';
import type { saveMappingInput } from './input';

/** Field issues as `cause.issues`, shown beside the overlay's fields by the editor. */
class OverlayIssuesError extends Error {
  constructor(readonly issues: Array<{ path: string[]; message: string }>) {
    super(`${issues.length} overlay issue${issues.length === 1 ? '' : 's'}`);
    this.name = 'OverlayIssuesError';
  }
}

function badOverlay(message: string, issues: Array<{ path: string[]; message: string }>): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message, cause: new OverlayIssuesError(issues) });
}

/**
 * Appends a version of the tenant's overlay after checking its shape and that every expression in it
 * compiles and runs against the sample object, so a broken override never reaches a run.
 */
export async function saveMappingHandler({ ctx, input }: { ctx: TenantContext; input: z.infer<typeof saveMappingInput> }) {
  const mapping = findDefaultMapping(input.erp, input.object, 'toErp');
  if (!mapping) throw new TRPCError({ code: 'BAD_REQUEST', message: `There is no default mapping ${input.erp}.${input.object}.toErp to adjust` });
  const shape = validateWith(TenantMappingOverlaySchema, input.overlay);
  if (!shape.ok) {
    throw badOverlay(
      `The overlay is invalid: ${shape.errors.map((e) => `${e.path || '(overlay)'} ${e.message}`).join('; ')}`,
      shape.errors.map((e) => ({ path: ['overlay', ...e.path.split('.').filter(Boolean)], message: e.message })),
    );
  }
  const samples = canonicalSamples() as Record<string, Record<number, unknown>>;
  const sample = samples[input.object]?.[mapping.canonicalVersion];
  if (sample !== undefined) {
    const trial = await previewMapping({ erp: input.erp, object: input.object, direction: 'toErp', canonical: sample, overlay: shape.value });
    // Only the overlay's own mistakes block a save; lookups the sample's codes are missing from do not.
    const own = trial.ok ? [] : trial.errors.filter((e) => e.stage === 'overlay' || e.origin === 'override');
    if (own.length > 0) {
      throw badOverlay(
        `The overlay does not work with the sample ${input.object}: ${own.map((e) => `${e.mapping} ${e.field}: ${e.message}`).join('; ')}`,
        own.map((e) => ({ path: ['overlay', 'fieldOverrides', e.field], message: e.message })),
      );
    }
  }
  const saved = await auditedSql<SaveMappingResult>(ctx, async (client) => {
    const result = await saveTenantMapping(client, ctx.tenant.id, {
      erp: input.erp,
      object: input.object,
      overlay: shape.value,
      ...(input.note !== undefined ? { note: input.note } : {}),
      ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
    });
    if (result.status !== 'saved') return { result, audit: null };
    return {
      result,
      audit: {
        action: 'mapping.save',
        entityType: 'mapping',
        entityId: `${input.erp}.${input.object}`,
        before: { version: result.mapping.version - 1 },
        after: { version: result.mapping.version, note: result.mapping.note, overlay: result.mapping.overlay },
      },
    };
  });
  if (saved.status === 'conflict') {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `Someone saved version ${saved.latestVersion} of this mapping meanwhile; reload it and apply your changes again`,
    });
  }
  if (saved.status === 'not_found') throw new TRPCError({ code: 'NOT_FOUND', message: 'Tenant not found' });
  return saved.mapping;
}
