import { Prisma } from '../generated/prisma/client';
import { toJsonValue } from '../prisma-json';
import { json, type SqlClient } from '../sql';
import type { DbClient } from './client';

// The audit log of configuration changes. Entries are written by the mutation that made the change,
// inside its transaction where it has one, so a change and its entry commit together. Callers pass
// summaries (a diff, a name), never whole graphs and never secrets: the log is read by every admin.

export interface AuditInput {
  tenantId: string;
  /** `anonymous` until sign-in exists, `api-key:<prefix>` for machine clients, later `user:<id>`. */
  actor: string;
  /** `<entity>.<verb>`, e.g. `workflow.create`, `api_key.revoke`. */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntryView {
  id: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Prisma.JsonValue | null;
  after: Prisma.JsonValue | null;
  at: Date;
}

/** Keys whose values never enter the log, whatever a caller passes (defence in depth). */
const SECRET_KEY = /secret|password|token|credential|api[-_]?key|authorization|key_?hash/i;

function scrub(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

function jsonOrNull(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : toJsonValue(scrub(value) as object);
}

export async function recordAudit(db: DbClient, entry: AuditInput): Promise<void> {
  await db.auditEntry.create({
    data: {
      tenantId: entry.tenantId,
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: jsonOrNull(entry.before),
      after: jsonOrNull(entry.after),
    },
    select: { id: true },
  });
}

/** The same entry written with plain SQL, for changes made through `inTransaction` (one connection). */
export async function recordAuditSql(client: SqlClient, entry: AuditInput): Promise<void> {
  const side = (value: unknown) => (value === undefined || value === null ? null : json(scrub(value)));
  await client.query(
    `INSERT INTO audit_log (id, tenant_id, actor, action, entity_type, entity_id, before, after)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [entry.tenantId, entry.actor, entry.action, entry.entityType, entry.entityId, side(entry.before), side(entry.after)],
  );
}

export interface AuditCursor {
  at: Date;
  id: string;
}

export interface AuditFilter {
  entityType?: string;
  action?: string;
  entityId?: string;
  actor?: string;
  /** Entries at or after this time. */
  since?: Date;
  /** Entries before this time. */
  until?: Date;
  /** The last entry of the previous page: the next page starts strictly after it in (at, id) order. */
  cursor?: AuditCursor | null;
  limit: number;
}

/** Newest first, keyset-paginated on (at, id) so pages stay stable while entries are added. */
export async function listAudit(db: DbClient, tenantId: string, filter: AuditFilter): Promise<{ items: AuditEntryView[]; next: AuditCursor | null }> {
  const where: Prisma.AuditEntryWhereInput = {
    tenantId,
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.since || filter.until ? { at: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
    ...(filter.cursor
      ? { AND: [{ OR: [{ at: { lt: filter.cursor.at } }, { at: filter.cursor.at, id: { lt: filter.cursor.id } }] }] }
      : {}),
  };
  const rows = await db.auditEntry.findMany({
    where,
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    select: { id: true, actor: true, action: true, entityType: true, entityId: true, before: true, after: true, at: true },
  });
  const items = rows.slice(0, filter.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > filter.limit && last ? { at: last.at, id: last.id } : null };
}

/** The distinct actions, entity types and actors in the tenant's log: the audit page's filter choices. */
export async function auditFacets(db: DbClient, tenantId: string): Promise<{ actions: string[]; entityTypes: string[]; actors: string[] }> {
  const [actions, entityTypes, actors] = await Promise.all([
    db.auditEntry.findMany({ where: { tenantId }, distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } }),
    db.auditEntry.findMany({ where: { tenantId }, distinct: ['entityType'], select: { entityType: true }, orderBy: { entityType: 'asc' } }),
    db.auditEntry.findMany({ where: { tenantId }, distinct: ['actor'], select: { actor: true }, orderBy: { actor: 'asc' }, take: 200 }),
  ]);
  return { actions: actions.map((a) => a.action), entityTypes: entityTypes.map((e) => e.entityType), actors: actors.map((a) => a.actor) };
}
