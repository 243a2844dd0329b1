import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, graphMigrations, migrateGraph, validateGraph, type GraphMigration } from '../src';
import { deepFreeze, validBuilder } from './helpers';

/** A graph as drafts stored it before schemaVersion existed: edges by `from`/`to`, no ids, no settings. */
function v0Graph() {
  return {
    nodes: [
      { id: 't', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
      { id: 'c', kind: 'condition', position: { x: 200, y: 0 }, config: { expression: 'x > 1' } },
      { id: 'y', kind: 'transform', position: { x: 400, y: 0 }, config: { expression: '$' } },
    ],
    edges: [
      { from: 't', to: 'c' },
      { id: 'edge-1', from: 'c', to: 'y', port: 'true' },
    ],
  };
}

describe('migrateGraph', () => {
  it('upgrades a v0 graph (no schemaVersion, from/to edges) to the current version', () => {
    const input = deepFreeze(v0Graph());
    expect(migrateGraph(input)).toEqual({
      schemaVersion: 1,
      nodes: input.nodes,
      edges: [
        // edge-1 is taken, so the generated id skips it
        { id: 'edge-2', source: 't', target: 'c' },
        { id: 'edge-1', source: 'c', target: 'y', sourcePort: 'true' },
      ],
      settings: {},
    });
  });

  it('treats an explicit schemaVersion 0 like a missing one', () => {
    expect(migrateGraph({ ...v0Graph(), schemaVersion: 0 })).toEqual(migrateGraph(v0Graph()));
  });

  it('lets validateGraph accept v0 graphs and return them as the current version', () => {
    const result = validateGraph(deepFreeze(v0Graph()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(result.graph.edges.map((e) => [e.source, e.sourcePort, e.target])).toEqual([
      ['t', 'out', 'c'],
      ['c', 'true', 'y'],
    ]);
  });

  it('leaves current graphs untouched (same object)', () => {
    const g = validBuilder().build();
    expect(migrateGraph(g)).toBe(g);
  });

  it('leaves what it cannot migrate for validation to report', () => {
    for (const raw of [null, 'x', 3, [], { schemaVersion: 99 }, { schemaVersion: 'one' }, { schemaVersion: 0.5 }]) {
      expect(migrateGraph(raw)).toBe(raw);
    }
    const future = validateGraph({ ...validBuilder().build(), schemaVersion: 99 });
    expect(future).toMatchObject({ ok: false, errors: [{ code: 'unsupported_schema_version', path: 'schemaVersion' }] });
  });

  it('passes malformed v0 parts through for validation to describe', () => {
    const migrated = migrateGraph({ nodes: 'x', edges: [null, 5, { from: 'a' }] });
    expect(migrated).toEqual({ schemaVersion: 1, nodes: 'x', edges: [null, 5, { id: 'edge-1', source: 'a', target: undefined }], settings: {} });
    const result = validateGraph({ nodes: [], edges: [{ from: 'a' }] });
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { code: 'invalid_schema', path: 'edges[0].target', message: 'edges[0].target is required' },
        { code: 'dangling_edge', path: 'edges[0].source' },
        { code: 'no_trigger' },
      ],
    });
  });

  it('orders the registered migrations by version without gaps', () => {
    expect(graphMigrations.map((m) => m.from)).toEqual(Array.from({ length: CURRENT_SCHEMA_VERSION }, (_, i) => i));
  });

  describe('the mechanism, with a chain of fake migrations', () => {
    const chain: GraphMigration[] = [
      // Registered out of order on purpose: they must run by `from`, not by position.
      { from: 1, description: 'rename title → name', migrate: ({ title, ...g }) => ({ ...g, name: title }) },
      { from: 0, description: 'add title', migrate: (g) => ({ ...g, title: 'untitled' }) },
      { from: 2, description: 'wrap name', migrate: (g) => ({ ...g, name: { text: g.name } }) },
    ];

    it('applies each step in version order up to the target', () => {
      const input = deepFreeze({ nodes: [] });
      expect(migrateGraph(input, chain, 3)).toEqual({ nodes: [], schemaVersion: 3, name: { text: 'untitled' } });
      expect(migrateGraph(input, chain, 2)).toEqual({ nodes: [], schemaVersion: 2, name: 'untitled' });
      expect(migrateGraph({ schemaVersion: 2, name: 'n' }, chain, 3)).toEqual({ schemaVersion: 3, name: { text: 'n' } });
    });

    it('stops where a step is missing', () => {
      const gap = chain.filter((m) => m.from !== 1);
      expect(migrateGraph({}, gap, 3)).toEqual({ schemaVersion: 1, title: 'untitled' });
    });

    it('returns the last good version when a step throws', () => {
      const throwing: GraphMigration[] = [
        chain[1]!,
        {
          from: 1,
          description: 'broken',
          migrate: () => {
            throw new Error('bad step');
          },
        },
      ];
      expect(migrateGraph({}, throwing, 2)).toEqual({ schemaVersion: 1, title: 'untitled' });
    });
  });
});
