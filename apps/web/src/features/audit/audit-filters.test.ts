import { describe, expect, it } from 'vitest';
import { auditFiltersToParams, changedFields, parseAuditFilters, toAuditListInput } from './audit-filters';

describe('audit filters', () => {
  it('round-trips through the URL and ignores malformed days', () => {
    const params = new URLSearchParams('action=api_key.revoke&actor=user%3A1&from=2026-11-01&to=not-a-day&junk=1');
    const filters = parseAuditFilters(params);
    expect(filters).toEqual({ action: 'api_key.revoke', actor: 'user:1', from: '2026-11-01' });
    expect(parseAuditFilters(auditFiltersToParams(filters))).toEqual(filters);
  });

  it('turns days into a half-open local range that includes the whole "to" day', () => {
    const input = toAuditListInput({ from: '2026-11-01', to: '2026-11-02' });
    expect(input.since).toEqual(new Date('2026-11-01T00:00:00'));
    expect(input.until).toEqual(new Date('2026-11-03T00:00:00'));
  });

  it('names the top-level fields that changed', () => {
    expect(changedFields({ revokedAt: null, name: 'a' }, { revokedAt: '2026-01-01', name: 'a' })).toEqual(['revokedAt']);
    expect(changedFields(null, { name: 'a' })).toEqual(['name']);
    expect(changedFields({ name: 'a' }, null)).toEqual(['name']);
  });
});
