import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelative, formatTime, versionLabel } from './format';

describe('format', () => {
  it('formats durations at a readable scale', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(12)).toBe('12 ms');
    expect(formatDuration(1530)).toBe('1.53 s');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3 * 3_600_000 + 60_000)).toBe('3h 1m');
  });

  it('formats relative times and handles bad input', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatRelative('2026-01-01T11:59:58Z', now)).toBe('just now');
    expect(formatRelative('2026-01-01T11:58:00Z', now)).toBe('2m ago');
    expect(formatRelative('not a date', now)).toBe('—');
    expect(formatTime(undefined)).toBe('—');
  });
});

describe('versionLabel', () => {
  it('names test versions of a draft', () => {
    expect(versionLabel(3)).toBe('v3');
    expect(versionLabel(-2)).toBe('draft test');
  });
});
