import type { z } from 'zod';
import { InvoiceV1, InvoiceV2 } from './schemas/invoice';
import { JournalEntryV1 } from './schemas/journal-entry';
import { CustomerV1, SupplierV1 } from './schemas/parties';
import { PaymentV1 } from './schemas/payment';
import { ProductV1 } from './schemas/product';
import { SalesOrderV1 } from './schemas/sales-order';
import { VendorBillV1 } from './schemas/vendor-bill';

/**
 * Every canonical schema, keyed by object name and then version. A version, once published, never
 * changes shape: new fields or changed meaning make a new version plus a migration (migrations.ts),
 * so stored payloads and tenant mappings written against an old version keep their meaning.
 */
export const canonicalSchemas = {
  customer: { 1: CustomerV1 },
  product: { 1: ProductV1 },
  salesOrder: { 1: SalesOrderV1 },
  invoice: { 1: InvoiceV1, 2: InvoiceV2 },
  payment: { 1: PaymentV1 },
  supplier: { 1: SupplierV1 },
  vendorBill: { 1: VendorBillV1 },
  journalEntry: { 1: JournalEntryV1 },
} as const satisfies Record<string, Record<number, z.ZodType>>;

export type CanonicalName = keyof typeof canonicalSchemas;
export type CanonicalVersion<N extends CanonicalName> = keyof (typeof canonicalSchemas)[N] & number;
/** The parsed value of a canonical object at a version, e.g. `CanonicalValue<'invoice', 2>`. */
export type CanonicalValue<N extends CanonicalName, V extends CanonicalVersion<N>> = z.output<(typeof canonicalSchemas)[N][V] & z.ZodType>;

export const CANONICAL_NAMES = Object.keys(canonicalSchemas) as CanonicalName[];

export function isCanonicalName(name: string): name is CanonicalName {
  return Object.prototype.hasOwnProperty.call(canonicalSchemas, name);
}

export function canonicalVersions(name: CanonicalName): number[] {
  return Object.keys(canonicalSchemas[name])
    .map(Number)
    .sort((a, b) => a - b);
}

export function latestCanonicalVersion(name: CanonicalName): number {
  const versions = canonicalVersions(name);
  return versions[versions.length - 1] ?? 1;
}

export function getCanonicalSchema(name: string, version: number): z.ZodType | undefined {
  if (!isCanonicalName(name)) return undefined;
  const byVersion: Record<number, z.ZodType | undefined> = canonicalSchemas[name];
  return byVersion[version];
}

export interface CanonicalSchemaInfo {
  name: CanonicalName;
  version: number;
  latest: boolean;
  title: string;
  description: string;
}

export function listCanonicalSchemas(): CanonicalSchemaInfo[] {
  return CANONICAL_NAMES.flatMap((name) =>
    canonicalVersions(name).map((version) => {
      const meta = (getCanonicalSchema(name, version)?.meta() ?? {}) as { title?: string; description?: string };
      return {
        name,
        version,
        latest: version === latestCanonicalVersion(name),
        title: meta.title ?? `${name} v${version}`,
        description: meta.description ?? '',
      };
    }),
  );
}
