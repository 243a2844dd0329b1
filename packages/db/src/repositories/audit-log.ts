import { Prisma } from '../generated/prisma/client';
import { toJsonValue } from '../prisma-json';
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

export interface AuditCursor {
  at: Date;
  id: string;
}

export interface AuditFilter {
  entityType?: string;
  action?: string;
  entityId?: string;
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
    ...(filter.cursor
      ? { OR: [{ at: { lt: filter.cursor.at } }, { at: filter.cursor.at, id: { lt: filter.cursor.id } }] }
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
