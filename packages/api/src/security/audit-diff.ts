/**
 * A small summary of a draft change for the audit log: which nodes and edges were added, removed or
 * changed, not the graphs themselves (a graph can be large, and node configs may hold values an
 * auditor need not copy around).
 */
interface Item {
  id: string;
}

function itemsOf(graph: unknown, field: 'nodes' | 'edges'): Map<string, string> {
  const list = graph !== null && typeof graph === 'object' ? (graph as Record<string, unknown>)[field] : undefined;
  const out = new Map<string, string>();
  if (!Array.isArray(list)) return out;
  for (const item of list as unknown[]) {
    if (item !== null && typeof item === 'object' && typeof (item as Item).id === 'string') out.set((item as Item).id, JSON.stringify(item));
  }
  return out;
}

const MAX_IDS = 50;

function compare(before: Map<string, string>, after: Map<string, string>) {
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id));
  return { count: after.size, added: added.slice(0, MAX_IDS), removed: removed.slice(0, MAX_IDS), changed: changed.slice(0, MAX_IDS) };
}

export function graphChangeSummary(before: unknown, after: unknown) {
  return { nodes: compare(itemsOf(before, 'nodes'), itemsOf(after, 'nodes')), edges: compare(itemsOf(before, 'edges'), itemsOf(after, 'edges')) };
}

export function graphSize(graph: unknown) {
  return { nodes: itemsOf(graph, 'nodes').size, edges: itemsOf(graph, 'edges').size };
}
