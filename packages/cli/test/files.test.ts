import { describe, expect, it } from 'vitest';
import { fileNames, stableJson } from '../src/estate/files';
import { diffValues } from '../src/estate/plan';
import { credentialRef, signingSecretRef } from '../src/estate/secret-refs';

describe('estate files: names and bytes', () => {
  it('serialises with keys sorted at every depth and arrays in order, ending in a newline', () => {
    expect(stableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('derives file names from natural keys; names that collide get a stable hash suffix', () => {
    const names = fileNames(['Invoice sync', 'invoice/sync', 'Orders', 'Ünïcode ✓']);
    expect(names.get('Orders')).toBe('orders');
    expect(names.get('Ünïcode ✓')).toBe('unicode');
    expect(names.get('Invoice sync')).toMatch(/^invoice-sync-[0-9a-f]{8}$/);
    expect(names.get('invoice/sync')).toMatch(/^invoice-sync-[0-9a-f]{8}$/);
    expect(names.get('Invoice sync')).not.toBe(names.get('invoice/sync'));
    expect(fileNames(['invoice/sync', 'Invoice sync']).get('Invoice sync')).toBe(names.get('Invoice sync'));
  });

  it('names secret variables after tenant, object and field', () => {
    expect(credentialRef('acme', 'NetSuite (prod)', 'tokenSecret')).toBe('ACME_NET_SUITE_PROD_TOKEN_SECRET');
    expect(credentialRef('9lives', 'erp', 'password')).toBe('S_9LIVES_ERP_PASSWORD');
    expect(signingSecretRef('acme', 'Invoice sync', 0)).toBe('ACME_INVOICE_SYNC_SIGNING_SECRET');
    expect(signingSecretRef('acme', 'Invoice sync', 1)).toBe('ACME_INVOICE_SYNC_SIGNING_SECRET_2');
  });
});

describe('plan field diffs', () => {
  it('reports leaf paths, and graph nodes and edges by id rather than by position', () => {
    const before = { name: 'a', graph: { nodes: [{ id: 'x', config: { path: 'in' } }, { id: 'y', config: {} }], edges: [] } };
    const after = { name: 'a', graph: { nodes: [{ id: 'y', config: {} }, { id: 'x', config: { path: 'out' } }, { id: 'z', config: {} }], edges: [] } };
    expect(diffValues(before, after)).toEqual([
      { path: 'graph.nodes[x].config.path', before: 'in', after: 'out' },
      { path: 'graph.nodes[z]', after: { id: 'z', config: {} } },
    ]);
    expect(diffValues({ a: [1, 2] }, { a: [2, 1] })).toEqual([{ path: 'a', before: [1, 2], after: [2, 1] }]);
    expect(diffValues({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } })).toEqual([]);
  });
});
