import { z } from 'zod';
import { CANONICAL_NAMES, ERP_IDS, type CanonicalName } from '@switchyard/canonical';

export const erpId = z.enum(ERP_IDS);
export const canonicalObject = z.enum(CANONICAL_NAMES as [CanonicalName, ...CanonicalName[]]);

export const previewInput = z.object({
  erp: erpId,
  object: canonicalObject,
  direction: z.enum(['toErp', 'fromErp']).default('toErp'),
  /** toErp: the canonical sample to map. */
  canonical: z.unknown().optional(),
  canonicalVersion: z.number().int().min(1).optional(),
  /** fromErp: an ERP record. */
  erpPayload: z.unknown().optional(),
  /** The overlay being edited; when absent, the tenant's saved overlay (or none) is used. */
  overlay: z.unknown().optional(),
});

export const mappingKey = z.object({ erp: erpId, object: canonicalObject });

export const saveMappingInput = mappingKey.extend({
  overlay: z.unknown(),
  note: z.string().max(500).optional(),
  /** The version the editor started from (0 when there was none): a save that lost a race is refused. */
  expectedVersion: z.number().int().min(0).optional(),
});
