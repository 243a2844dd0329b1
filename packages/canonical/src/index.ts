/**
 * @switchyard/canonical: canonical business objects (versioned zod schemas, JSON Schema, migrations),
 * default ERP mappings in JSONata with per-tenant overlays, and sample data. Browser-safe: nothing
 * here touches Node built-ins, so the designer imports it for forms and mapping previews.
 */
export * from './registry';
export * from './validate';
export * from './json-schema';
export { migrateCanonical } from './migrations';
export { CURRENCY_CODES, currencyMinorUnits } from './currencies';
export {
  DECIMAL_PATTERN,
  compareDecimals,
  isDecimalString,
  multiplyDecimals,
  percentOf,
  roundDecimal,
  subtractDecimals,
  sumDecimals,
  toDecimalString,
} from './decimal';

export * from './schemas/common';
export * from './schemas/parties';
export * from './schemas/product';
export * from './schemas/sales-order';
export * from './schemas/invoice';
export * from './schemas/payment';
export * from './schemas/vendor-bill';
export * from './schemas/journal-entry';

export * from './mapping/types';
export { TenantMappingOverlaySchema, FIELD_PATH_PATTERN, emptyOverlay } from './mapping/overlay';
export { applyMapping, MAX_REPORTED_MAPPING_ERRORS, type ApplyMappingOptions } from './mapping/apply';
export { DEFAULT_MAPPING_MAX_DEPTH, DEFAULT_MAPPING_TIMEOUT_MS } from './mapping/expressions';
export { previewMapping, MAX_MAPPING_TIMEOUT_MS, type PreviewMappingRequest, type PreviewMappingResult } from './mapping/preview';
export { defaultMappings, findDefaultMapping, listDefaultMappings } from './mapping/registry';

export * from './samples/documents';
export { generateInvoices, type GenerateInvoicesOptions } from './samples/generate';
export { sampleOverlay } from './samples/overlays';

export * from './node-kind';
