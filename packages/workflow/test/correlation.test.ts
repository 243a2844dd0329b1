import { describe, expect, it } from 'vitest';
import {
  MAX_READABLE_IDEMPOTENCY_KEY,
  resolveCorrelationId,
  resolveTraceparent,
  sanitizeCorrelationId,
  stepIdempotencyKey,
  traceIdFromTraceparent,
} from '../src';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const fixed = () => 'new-id';

describe('resolveCorrelationId', () => {
  it('takes X-Correlation-Id from a Node header object (lower-case keys)', () => {
    expect(resolveCorrelationId({ 'x-correlation-id': 'order-42', traceparent: TRACEPARENT }, fixed)).toBe('order-42');
  });

  it('matches header names case-insensitively in plain records', () => {
    expect(resolveCorrelationId({ 'X-Correlation-ID': 'abc' }, fixed)).toBe('abc');
    expect(resolveCorrelationId({ TraceParent: TRACEPARENT }, fixed)).toBe(TRACE_ID);
  });

  it('reads a fetch Headers object', () => {
    expect(resolveCorrelationId(new Headers({ 'X-Correlation-Id': 'from-fetch' }), fixed)).toBe('from-fetch');
    expect(resolveCorrelationId(new Headers({ traceparent: TRACEPARENT }), fixed)).toBe(TRACE_ID);
    expect(resolveCorrelationId(new Headers(), fixed)).toBe('new-id');
  });

  it('uses the first of repeated X-Correlation-Id values (array or comma-joined)', () => {
    expect(resolveCorrelationId({ 'x-correlation-id': ['first', 'second'] }, fixed)).toBe('first');
    const headers = new Headers();
    headers.append('X-Correlation-Id', 'first');
    headers.append('X-Correlation-Id', 'second');
    expect(resolveCorrelationId(headers, fixed)).toBe('first');
  });

  it('skips an unusable array entry for a usable later one', () => {
    expect(resolveCorrelationId({ 'x-correlation-id': ['', 'second'] }, fixed)).toBe('second');
  });

  it('trims surrounding whitespace', () => {
    expect(resolveCorrelationId({ 'x-correlation-id': '  padded\t' }, fixed)).toBe('padded');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'a'.repeat(129)],
    ['a control character', 'abc\u0000def'],
    ['a newline (header injection)', 'abc\r\nSet-Cookie: x=1'],
    ['an inner space', 'two words'],
    ['non-ASCII', 'café'],
  ])('ignores an X-Correlation-Id that is %s and falls back to traceparent', (_name, value) => {
    expect(resolveCorrelationId({ 'x-correlation-id': value, traceparent: TRACEPARENT }, fixed)).toBe(TRACE_ID);
  });

  it('accepts exactly 128 printable characters', () => {
    const id = `${'a'.repeat(120)}~!@#$%^&`;
    expect(id).toHaveLength(128);
    expect(resolveCorrelationId({ 'x-correlation-id': id }, fixed)).toBe(id);
  });

  it('makes a new UUID when nothing usable is given', () => {
    const id = resolveCorrelationId({});
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(resolveCorrelationId({})).not.toBe(id);
    expect(resolveCorrelationId({ 'x-correlation-id': undefined }, fixed)).toBe('new-id');
  });

  it('ignores repeated traceparent headers as ambiguous', () => {
    expect(resolveCorrelationId({ traceparent: [TRACEPARENT, TRACEPARENT] }, fixed)).toBe('new-id');
    const headers = new Headers();
    headers.append('traceparent', TRACEPARENT);
    headers.append('traceparent', TRACEPARENT);
    expect(resolveCorrelationId(headers, fixed)).toBe('new-id');
  });
});

describe('traceIdFromTraceparent', () => {
  it.each([
    ['a valid version-00 header', TRACEPARENT, TRACE_ID],
    ['surrounding whitespace', ` ${TRACEPARENT} `, TRACE_ID],
    ['a future version with extra fields', `01-${TRACE_ID}-00f067aa0ba902b7-01-extra`, TRACE_ID],
    ['a future version without extra fields', `cc-${TRACE_ID}-00f067aa0ba902b7-00`, TRACE_ID],
  ])('accepts %s', (_name, value, expected) => {
    expect(traceIdFromTraceparent(value)).toBe(expected);
  });

  it.each([
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
    ['version 00 with extra fields', `${TRACEPARENT}-extra`],
    ['a future version glued to junk', `01-${TRACE_ID}-00f067aa0ba902b7-01junk`],
    ['non-hex characters', `00-${TRACE_ID.slice(0, 31)}g-00f067aa0ba902b7-01`],
    ['missing flags', `00-${TRACE_ID}-00f067aa0ba902b7`],
    ['garbage', 'hello'],
    ['empty', ''],
  ])('rejects %s', (_name, value) => {
    expect(traceIdFromTraceparent(value)).toBeUndefined();
    expect(resolveCorrelationId({ traceparent: value }, fixed)).toBe('new-id');
  });
});

describe('sanitizeCorrelationId', () => {
  it('returns undefined for nothing', () => {
    expect(sanitizeCorrelationId(undefined)).toBeUndefined();
  });
});

describe('stepIdempotencyKey', () => {
  const HEADER_SAFE = /^[\x21-\x7E]+$/;

  it('is deterministic and readable for ordinary inputs', () => {
    const key = stepIdempotencyKey('run_01HZX', 'call-erp', '0');
    expect(key).toBe('run_01HZX:call-erp:0');
    expect(stepIdempotencyKey('run_01HZX', 'call-erp', '0')).toBe(key);
  });

  it('differs by each part', () => {
    const keys = new Set([
      stepIdempotencyKey('r1', 'n', '0'),
      stepIdempotencyKey('r2', 'n', '0'),
      stepIdempotencyKey('r1', 'm', '0'),
      stepIdempotencyKey('r1', 'n', '1'),
    ]);
    expect(keys.size).toBe(4);
  });

  it('cannot be confused by separators inside the parts', () => {
    expect(stepIdempotencyKey('a:b', 'c', '0')).not.toBe(stepIdempotencyKey('a', 'b:c', '0'));
    expect(stepIdempotencyKey('a:b', 'c', '0')).toBe('a%3Ab:c:0');
  });

  it('encodes unsafe characters so the key is a valid header value', () => {
    const key = stepIdempotencyKey('run with spaces\r\n', 'nöde', 'items[3]');
    expect(key).toMatch(HEADER_SAFE);
    expect(key).toBe('run%20with%20spaces%0D%0A:n%C3%B6de:items%5B3%5D');
    expect(() => new Headers({ 'Idempotency-Key': key })).not.toThrow();
  });

  it('hashes long keys to a fixed, header-safe length', () => {
    const long = 'k'.repeat(500);
    const key = stepIdempotencyKey(long, 'node', '0');
    expect(key).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(stepIdempotencyKey(long, 'node', '0')).toBe(key);
    expect(stepIdempotencyKey(long, 'node', '1')).not.toBe(key);
    // sha256 of the readable form, checked against Node's implementation
    const readable = `${long}:node:0`;
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(readable)).then((digest) => {
      expect(key).toBe(`sha256-${Buffer.from(digest).toString('hex')}`);
    });
  });

  it('switches to the hash exactly past the readable limit', () => {
    const base = stepIdempotencyKey('', 'n', '0');
    const fits = 'r'.repeat(MAX_READABLE_IDEMPOTENCY_KEY - base.length);
    expect(stepIdempotencyKey(fits, 'n', '0')).toHaveLength(MAX_READABLE_IDEMPOTENCY_KEY);
    expect(stepIdempotencyKey(`${fits}r`, 'n', '0')).toMatch(/^sha256-/);
  });
});

describe('resolveTraceparent', () => {
  it('keeps the one valid traceparent, normalised to version 00', () => {
    expect(resolveTraceparent({ traceparent: ` ${TRACEPARENT} ` })).toBe(TRACEPARENT);
    expect(resolveTraceparent(new Headers({ traceparent: `cc-${TRACE_ID}-00f067aa0ba902b7-01-extra` }))).toBe(TRACEPARENT);
  });

  it('drops missing, invalid, all-zero and ambiguous ones', () => {
    expect(resolveTraceparent({})).toBeUndefined();
    expect(resolveTraceparent({ traceparent: 'nonsense' })).toBeUndefined();
    expect(resolveTraceparent({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` })).toBeUndefined();
    expect(resolveTraceparent({ traceparent: [TRACEPARENT, TRACEPARENT] })).toBeUndefined();
  });
});
