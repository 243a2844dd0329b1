/**
 * Undo/redo over typed graph operations. Every edit is a batch of operations applied by the
 * workflow package's pure `applyOperation`, which also returns each operation's inverse; undo applies
 * the inverses in reverse order, redo re-applies the original batch. Pure: unit-tested without React.
 */
export type ApplyFn<G, Op> = (graph: G, op: Op) => { graph: G; inverse: Op };

export interface HistoryEntry<Op> {
  redo: readonly Op[];
  undo: readonly Op[];
  /** Consecutive edits with the same key (typing into one field) merge into one undo step. */
  coalesceKey?: string;
  at: number;
}

export interface HistoryState<G, Op> {
  graph: G;
  past: readonly HistoryEntry<Op>[];
  future: readonly HistoryEntry<Op>[];
}

export const HISTORY_LIMIT = 200;
export const COALESCE_WINDOW_MS = 1200;

export function initialHistory<G, Op>(graph: G): HistoryState<G, Op> {
  return { graph, past: [], future: [] };
}

/** Applies all operations or none: a failing operation leaves the state untouched (it throws). */
export function applyBatch<G, Op>(apply: ApplyFn<G, Op>, graph: G, ops: readonly Op[]): { graph: G; inverses: Op[] } {
  let current = graph;
  const inverses: Op[] = [];
  for (const op of ops) {
    const result = apply(current, op);
    current = result.graph;
    inverses.unshift(result.inverse);
  }
  return { graph: current, inverses };
}

export function commit<G, Op>(
  state: HistoryState<G, Op>,
  apply: ApplyFn<G, Op>,
  ops: readonly Op[],
  opts: { coalesceKey?: string; now: number },
): HistoryState<G, Op> {
  if (ops.length === 0) return state;
  const { graph, inverses } = applyBatch(apply, state.graph, ops);
  const last = state.past[state.past.length - 1];
  if (last && opts.coalesceKey && last.coalesceKey === opts.coalesceKey && opts.now - last.at < COALESCE_WINDOW_MS) {
    // Keep the first inverse of the burst (it restores the state before the burst) and extend the redo.
    const merged: HistoryEntry<Op> = { redo: [...last.redo, ...ops], undo: [...inverses, ...last.undo], coalesceKey: opts.coalesceKey, at: opts.now };
    return { graph, past: [...state.past.slice(0, -1), merged], future: [] };
  }
  const entry: HistoryEntry<Op> = { redo: ops, undo: inverses, at: opts.now, ...(opts.coalesceKey ? { coalesceKey: opts.coalesceKey } : {}) };
  return { graph, past: [...state.past, entry].slice(-HISTORY_LIMIT), future: [] };
}

export function undo<G, Op>(state: HistoryState<G, Op>, apply: ApplyFn<G, Op>): HistoryState<G, Op> {
  const entry = state.past[state.past.length - 1];
  if (!entry) return state;
  const { graph } = applyBatch(apply, state.graph, entry.undo);
  // A later edit must never merge into an entry that was undone and redone.
  const { coalesceKey: _k, ...plain } = entry;
  return { graph, past: state.past.slice(0, -1), future: [...state.future, plain] };
}

export function redo<G, Op>(state: HistoryState<G, Op>, apply: ApplyFn<G, Op>): HistoryState<G, Op> {
  const entry = state.future[state.future.length - 1];
  if (!entry) return state;
  const { graph } = applyBatch(apply, state.graph, entry.redo);
  return { graph, past: [...state.past, entry], future: state.future.slice(0, -1) };
}
