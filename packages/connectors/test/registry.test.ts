import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreNodeKinds, NodeExecutionError } from '@switchyard/workflow';
import { createCoreExecutors } from '../src/index';
import { connectorKindRegistry, connectorNodeKinds } from '../src/metadata';
import { makeCtx } from './helpers';

describe('createCoreExecutors', () => {
  it('has exactly one executor per core kind', () => {
    expect(Object.keys(createCoreExecutors()).sort()).toEqual(coreNodeKinds.map((k) => k.kind).sort());
  });

  it('rejects nonsensical budgets', () => {
    expect(() => createCoreExecutors({ jsonataTimeoutMs: 0 })).toThrow(/jsonataTimeoutMs must be a positive integer/);
    expect(() => createCoreExecutors({ jsonataMaxDepth: 1.5 })).toThrow(/jsonataMaxDepth/);
  });

  it('passes the input through triggers and delay', async () => {
    const executors = createCoreExecutors();
    const input = { hello: 'world' };
    expect(await executors['trigger.manual'](makeCtx(), {}, input)).toEqual({ output: input });
    expect(await executors['trigger.webhook'](makeCtx(), { path: 'invoices' }, input)).toEqual({ output: input });
    expect(await executors.delay(makeCtx(), { durationMs: 5000 }, input)).toEqual({ output: input });
  });

  it('turns a bad config into a permanent invalid_config naming the field', async () => {
    const err: unknown = await createCoreExecutors()
      .delay(makeCtx(), { durationMs: -1 }, {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeExecutionError);
    expect(err).toMatchObject({ code: 'invalid_config', retryable: false });
    expect((err as Error).message).toMatch(/^delay config is invalid: durationMs: /);
  });
});

describe('metadata entry', () => {
  it('lists the core kinds for the palette', () => {
    expect(connectorNodeKinds.map((k) => k.kind)).toEqual(coreNodeKinds.map((k) => k.kind));
    expect(connectorKindRegistry.get('http.request')?.displayName).toBe('HTTP request');
  });

  it('imports nothing but the browser-safe workflow package', () => {
    const source = readFileSync(new URL('../src/metadata.ts', import.meta.url), 'utf8');
    const specifiers = [...source.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(new Set(specifiers)).toEqual(new Set(['@switchyard/workflow']));
    expect(source).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
  });
});
