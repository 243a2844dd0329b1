import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtinRegistry,
  coreRegistry,
  defineNodeKind,
  GRAPH_ISSUE_CODES,
  MAX_REPORTED_ISSUES,
  validateGraph,
  type Graph,
  type GraphIssue,
  type NodeKindDefinition,
} from '../src';
import { graph } from '../src/testing';
import { validBuilder } from './helpers';

function issuesOf(input: unknown, registry: ReadonlyMap<string, NodeKindDefinition<unknown>> = builtinRegistry): GraphIssue[] {
  const result = validateGraph(input, registry);
  return result.ok ? [] : result.errors;
}

function expectOk(input: unknown, registry: ReadonlyMap<string, NodeKindDefinition<unknown>> = builtinRegistry): Graph {
  const result = validateGraph(input, registry);
  if (!result.ok) throw new Error(`expected a valid graph, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.graph;
}

describe('validateGraph: a valid graph', () => {
  it('returns the parsed graph with defaults and parsed configs', () => {
    const input = validBuilder().build();
    const raw = JSON.parse(JSON.stringify(input)) as Record<string, unknown> & { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
    delete raw.settings;
    delete raw.nodes[1]!.position;
    delete raw.edges[0]!.sourcePort;
    const parsed = expectOk(raw);
    expect(parsed.settings).toEqual({});
    expect(parsed.nodes[1]!.position).toEqual({ x: 0, y: 0 });
    expect(parsed.edges[0]!.sourcePort).toBe('out');
    expect(parsed.nodes[0]!.config).toEqual({ path: 'orders', synchronous: false, responseTimeoutMs: 10_000 });
    expect(parsed.nodes[2]!.config).toEqual({ method: 'POST', url: 'http://127.0.0.1:3000/api/health', headers: {} });
    expect(parsed.nodes[4]!.config).toEqual({ status: 200, headers: {} });
  });

  it('drops unknown keys instead of carrying them into the stored graph', () => {
    const raw = { ...validBuilder().build(), extra: 1 };
    expect(expectOk(raw)).not.toHaveProperty('extra');
  });
});

/**
 * Each code with a failing graph and the nearest passing one, so a test fails if the check is
 * missing and also if it fires on correct input.
 */
describe('validateGraph: every issue code', () => {
  const cases: {
    code: GraphIssue['code'];
    failing: () => unknown;
    passing: () => unknown;
    expected: Partial<GraphIssue>;
    messageMatch: RegExp;
  }[] = [
    {
      code: 'invalid_schema',
      failing: () => {
        const g = validBuilder().build();
        (g.nodes[1]!.position as { x: unknown }).x = 'left';
        return g;
      },
      passing: () => validBuilder().build(),
      expected: { path: 'nodes[1].position.x', nodeId: 'map' },
      messageMatch: /^nodes\[1\]\.position\.x must be a number, received a string$/,
    },
    {
      code: 'unsupported_schema_version',
      failing: () => ({ ...validBuilder().build(), schemaVersion: 7 }),
      passing: () => ({ ...validBuilder().build(), schemaVersion: 1 }),
      expected: { path: 'schemaVersion' },
      messageMatch: /schemaVersion 7 is not supported/,
    },
    {
      code: 'unknown_kind',
      failing: () => validBuilder().node('x', 'erp.teleport').edge('ok', 'x').build(),
      passing: () => validBuilder().node('x', 'delay', { durationMs: 5 }).edge('ok', 'x').build(),
      expected: { path: 'nodes[5].kind', nodeId: 'x' },
      messageMatch: /kind "erp\.teleport" is not a known node kind/,
    },
    {
      code: 'invalid_config',
      failing: () => graph().node('t', 'trigger.webhook', { path: 'x' }).node('call', 'http.request', { url: '' }).edge('t', 'call').build(),
      passing: () => graph().node('t', 'trigger.webhook', { path: 'x' }).node('call', 'http.request', { url: 'http://x' }).edge('t', 'call').build(),
      expected: { path: 'nodes[1].config.url', nodeId: 'call' },
      messageMatch: /^Node "call" \(HTTP request\): url must not be empty$/,
    },
    {
      code: 'duplicate_node_id',
      failing: () => validBuilder().node('map', 'delay', { durationMs: 1 }).build(),
      passing: () => validBuilder().node('wait', 'delay', { durationMs: 1 }).edge('ok', 'wait').build(),
      expected: { path: 'nodes[5].id', nodeId: 'map' },
      messageMatch: /Node id "map" is used by nodes\[1\] and nodes\[5\]/,
    },
    {
      code: 'duplicate_edge_id',
      failing: () => validBuilder().edge('check', 'ok', 'false', 't-map').build(),
      passing: () => validBuilder().edge('check', 'ok', 'false', 'check-false').build(),
      expected: { path: 'edges[4].id', edgeId: 't-map' },
      messageMatch: /Edge id "t-map" is used by edges\[0\] and edges\[4\]/,
    },
    {
      code: 'dangling_edge',
      failing: () => validBuilder().edge('ok', 'ghost').build(),
      passing: () => validBuilder().node('ghost', 'delay', { durationMs: 0 }).edge('ok', 'ghost').build(),
      expected: { path: 'edges[4].target', edgeId: 'ok-ghost' },
      messageMatch: /target node "ghost" does not exist/,
    },
    {
      code: 'unknown_port',
      failing: () => validBuilder().node('late', 'delay', { durationMs: 1 }).edge('check', 'late', 'maybe').build(),
      passing: () => validBuilder().node('late', 'delay', { durationMs: 1 }).edge('check', 'late', 'false').build(),
      expected: { path: 'edges[4].sourcePort', nodeId: 'check' },
      messageMatch: /node "check" \(Condition\) has no output port "maybe"; its ports are true, false, error/,
    },
    {
      code: 'duplicate_edge',
      failing: () => validBuilder().edge('t', 'map').build(),
      passing: () => validBuilder().edge('check', 'ok', 'false').build(),
      expected: { path: 'edges[4]', edgeId: 't-map-2' },
      messageMatch: /repeats edges\[0\]/,
    },
    {
      code: 'edge_into_trigger',
      failing: () => validBuilder().edge('check', 't', 'false').build(),
      passing: () => validBuilder().node('retry', 'delay', { durationMs: 9 }).edge('check', 'retry', 'false').build(),
      expected: { path: 'edges[4].target', nodeId: 't' },
      messageMatch: /node "t" is a trigger; triggers start a run and cannot have incoming edges/,
    },
    {
      code: 'no_trigger',
      failing: () => graph().node('a', 'transform', { expression: '$' }).build(),
      passing: () => graph().node('s', 'trigger.manual').node('a', 'transform', { expression: '$' }).edge('s', 'a').build(),
      expected: { path: 'nodes' },
      messageMatch: /no trigger; add exactly one trigger node \(Manual trigger, Webhook trigger\)/,
    },
    {
      code: 'multiple_triggers',
      failing: () => validBuilder().node('t2', 'trigger.manual').edge('t2', 'map').build(),
      passing: () => validBuilder().build(),
      expected: { path: 'nodes[5]', nodeId: 't2' },
      messageMatch: /one of 2 triggers \("t", "t2"\)/,
    },
    {
      code: 'unreachable_node',
      failing: () => validBuilder().node('island', 'transform', { expression: '$' }).build(),
      passing: () => validBuilder().node('island', 'transform', { expression: '$' }).edge('check', 'island', 'false').build(),
      expected: { path: 'nodes[5]', nodeId: 'island' },
      messageMatch: /Node "island" is not reachable from the trigger/,
    },
    {
      code: 'cycle',
      failing: () => validBuilder().edge('check', 'map', 'false').build(),
      passing: () => validBuilder().edge('check', 'ok', 'false').build(),
      expected: { path: 'edges[4]', edgeId: 'check-false-map', nodeId: 'map' },
      messageMatch: /closes a cycle: map → call → check → map/,
    },
    {
      code: 'invalid_compensation',
      failing: () =>
        validBuilder()
          .node('cancel', 'http.request', { url: 'http://x' }, { compensation: { kind: 'http.request', config: { url: '' } } })
          .edge('ok', 'cancel')
          .build(),
      passing: () =>
        validBuilder()
          .node('cancel', 'http.request', { url: 'http://x' }, { compensation: { kind: 'http.request', config: { url: 'http://x/undo' } } })
          .edge('ok', 'cancel')
          .build(),
      expected: { path: 'nodes[5].compensation.config.url', nodeId: 'cancel' },
      messageMatch: /^Node "cancel": compensation \(HTTP request\): url must not be empty$/,
    },
    {
      code: 'map_body',
      failing: () => validBuilder().node('each', 'map', { items: 'lines' }).edge('ok', 'each').build(),
      passing: () =>
        validBuilder().node('each', 'map', { items: 'lines' }).node('line', 'transform', { expression: '$' }).edge('ok', 'each').edge('each', 'line', 'item').build(),
      expected: { path: 'nodes[5]', nodeId: 'each' },
      messageMatch: /^Map "each" has no body: connect its "item" port/,
    },
    {
      code: 'join_inputs',
      failing: () => validBuilder().node('both', 'join').edge('ok', 'both').build(),
      passing: () => validBuilder().node('both', 'join').edge('ok', 'both').edge('check', 'both', 'false').build(),
      expected: { path: 'nodes[5]', nodeId: 'both' },
      messageMatch: /^Join "both" has one incoming branch; connect at least two/,
    },
  ];

  it('covers every code except the overflow summary', () => {
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(GRAPH_ISSUE_CODES.filter((c) => c !== 'too_many_issues')));
  });

  it.each(cases)('$code: reported for the failing graph', ({ code, failing, expected, messageMatch }) => {
    const issues = issuesOf(failing());
    const matching = issues.filter((i) => i.code === code);
    expect(matching, JSON.stringify(issues, null, 2)).toHaveLength(code === 'multiple_triggers' ? 2 : 1);
    const issue = matching.find((i) => i.path === expected.path);
    expect(issue).toMatchObject({ code, ...expected });
    expect(issue!.message).toMatch(messageMatch);
  });

  it.each(cases)('$code: the corrected graph passes', ({ passing }) => {
    expectOk(passing());
  });
});

describe('validateGraph: collecting', () => {
  it('reports unrelated problems together, each once', () => {
    const g = validBuilder().node('x', 'nope').node('d', 'delay', { durationMs: -1 }).edge('ok', 'd').edge('d', 'gone').build();
    const codes = issuesOf(g).map((i) => i.code);
    expect(codes.sort()).toEqual(['dangling_edge', 'invalid_config', 'unknown_kind', 'unreachable_node'].sort());
  });

  it('reports one issue per failing config field, merging checks on the same field', () => {
    const g = graph()
      .node('t', 'trigger.webhook', { path: '', responseTimeoutMs: 5, synchronous: 'yes' })
      .node('call', 'http.request', { url: 'http://x', method: 'FETCH', headers: { 'bad header': 'v' } })
      .edge('t', 'call')
      .build();
    const issues = issuesOf(g);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['nodes[0].config.path', 'Node "t" (Webhook trigger): path must not be empty and may contain only lower-case letters, digits, "-", "_" and "/"'],
      ['nodes[0].config.synchronous', 'Node "t" (Webhook trigger): synchronous must be a boolean, received a string'],
      ['nodes[0].config.responseTimeoutMs', 'Node "t" (Webhook trigger): responseTimeoutMs must be at least 100'],
      ['nodes[1].config.method', 'Node "call" (HTTP request): method must be one of "GET", "POST", "PUT", "PATCH", "DELETE"'],
      ['nodes[1].config.headers["bad header"]', 'Node "call" (HTTP request): headers["bad header"] is not a valid HTTP header name'],
    ]);
    expect(issues.every((i) => i.code === 'invalid_config')).toBe(true);
  });

  it('says a missing required field is required', () => {
    const g = graph().node('t', 'trigger.manual').node('wait', 'delay').edge('t', 'wait').build();
    expect(issuesOf(g)).toEqual([
      { nodeId: 'wait', path: 'nodes[1].config.durationMs', code: 'invalid_config', message: 'Node "wait" (Delay): durationMs is required' },
    ]);
  });

  it('keeps a node with a bad field in the graph checks, so its edges are not called dangling', () => {
    const g = validBuilder().build();
    (g.nodes[2] as { label: unknown }).label = 42;
    const issues = issuesOf(g);
    expect(issues).toEqual([
      { nodeId: 'call', path: 'nodes[2].label', code: 'invalid_schema', message: 'nodes[2].label must be a string, received a number' },
    ]);
  });

  it('does not call nodes unreachable when there is no trigger at all', () => {
    const g = graph().node('a', 'transform', { expression: '$' }).node('b', 'transform', { expression: '$' }).build();
    expect(issuesOf(g).map((i) => i.code)).toEqual(['no_trigger']);
  });

  it('reports each edge that closes a cycle, including self loops', () => {
    const g = validBuilder().edge('call', 'call', 'error').edge('check', 't', 'false').build();
    const cycles = issuesOf(g).filter((i) => i.code === 'cycle');
    expect(cycles.map((c) => c.message)).toEqual([
      'Edge "call-error-call" closes a cycle: call → call; workflows cannot loop back to an earlier node',
      'Edge "check-false-t" closes a cycle: t → map → call → check → t; workflows cannot loop back to an earlier node',
    ]);
  });

  it('allows the error port on any kind, even when the kind does not list it', () => {
    const g = graph().node('t', 'trigger.manual').node('d', 'delay', { durationMs: 1 }).node('r', 'respond').edge('t', 'd').edge('d', 'r', 'error').build();
    expectOk(g);
  });

  it('summarises issues past the cap in one too_many_issues entry', () => {
    const g = graph().node('t', 'trigger.manual');
    for (let i = 0; i < 300; i++) g.node(`n${i}`, 'nope');
    const issues = issuesOf(g.build());
    expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(issues.at(-1)).toEqual({
      path: '',
      code: 'too_many_issues',
      message: '400 more issues were found and not listed; fix the ones above first',
    });
  });
});

describe('validateGraph: custom registries', () => {
  const switchKind = defineNodeKind<{ cases: string[] }>()({
    kind: 'switch',
    version: 1,
    category: 'logic',
    displayName: 'Switch',
    description: 'Routes by case.',
    icon: 'split',
    configSchema: z.object({ cases: z.array(z.string().min(1)).min(1) }),
    defaultConfig: { cases: ['a'] },
    isTrigger: false,
    outputs: (config) => [...config.cases, 'default'],
  });
  const registry = new Map<string, NodeKindDefinition<unknown>>([...coreRegistry, ['switch', switchKind as unknown as NodeKindDefinition<unknown>]]);

  it('checks ports that depend on the config', () => {
    const build = (port: string) =>
      graph().node('t', 'trigger.manual').node('s', 'switch', { cases: ['eu', 'us'] }).node('x', 'transform', { expression: '$' }).edge('t', 's').edge('s', 'x', port).build();
    expectOk(build('eu'), registry);
    expectOk(build('default'), registry);
    expect(issuesOf(build('apac'), registry).map((i) => i.code)).toEqual(['unknown_port']);
  });

  it('does not guess ports when the config that defines them is invalid', () => {
    const g = graph().node('t', 'trigger.manual').node('s', 'switch', { cases: [] }).node('x', 'transform', { expression: '$' }).edge('t', 's').edge('s', 'x', 'eu').build();
    expect(issuesOf(g, registry).map((i) => i.code)).toEqual(['invalid_config']);
  });

  it('rejects kinds the given registry does not hold', () => {
    const g = graph().node('t', 'trigger.manual').node('s', 'switch', { cases: ['a'] }).edge('t', 's').build();
    expect(issuesOf(g).map((i) => i.code)).toEqual(['unknown_kind']);
  });
});
