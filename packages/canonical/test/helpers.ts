import { previewMapping, sampleOverlay, type ErpId, type MappingError, type PreviewMappingRequest } from '../src/index';

/** Previews with the demo tenant's lookups and fails the test with the mapping errors when it does not map. */
export async function mapOk(request: Omit<PreviewMappingRequest, 'overlay'> & { erp: ErpId; overlay?: unknown }): Promise<unknown> {
  const result = await previewMapping({ overlay: sampleOverlay(request.erp), ...request });
  if (!result.ok) throw new Error(`${request.erp}.${request.object}.${request.direction} failed: ${JSON.stringify(result.errors, null, 2)}`);
  return result.payload;
}

export async function mapErrors(request: PreviewMappingRequest): Promise<MappingError[]> {
  const result = await previewMapping(request);
  if (result.ok) throw new Error(`expected ${request.erp}.${request.object}.${request.direction} to fail, got ${JSON.stringify(result.payload)}`);
  return result.errors;
}
