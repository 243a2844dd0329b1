import { describe, expect, it } from 'vitest';
import { checkJson, formatJson } from './json-input';

describe('replay editor JSON', () => {
  it('accepts valid JSON', () => {
    expect(checkJson('{ "quantity": 2 }')).toEqual({ ok: true, value: { quantity: 2 } });
    expect(checkJson('null')).toEqual({ ok: true, value: null });
  });

  it('says where invalid JSON breaks', () => {
    const result = checkJson('{\n  "quantity": 2,\n}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Invalid JSON at line 3, column 1/);
    expect(checkJson('   ')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
  });

  it('formats missing input as null', () => {
    expect(formatJson(undefined)).toBe('null');
  });
});
