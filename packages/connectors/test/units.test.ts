import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../src/http/network-error';
import { decodeBody, snippet } from '../src/http/response-body';
import { displayUrl } from '../src/http/target-url';
import { LruCache } from '../src/jsonata/lru-cache';
import { jsonataBoolean, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../src/index';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');
  it.each([
    ['7', 7000],
    [' 0 ', 0],
    ['Sat, 28 Nov 2026 10:00:30 GMT', 30_000],
    ['Sat, 28 Nov 2026 09:00:00 GMT', 0],
    ['86400', MAX_RETRY_AFTER_MS],
    ['', undefined],
    ['soon', undefined],
    ['1.5', undefined],
    ['-3', undefined],
  ])('%j -> %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
  it('is undefined when absent', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });
  it('refuses a non-positive size', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});

describe('jsonataBoolean', () => {
  it.each([
    [true, true],
    [false, false],
    [null, false],
    [undefined, false],
    ['a', true],
    ['', false],
    [0, false],
    [-1, true],
    [[], false],
    [[false, 0], false],
    [[false, [1]], true],
    [{}, false],
    [{ a: null }, true],
  ])('%j -> %j', (value, expected) => {
    expect(jsonataBoolean(value)).toBe(expected);
  });
});

describe('http helpers', () => {
  it('finds the system error code inside undici errors, including AggregateErrors', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(describeNetworkError(refused)).toBe('connection refused (ECONNREFUSED)');
    const aggregate = new TypeError('fetch failed', {
      cause: new AggregateError([Object.assign(new Error('x'), { code: 'ENOTFOUND' })], 'all failed'),
    });
    expect(describeNetworkError(aggregate)).toBe('DNS lookup failed (host not found) (ENOTFOUND)');
    expect(describeNetworkError(new TypeError('fetch failed', { cause: new Error('weird') }))).toBe('weird');
  });

  it('hides query values and credentials in displayed URLs', () => {
    expect(displayUrl(new URL('https://u:p@erp.example.test:8443/a/b?token=abc&x=1#frag'))).toBe(
      'https://erp.example.test:8443/a/b?token=***&x=***',
    );
  });

  it('decodes JSON only when the content type says so', () => {
    expect(decodeBody({ text: '{"a":1}', truncated: false }, 'application/problem+json', 10)).toEqual({ a: 1 });
    expect(decodeBody({ text: '{"a":1}', truncated: false }, 'text/plain', 10)).toBe('{"a":1}');
    expect(decodeBody({ text: 'not json', truncated: false }, 'application/json', 10)).toBe('not json');
    expect(decodeBody({ text: '', truncated: false }, 'application/json', 10)).toBeNull();
  });

  it('flattens and shortens snippets', () => {
    expect(snippet('a\n\n  b')).toBe('a b');
    expect(snippet('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`);
  });
});
