import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyOperation, canConnect, coreRegistry, defineNodeKind, validateGraph, type NodeKindDefinition } from '../src';
import { graph } from '../src/testing';
import { validBuilder } from './helpers';

const g = validBuilder().node('late', 'delay', { durationMs: 5 }).node('x', 'mystery').build();

function reason(source: string, sourcePort: string, target: string): string | undefined {
  const result = canConnect(g, coreRegistry, { source, sourcePort, target });
  return result.ok ? undefined : result.reason;
}

describe('canConnect', () => {
  it('allows a new edge that keeps the graph valid', () => {
    expect(canConnect(g, coreRegistry, { source: 'check', sourcePort: 'false', target: 'late' })).toEqual({ ok: true });
    const added = applyOperation(g, { type: 'addEdge', edge: { id: 'n', source: 'check', sourcePort: 'false', target: 'late' } }).graph;
    const result = validateGraph({ ...added, nodes: added.nodes.filter((n) => n.id !== 'x') });
    expect(result.ok).toBe(true);
  });

  it('allows the error port on every kind', () => {
    expect(reason('late', 'error', 'ok')).toBeUndefined();
    expect(reason('call', 'error', 'late')).toBeUndefined();
  });

  it.each([
    ['a missing source', 'ghost', 'out', 'ok', 'Source node "ghost" does not exist'],
    ['a missing target', 'ok', 'out', 'ghost', 'Target node "ghost" does not exist'],
    ['a self loop', 'map', 'out', 'map', 'A node cannot be connected to itself'],
    ['an edge into a trigger', 'ok', 'out', 't', 'Webhook trigger "t" is a trigger; triggers cannot have incoming connections'],
    ['a port the kind does not have', 'check', 'out', 'late', 'Condition "check" has no output port "out" (ports: true, false, error)'],
    ['a source of unknown kind', 'x', 'out', 'late', 'Node "x" has unknown kind "mystery"'],
    ['a duplicate edge', 'map', 'out', 'call', 'Port "out" of "map" is already connected to "call"'],
    ['a cycle', 'check', 'false', 'map', 'Connecting would create a cycle: check → map → call → check'],
    ['a cycle through the error port', 'ok', 'error', 'call', 'Connecting would create a cycle: ok → call → check → ok'],
  ])('refuses %s', (_name, source, port, target, expected) => {
    expect(reason(source, port, target)).toBe(expected);
  });

  it('checks ports that depend on the config', () => {
    const switchKind = defineNodeKind<{ cases: string[] }>()({
      kind: 'switch',
      version: 1,
      category: 'logic',
      displayName: 'Switch',
      description: 'Routes by case.',
      icon: 'split',
      configSchema: z.object({ cases: z.array(z.string()) }),
      defaultConfig: { cases: [] },
      isTrigger: false,
      outputs: (config) => config.cases,
    });
    const registry = new Map<string, NodeKindDefinition<unknown>>([...coreRegistry, ['switch', switchKind as unknown as NodeKindDefinition<unknown>]]);
    const sg = graph().node('t', 'trigger.manual').node('s', 'switch', { cases: ['eu'] }).node('a', 'transform', { expression: '$' }).edge('t', 's').build();
    expect(canConnect(sg, registry, { source: 's', sourcePort: 'eu', target: 'a' })).toEqual({ ok: true });
    expect(canConnect(sg, registry, { source: 's', sourcePort: 'us', target: 'a' })).toEqual({
      ok: false,
      reason: 'Switch "s" has no output port "us" (ports: eu, error)',
    });
  });
});
