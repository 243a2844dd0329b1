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
  it('lists the core, control, canonical, REST and ERP kinds for the palette', () => {
    expect(connectorNodeKinds.map((k) => k.kind)).toEqual([
      ...coreNodeKinds.map((k) => k.kind),
      'map',
      'join',
      'wait.event',
      'approval',
      'workflow.call',
      'canonical.validate',
      'rest.request',
      'netsuite.record',
      'business-central.record',
      'sap.record',
      'workday.record',
      'oracle-fusion.record',
      'back-office.record',
      'trigger.event',
      'event.publish',
      'trigger.file',
      'file.parse',
      'file.write',
      'trigger.sql-poll',
      'sql.query',
      'sql.upsert',
    ]);
    expect(connectorKindRegistry.get('http.request')?.displayName).toBe('HTTP request');
  });

  it('pulls in only browser-safe modules: workflow, canonical, zod and its own kind files', () => {
    // Follows the relative imports of metadata.ts: the designer bundles all of them.
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const source = readFileSync(url, 'utf8');
      expect(source, url.pathname).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
      for (const [, spec] of source.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) {
        if (spec!.startsWith('.')) visit(new URL(`${spec}.ts`, url));
        else external.add(spec!);
      }
    };
    visit(new URL('../src/metadata.ts', import.meta.url));
    expect(seen.size).toBeGreaterThan(5);
    expect([...external].sort()).toEqual(['@switchyard/canonical', '@switchyard/workflow', 'zod']);
    for (const file of seen) expect(file).not.toMatch(/executor|client|outbound|oauth/);
  });
});
