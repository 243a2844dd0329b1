/** The audit page's filters, kept in the URL so a filtered view can be shared and survives reloads. */
export interface AuditFilters {
  action?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  /** Calendar days (YYYY-MM-DD, local), inclusive. */
  from?: string;
  to?: string;
}

const KEYS = ['action', 'entityType', 'entityId', 'actor', 'from', 'to'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  const out: AuditFilters = {};
  for (const key of KEYS) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    if ((key === 'from' || key === 'to') && !DAY.test(value)) continue;
    out[key] = value;
  }
  return out;
}

export function auditFiltersToParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of KEYS) if (filters[key]) params.set(key, filters[key]);
  return params;
}

/** The list input: days become a half-open time range in the browser's zone. */
export function toAuditListInput(filters: AuditFilters) {
  const next = (day: string) => {
    const d = new Date(`${day}T00:00:00`);
    d.setDate(d.getDate() + 1);
    return d;
  };
  return {
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.entityType ? { entityType: filters.entityType } : {}),
    ...(filters.entityId ? { entityId: filters.entityId } : {}),
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.from ? { since: new Date(`${filters.from}T00:00:00`) } : {}),
    ...(filters.to ? { until: next(filters.to) } : {}),
  };
}

/** Top-level fields whose value differs between before and after: the row's one-line summary. */
export function changedFields(before: unknown, after: unknown): string[] {
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const b = obj(before);
  const a = obj(after);
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}
