import type { Graph } from '@switchyard/workflow';
import { kindsByName } from './kinds';
import type { NodeRunInfo } from './run-overlay';

/**
 * What a node's expressions will see, for the JSONata editor's completions and live preview: `$`
 * (the node input) and `$trigger` (the run's trigger payload). Taken, best first, from the last
 * test run (the node's own recorded input), a pinned output of the node upstream, that node's
 * output in the last test run, or a trigger's sample payload. Pure, so it is unit-tested.
 */
export interface SampleValue {
  value: unknown;
  /** Where the value came from, shown under the editor ("last test run", "pinned output of Shape"). */
  source: string;
}

export interface ExpressionContext {
  input: SampleValue | null;
  trigger: SampleValue | null;
}

export function expressionContext(graph: Graph, nodeId: string, run: ReadonlyMap<string, NodeRunInfo>, labelOf: (id: string) => string): ExpressionContext {
  return { input: inputSample(graph, nodeId, run, labelOf), trigger: triggerSample(graph, run) };
}

function inputSample(graph: Graph, nodeId: string, run: ReadonlyMap<string, NodeRunInfo>, labelOf: (id: string) => string): SampleValue | null {
  const own = run.get(nodeId);
  if (own && own.input !== undefined) return { value: own.input, source: 'its input in the last test run' };
  for (const edge of graph.edges) {
    if (edge.target !== nodeId) continue;
    const pinned = graph.settings.pins?.[edge.source];
    if (pinned) return { value: pinned.output, source: `pinned output of ${labelOf(edge.source)}` };
    const upstream = run.get(edge.source);
    if (upstream && upstream.output !== undefined) return { value: upstream.output, source: `output of ${labelOf(edge.source)} in the last test run` };
    const sample = sampleOfTrigger(graph, edge.source);
    if (sample !== undefined) return { value: sample, source: `sample payload of ${labelOf(edge.source)}` };
  }
  return null;
}

function triggerSample(graph: Graph, run: ReadonlyMap<string, NodeRunInfo>): SampleValue | null {
  const trigger = graph.nodes.find((n) => kindsByName.get(n.kind)?.isTrigger);
  if (!trigger) return null;
  const ran = run.get(trigger.id);
  if (ran && ran.output !== undefined) return { value: ran.output, source: 'the trigger payload of the last test run' };
  const sample = sampleOfTrigger(graph, trigger.id);
  return sample === undefined ? null : { value: sample, source: 'the trigger sample payload' };
}

function sampleOfTrigger(graph: Graph, id: string): unknown {
  const node = graph.nodes.find((n) => n.id === id);
  if (!node || !kindsByName.get(node.kind)?.isTrigger) return undefined;
  return node.config.samplePayload;
}

/** One completion: a path into the sample (`lines.qty`) and the kind of value found there. */
export interface FieldPath {
  path: string;
  type: string;
}

const MAX_PATHS = 300;
const MAX_DEPTH = 5;
const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Every path into a JSON value, as JSONata spells it: arrays are looked into (their first few
 * elements; JSONata maps a path over an array), names that are not identifiers are back-quoted.
 */
export function fieldPaths(value: unknown): FieldPath[] {
  const out = new Map<string, string>();
  const walk = (v: unknown, prefix: string, depth: number) => {
    if (out.size >= MAX_PATHS || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      for (const item of v.slice(0, 5)) walk(item, prefix, depth + 1);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      const name = PLAIN_NAME.test(key) ? key : `\`${key.replace(/`/g, '')}\``;
      const path = prefix ? `${prefix}.${name}` : name;
      if (!out.has(path)) out.set(path, typeOf(child));
      walk(child, path, depth + 1);
      if (out.size >= MAX_PATHS) return;
    }
  };
  walk(value, '', 0);
  return [...out].map(([path, type]) => ({ path, type }));
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
