import { assertUuid, json, type SqlClient } from '../sql';

// A tenant's mapping overlays (field overrides, lookup tables) per ERP and canonical object. Every
// save appends a version; nothing is overwritten, so a run or preview can name the version it used
// and an earlier version can be restored by saving it again. The overlay's shape is checked by the
// caller (packages/canonical's TenantMappingOverlaySchema); this layer stores what it is given.

export interface TenantMappingVersion {
  erp: string;
  object: string;
  version: number;
  overlay: unknown;
  note: string;
  createdAt: Date;
}

export interface TenantMappingSummary {
  erp: string;
  object: string;
  latestVersion: number;
  updatedAt: Date;
}

export type SaveMappingResult =
  | { status: 'saved'; mapping: TenantMappingVersion }
  | { status: 'conflict'; latestVersion: number }
  | { status: 'not_found' };

interface Row {
  erp: string;
  object: string;
  version: number;
  overlay: unknown;
  note: string;
  created_at: Date;
}

const toVersion = (row: Row): TenantMappingVersion => ({
  erp: row.erp,
  object: row.object,
  version: row.version,
  overlay: row.overlay,
  note: row.note,
  createdAt: row.created_at,
});

/** The latest version, or the one asked for; null when the tenant has none. */
export async function getTenantMapping(
  pool: SqlClient,
  tenantId: string,
  erp: string,
  object: string,
  version?: number,
): Promise<TenantMappingVersion | null> {
  assertUuid(tenantId, 'getTenantMapping: tenantId');
  const { rows } = await pool.query<Row>(
    `SELECT erp, object, version, overlay, note, created_at FROM tenant_mappings
      WHERE tenant_id = $1 AND erp = $2 AND object = $3 AND ($4::int IS NULL OR version = $4)
      ORDER BY version DESC LIMIT 1`,
    [tenantId, erp, object, version ?? null],
  );
  return rows[0] ? toVersion(rows[0]) : null;
}

/** Every version of one overlay, newest first (without the overlays, which can be large). */
export async function listTenantMappingVersions(
  pool: SqlClient,
  tenantId: string,
  erp: string,
  object: string,
): Promise<Array<Omit<TenantMappingVersion, 'overlay'>>> {
  assertUuid(tenantId, 'listTenantMappingVersions: tenantId');
  const { rows } = await pool.query<Row>(
    `SELECT erp, object, version, note, created_at FROM tenant_mappings
      WHERE tenant_id = $1 AND erp = $2 AND object = $3 ORDER BY version DESC`,
    [tenantId, erp, object],
  );
  return rows.map(({ erp: e, object: o, version, note, created_at }) => ({ erp: e, object: o, version, note, createdAt: created_at }));
}

export async function listTenantMappings(pool: SqlClient, tenantId: string): Promise<TenantMappingSummary[]> {
  assertUuid(tenantId, 'listTenantMappings: tenantId');
  const { rows } = await pool.query<{ erp: string; object: string; latest: number; updated_at: Date }>(
    `SELECT erp, object, max(version) AS latest, max(created_at) AS updated_at FROM tenant_mappings
      WHERE tenant_id = $1 GROUP BY erp, object ORDER BY erp, object`,
    [tenantId],
  );
  return rows.map((r) => ({ erp: r.erp, object: r.object, latestVersion: Number(r.latest), updatedAt: r.updated_at }));
}

/**
 * Appends a version. With `expectedVersion` (the version the editor started from, 0 for none) a save
 * that lost a race with another editor is refused with the version that won, instead of silently
 * replacing that editor's work.
 */
export async function saveTenantMapping(
  pool: SqlClient,
  tenantId: string,
  input: { erp: string; object: string; overlay: unknown; note?: string; expectedVersion?: number },
): Promise<SaveMappingResult> {
  assertUuid(tenantId, 'saveTenantMapping: tenantId');
  try {
    const { rows } = await pool.query<Row & { latest: number }>(
      `WITH latest AS (
         SELECT COALESCE(max(version), 0) AS v FROM tenant_mappings WHERE tenant_id = $1 AND erp = $2 AND object = $3
       )
       INSERT INTO tenant_mappings (tenant_id, erp, object, version, overlay, note, created_at)
       SELECT t.id, $2, $3, latest.v + 1, $4::jsonb, $5, now() FROM tenants t, latest
        WHERE t.id = $1 AND ($6::int IS NULL OR latest.v = $6)
       -- Two saves computed the same next version: the primary key lets one through. DO NOTHING rather
       -- than an error keeps a surrounding transaction (the audited save) usable for the conflict report.
       ON CONFLICT DO NOTHING
       RETURNING erp, object, version, overlay, note, created_at`,
      [tenantId, input.erp, input.object, json(input.overlay), input.note ?? '', input.expectedVersion ?? null],
    );
    if (rows[0]) return { status: 'saved', mapping: toVersion(rows[0]) };
  } catch (err) {
    // Two saves computed the same next version: the primary key let one through.
    if ((err as { code?: string } | null)?.code !== '23505') throw err;
  }
  const { rows: tenant } = await pool.query(`SELECT 1 FROM tenants WHERE id = $1`, [tenantId]);
  if (tenant.length === 0) return { status: 'not_found' };
  const latest = await getTenantMapping(pool, tenantId, input.erp, input.object);
  return { status: 'conflict', latestVersion: latest?.version ?? 0 };
}
