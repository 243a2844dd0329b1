import { describe, expect, it } from 'vitest';
import { median, percentile, slope, summarize } from '../src/lib/stats';

describe('stats', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('summarises rounds with their spread', () => {
    const s = summarize([90, 100, 110]);
    expect(s).toMatchObject({ median: 100, min: 90, max: 110, spreadPct: 20 });
  });

  it('refuses to summarise nothing', () => {
    expect(() => summarize([Number.NaN])).toThrow(/no finite values/);
  });

  it('picks nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
  });

  it('fits the slope of a growing and a flat series', () => {
    expect(slope([0, 1, 2, 3].map((t) => ({ t, v: 5 + 2 * t })))).toBeCloseTo(2);
    expect(slope([0, 1, 2].map((t) => ({ t, v: 7 })))).toBe(0);
  });
});
