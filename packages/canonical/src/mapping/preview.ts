import { migrateCanonical } from '../migrations';
import { validateCanonical, validateWith, type FieldError } from '../validate';
import { applyMapping } from './apply';
import { DEFAULT_MAPPING_TIMEOUT_MS } from './expressions';
import { TenantMappingOverlaySchema } from './overlay';
import { findDefaultMapping, listDefaultMappings } from './registry';
import { mappingId, type MappingError, type MappingStage, type TenantMappingOverlay } from './types';

/** Longest budget a caller may ask for: previews run inside an API request. */
export const MAX_MAPPING_TIMEOUT_MS = 10_000;

export interface PreviewMappingRequest {
  erp: string;
  /** Canonical object name: invoice, salesOrder, customer, … */
  object: string;
  direction: 'toErp' | 'fromErp';
  /** toErp: the canonical object to map. */
  canonical?: unknown;
  /** toErp: the version `canonical` is written in; defaults to the mapping's version, older ones are migrated. */
  canonicalVersion?: number;
  /** fromErp: the ERP record to map. */
  erpPayload?: unknown;
  /** The tenant's overlay; validated here because it usually comes straight from an editor. */
  overlay?: unknown;
  timeoutMs?: number;
}

export type PreviewMappingResult =
  | { ok: true; payload: unknown; mapping: string; canonicalVersion: number }
  | { ok: false; errors: MappingError[] };

/**
 * Turns a canonical sample into the tenant's ERP payload (or an ERP record into a canonical object),
 * exactly as a run would: validate the input (field-level errors), apply the default mapping with the
 * tenant's overrides and lookups under a time budget, and for ERP → canonical validate the result.
 * Never throws for bad input; every error names the mapping and the field.
 */
export async function previewMapping(request: PreviewMappingRequest): Promise<PreviewMappingResult> {
  const id = mappingId(request.erp, request.object, request.direction);
  const fail = (stage: MappingStage, errors: FieldError[]): PreviewMappingResult => ({
    ok: false,
    errors: errors.map((e) => ({ mapping: id, field: e.path, message: e.message, stage })),
  });

  const mapping = findDefaultMapping(request.erp, request.object, request.direction);
  if (mapping === undefined) {
    const available = listDefaultMappings()
      .filter((m) => m.erp === request.erp || m.object === request.object)
      .map((m) => m.id);
    return fail('request', [{ path: '', message: `there is no default mapping ${id}${available.length > 0 ? `; related: ${available.join(', ')}` : ''}` }]);
  }
  const timeoutMs = request.timeoutMs ?? DEFAULT_MAPPING_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_MAPPING_TIMEOUT_MS) {
    return fail('request', [{ path: 'timeoutMs', message: `must be a whole number of milliseconds between 1 and ${MAX_MAPPING_TIMEOUT_MS}` }]);
  }

  const overlayResult = validateWith(TenantMappingOverlaySchema, request.overlay ?? {});
  if (!overlayResult.ok) return fail('overlay', overlayResult.errors);
  const overlay: TenantMappingOverlay = overlayResult.value;

  let input: unknown;
  if (request.direction === 'toErp') {
    const version = request.canonicalVersion ?? mapping.canonicalVersion;
    if (version > mapping.canonicalVersion) {
      return fail('input', [{ path: '', message: `${request.object} v${version} is newer than the v${mapping.canonicalVersion} this mapping reads` }]);
    }
    const validated = migrateCanonical(request.object, request.canonical, version, mapping.canonicalVersion);
    if (!validated.ok) return fail('input', validated.errors);
    input = validated.value;
  } else {
    if (request.erpPayload === null || typeof request.erpPayload !== 'object') {
      return fail('input', [{ path: '', message: 'the ERP payload must be a JSON object' }]);
    }
    input = request.erpPayload;
  }

  const mapped = await applyMapping(mapping, input, { overlay, timeoutMs });
  if (!mapped.ok) return mapped;
  if (request.direction === 'fromErp') {
    const checked = validateCanonical(mapping.object, mapping.canonicalVersion, mapped.payload);
    if (!checked.ok) return fail('output', checked.errors);
    return { ok: true, payload: checked.value, mapping: id, canonicalVersion: mapping.canonicalVersion };
  }
  return { ok: true, payload: mapped.payload, mapping: id, canonicalVersion: mapping.canonicalVersion };
}
