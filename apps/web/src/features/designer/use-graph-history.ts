'use client';
import { applyOperation, type Graph, type GraphOperation } from '@switchyard/workflow';
import { useCallback, useRef, useState } from 'react';
import { commit, initialHistory, redo as redoHistory, undo as undoHistory, type HistoryState } from './history';

export type Dispatch = (ops: readonly GraphOperation[], opts?: { coalesceKey?: string }) => string | null;

/**
 * The designer's graph, changed only through workflow's applyOperation. Returns an error message
 * instead of throwing when an operation does not fit the graph (the caller shows it as a toast).
 */
export function useGraphHistory(initial: Graph) {
  const [state, setState] = useState<HistoryState<Graph, GraphOperation>>(() => initialHistory(initial));
  // Callbacks read the latest state synchronously (two edits in one event must chain, not race).
  const ref = useRef(state);

  const update = useCallback((fn: (s: HistoryState<Graph, GraphOperation>) => HistoryState<Graph, GraphOperation>): string | null => {
    try {
      const next = fn(ref.current);
      if (next !== ref.current) {
        ref.current = next;
        setState(next);
      }
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, []);

  const dispatch = useCallback<Dispatch>(
    (ops, opts) => update((s) => commit(s, applyOperation, ops, { now: Date.now(), ...(opts?.coalesceKey ? { coalesceKey: opts.coalesceKey } : {}) })),
    [update],
  );
  const undo = useCallback(() => update((s) => undoHistory(s, applyOperation)), [update]);
  const redo = useCallback(() => update((s) => redoHistory(s, applyOperation)), [update]);
  const getGraph = useCallback(() => ref.current.graph, []);

  return { graph: state.graph, canUndo: state.past.length > 0, canRedo: state.future.length > 0, dispatch, undo, redo, getGraph };
}
