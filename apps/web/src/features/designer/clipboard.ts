import { preparePaste, type Graph, type GraphNode, type NodeKindRegistry, type PasteOperation, type Position } from '@switchyard/workflow';
import { readGraphJson, type FileProblem } from './graph-file';

/**
 * Copy and paste carry graph JSON (a complete graph holding the copied nodes and the edges between
 * them), so a selection can go to another workflow, another tab, or a text editor and back; pasting
 * a whole exported graph works too. Pasted text is read like an imported file: checked, never trusted.
 */
export function clipboardGraph(graph: Graph, nodeIds: ReadonlySet<string>): Graph {
  const nodes = graph.nodes.filter((n) => nodeIds.has(n.id));
  const edges = graph.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
  const pins = graph.settings.pins ? Object.fromEntries(Object.entries(graph.settings.pins).filter(([id]) => nodeIds.has(id))) : {};
  return { schemaVersion: 1, nodes, edges, settings: Object.keys(pins).length > 0 ? { pins } : {} };
}

export function readClipboard(text: string, registry: NodeKindRegistry): { ok: true; graph: Graph } | { ok: false; problems: FileProblem[] } {
  if (text.trim() === '') return { ok: false, problems: [{ path: '', message: 'The clipboard is empty' }] };
  const result = readGraphJson(text, registry);
  if (!result.ok) return result;
  if (result.graph.nodes.length === 0) return { ok: false, problems: [{ path: '', message: 'The clipboard holds a graph without nodes' }] };
  return result;
}

function boundsOf(nodes: readonly GraphNode[]): { x: number; y: number; width: number; height: number } {
  const xs = nodes.map((n) => n.position.x);
  const ys = nodes.map((n) => n.position.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

/**
 * The paste operation for a clipboard graph. When the copied nodes are still where they were in
 * this graph (copy then paste in the same workflow) the copy lands `step` below-right of them, one
 * step further per repeated paste; otherwise it is centred on `center` (the middle of the view).
 */
export function pasteOperation(graph: Graph, clipboard: Graph, options: { center: Position; repeat: number }): PasteOperation {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const inPlace = clipboard.nodes.every((n) => {
    const original = byId.get(n.id);
    return original !== undefined && original.position.x === n.position.x && original.position.y === n.position.y;
  });
  const step = 40 * (options.repeat + 1);
  let offset: Position;
  if (inPlace) offset = { x: step, y: step };
  else {
    const b = boundsOf(clipboard.nodes);
    const jitter = 40 * options.repeat;
    offset = { x: Math.round(options.center.x - (b.x + b.width / 2) - 95 + jitter), y: Math.round(options.center.y - (b.y + b.height / 2) - 40 + jitter) };
  }
  const op = preparePaste(graph, clipboard, { offset });
  return op;
}

/** Pins of pasted nodes follow them to their new ids (settings are not part of the paste operation). */
export function pastedPins(clipboard: Graph, op: PasteOperation): Record<string, { output: unknown; port: string }> {
  const pins = clipboard.settings.pins ?? {};
  const out: Record<string, { output: unknown; port: string }> = {};
  clipboard.nodes.forEach((node, i) => {
    const pin = pins[node.id];
    const copy = op.nodes[i];
    if (pin && copy) out[copy.id] = pin;
  });
  return out;
}
