import { describe, expect, it } from 'vitest';
import { parseRunFilters, runFiltersToParams, toListInput } from './runs-filters';
import { parseSaved, withSaved } from './saved-filters';

const WF = '3f2b8c4e-1d2a-4b5c-9d8e-7f6a5b4c3d2e';
const V = '4a2b8c4e-1d2a-4b5c-9d8e-7f6a5b4c3d2e';

describe('run filters in the URL', () => {
  it('round-trips valid filters', () => {
    const filters = { q: 'INV-2026-0042', workflowId: WF, versionId: V, status: 'failed' as const, trigger: 'webhook', correlationId: 'abc-123', range: '24h' as const };
    expect(parseRunFilters(runFiltersToParams(filters))).toEqual(filters);
    const custom = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' };
    expect(parseRunFilters(runFiltersToParams(custom))).toEqual(custom);
  });

  it('drops values that the API would reject instead of sending them', () => {
    expect(parseRunFilters(new URLSearchParams('workflow=not-a-uuid&version=x&status=exploded&correlation=%20%20&range=2y&from=yesterday'))).toEqual({});
  });

  it('anchors a relative range at the given instant and passes a custom window as dates', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(toListInput({ range: '1h', status: 'failed' }, now)).toEqual({ status: 'failed', from: new Date('2026-11-28T11:00:00Z') });
    expect(toListInput({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, now)).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') });
  });
});

describe('saved filters', () => {
  it('ignores corrupted storage and replaces a filter saved again under the same name', () => {
    expect(parseSaved('not json')).toEqual([]);
    expect(parseSaved('[{"name":1}]')).toEqual([]);
    const list = withSaved(withSaved([], { name: 'failed', query: 'status=failed' }), { name: 'acme', query: 'q=INV-1' });
    expect(withSaved(list, { name: 'failed', query: 'status=failed&range=1h' })).toEqual([
      { name: 'failed', query: 'status=failed&range=1h' },
      { name: 'acme', query: 'q=INV-1' },
    ]);
  });
});
