import { describe, expect, it } from 'vitest';
import { packageOf } from '../src/lib/cpu-profile';

describe('packageOf', () => {
  it('names dependencies by package, scoped or not', () => {
    expect(packageOf('file:///w/node_modules/.pnpm/pg@8.23.1/node_modules/pg/lib/client.js', 'query')).toBe('pg');
    expect(packageOf('file:///w/node_modules/.pnpm/@prisma+client@7/node_modules/@prisma/client/runtime/x.js', 'f')).toBe('@prisma/client');
  });

  it('names workspace sources by folder and node internals as core', () => {
    expect(packageOf('file:///w/packages/engine/src/run-loop.ts', 'loop')).toBe('packages/engine');
    expect(packageOf('node:internal/streams/writable', 'write')).toBe('node core');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});
