import { describe, expect, it } from 'vitest';
import { MAX_NODES, MAX_REPORTED_ISSUES, validateGraph } from '../src';
import { graph } from '../src/testing';
import { validBuilder } from './helpers';

function errorsOf(input: unknown) {
  const result = validateGraph(input);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('validateGraph on hostile input', () => {
  it.each([
    ['null', null, 'received null'],
    ['undefined', undefined, 'received nothing'],
    ['a string', '{"schemaVersion":1}', 'received a string'],
    ['a number', 42, 'received a number'],
    ['a bigint', 10n, 'received a bigint'],
    ['a symbol', Symbol('x'), 'received a symbol'],
    ['a function', () => 1, 'received a function'],
    ['an array', [1, 2], 'received an array'],
  ])('rejects %s as the graph', (_name, input, received) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: '', code: 'invalid_schema' });
    expect(errors[0]!.message).toContain(received);
  });

  it('rejects oversized node arrays up front, quickly, with one issue', () => {
    const started = performance.now();
    const errors = errorsOf({ schemaVersion: 1, nodes: new Array(1_000_000).fill({ id: 1 }), edges: [], settings: {} });
    expect(performance.now() - started).toBeLessThan(500);
    expect(errors).toEqual([
      { path: 'nodes', code: 'invalid_schema', message: `nodes has 1000000 entries; at most ${MAX_NODES} are allowed` },
    ]);
  });

  it('caps the issue list for many bad elements', () => {
    const nodes = Array.from({ length: MAX_NODES }, () => ({ id: '' }));
    const edges = Array.from({ length: 10_000 }, () => 'edge');
    const errors = errorsOf({ schemaVersion: 1, nodes, edges, settings: {} });
    expect(errors).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(errors.at(-1)!.code).toBe('too_many_issues');
  });

  it('does not let __proto__ keys pollute prototypes or leak into the graph', () => {
    const json = `{
      "schemaVersion": 1,
      "__proto__": { "polluted": true },
      "settings": { "__proto__": { "polluted": true } },
      "nodes": [
        { "id": "__proto__", "kind": "trigger.manual", "config": { "__proto__": { "polluted": true } } },
        { "id": "constructor", "kind": "http.request",
          "config": { "url": "http://x", "headers": { "__proto__": "x", "X-Ok": "1" } } }
      ],
      "edges": [{ "id": "toString", "source": "__proto__", "target": "constructor" }]
    }`;
    const result = validateGraph(JSON.parse(json));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [trigger, call] = result.graph.nodes;
    expect(Object.getPrototypeOf(trigger!.config)).toBe(Object.prototype);
    expect((trigger!.config as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys((call!.config as { headers: object }).headers)).toEqual(['X-Ok']);
    expect(Object.getPrototypeOf(result.graph.settings)).toBe(Object.prototype);
  });

  it('reports an unknown kind named like an Object.prototype member', () => {
    const g = graph().node('t', 'trigger.manual').node('x', 'constructor').edge('t', 'x').build();
    expect(errorsOf(g).map((e) => e.code)).toEqual(['unknown_kind']);
  });

  it('keeps messages short when ids are huge', () => {
    const hugeId = 'a'.repeat(1_000_000);
    const g = validBuilder().build();
    g.edges.push({ id: 'e-huge', source: 'ok', sourcePort: 'out', target: hugeId });
    const errors = errorsOf(g);
    expect(errors.map((e) => `${e.code} ${e.path}`)).toEqual(['invalid_schema edges[4].target', 'dangling_edge edges[4].target']);
    expect(errors[0]!.message).toBe('edges[4].target must be at most 64 characters');
    for (const error of errors) expect(error.message.length).toBeLessThan(200);
    expect(JSON.stringify(errors).length).toBeLessThan(1000);
  });

  it('survives throwing getters and proxies', () => {
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('no reading');
        },
        ownKeys() {
          throw new Error('no listing');
        },
      },
    );
    const errors = errorsOf(trap);
    expect(errors[0]).toMatchObject({ path: '', code: 'invalid_schema' });
    const withGetter = { schemaVersion: 1, edges: [], settings: {} };
    Object.defineProperty(withGetter, 'nodes', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(errorsOf(withGetter)[0]!.message).toContain('boom');
  });

  it('handles non-finite numbers, deep nesting and cyclic values in configs', () => {
    const g = validBuilder().build();
    g.nodes[0]!.position = { x: Number.NaN, y: Number.POSITIVE_INFINITY };
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = { deep };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    g.nodes.push({ id: 's', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: { samplePayload: { deep, cyclic } } });
    const codes = errorsOf(g).map((e) => `${e.code} ${e.path}`);
    expect(codes).toEqual([
      'invalid_schema nodes[0].position.x',
      'invalid_schema nodes[0].position.y',
      'multiple_triggers nodes[0]',
      'multiple_triggers nodes[5]',
    ]);
  });

  it('rejects wrong shapes everywhere with paths, without throwing', () => {
    const errors = errorsOf({
      schemaVersion: 1,
      nodes: [null, 'node', { id: 'a b', kind: 7 }, { id: 'ok', kind: 'trigger.manual', policy: { retry: { maxAttempts: 0 } } }],
      edges: [null, { id: 'e', source: 'ok' }],
      settings: { description: 5 },
    });
    expect(errors.map((e) => `${e.code} ${e.path}`)).toEqual([
      'invalid_schema settings.description',
      'invalid_schema nodes[0]',
      'invalid_schema nodes[1]',
      'invalid_schema nodes[2].id',
      'invalid_schema nodes[2].kind',
      'invalid_schema nodes[3].policy.retry.maxAttempts',
      'invalid_schema edges[0]',
      'invalid_schema edges[1].target',
    ]);
    expect(errors.find((e) => e.path === 'nodes[2].id')!.message).toBe(
      'nodes[2].id may contain only letters, digits, "_" and "-"',
    );
    expect(errors.find((e) => e.path === 'edges[1].target')).toMatchObject({ edgeId: 'e', message: 'edges[1].target is required' });
  });

  it('validates a maximal graph (a 5000-node chain, ~10000 edges) without deep recursion or quadratic work', () => {
    const b = graph().node('n0', 'trigger.manual');
    for (let i = 1; i < MAX_NODES; i++) b.node(`n${i}`, 'transform', { expression: '$' }).edge(`n${i - 1}`, `n${i}`);
    for (let i = 2; i < MAX_NODES; i++) b.edge(`n${i - 2}`, `n${i}`, 'error');
    const g = b.build();
    const started = performance.now();
    expect(validateGraph(g).ok).toBe(true);
    // one back edge at the far end is found and reported with a shortened cycle
    g.edges.push({ id: 'back', source: `n${MAX_NODES - 1}`, sourcePort: 'out', target: 'n1' });
    const errors = errorsOf(g);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(errors.map((e) => e.code)).toEqual(['cycle']);
    expect(errors[0]!.message).toMatch(/^Edge "back" closes a cycle: n1 → n2 → .* → … → .* → n1;/);
  });

  it('returns plain JSON-serialisable issues', () => {
    const errors = errorsOf({ schemaVersion: 1, nodes: [{}], edges: [{}] });
    expect(JSON.parse(JSON.stringify(errors))).toEqual(errors);
  });
});
