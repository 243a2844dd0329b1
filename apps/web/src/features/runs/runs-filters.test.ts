import { describe, expect, it } from 'vitest';
import { parseRunFilters, runFiltersToParams } from './runs-filters';

describe('run filters in the URL', () => {
  it('round-trips valid filters', () => {
    const filters = { workflowId: '3f2b8c4e-1d2a-4b5c-9d8e-7f6a5b4c3d2e', status: 'failed' as const, correlationId: 'abc-123' };
    expect(parseRunFilters(runFiltersToParams(filters))).toEqual(filters);
  });

  it('drops values that the API would reject instead of sending them', () => {
    expect(parseRunFilters(new URLSearchParams('workflow=not-a-uuid&status=exploded&correlation=%20%20'))).toEqual({});
  });
});
