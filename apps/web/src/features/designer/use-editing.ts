'use client';
import { useReactFlow } from '@xyflow/react';
import { preparePaste, type Graph, type GraphOperation } from '@switchyard/workflow';
import { useCallback, useRef, type RefObject } from 'react';
import { useToast } from '@/components/toast';
import { autoLayout } from './auto-layout';
import type { Selection } from './canvas';
import { clipboardGraph, pasteOperation, pastedPins, readClipboard } from './clipboard';
import { registry } from './kinds';
import type { Dispatch } from './use-graph-history';

/** The last copy, for pasting where the system clipboard is not readable (permissions, other tabs). */
export const CLIPBOARD_STORAGE_KEY = 'switchyard.designer.clipboard';

function remember(text: string): void {
  try {
    localStorage.setItem(CLIPBOARD_STORAGE_KEY, text);
  } catch {
    // Storage full or disabled: the system clipboard still has it.
  }
}

export function rememberedClipboard(): string {
  try {
    return localStorage.getItem(CLIPBOARD_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

interface EditingDeps {
  getGraph: () => Graph;
  dispatch: Dispatch;
  selection: Selection;
  setSelection: (s: Selection) => void;
  canvasRef: RefObject<HTMLDivElement | null>;
}

/**
 * Selection-level edits: copy, cut, paste, duplicate, delete, select all, automatic layout. Each
 * edit is one dispatch (one undo step) of the workflow package's operations.
 */
export function useEditing({ getGraph, dispatch, selection, setSelection, canvasRef }: EditingDeps) {
  const toast = useToast();
  const { screenToFlowPosition, getInternalNode, fitView } = useReactFlow();
  // Repeated pastes of one clipboard step further away instead of stacking exactly.
  const pasteCount = useRef<{ text: string; count: number }>({ text: '', count: 0 });

  const run = useCallback(
    (ops: GraphOperation[]): boolean => {
      const error = dispatch(ops);
      if (error) toast(error, 'error');
      return error === null;
    },
    [dispatch, toast],
  );

  const viewCenter = useCallback(() => {
    const rect = canvasRef.current?.getBoundingClientRect();
    return rect ? screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
  }, [canvasRef, screenToFlowPosition]);

  /** The selection as clipboard text (graph JSON), or null when nothing is selected. */
  const copyText = useCallback((): string | null => {
    if (selection.nodes.size === 0) return null;
    const text = JSON.stringify(clipboardGraph(getGraph(), selection.nodes));
    remember(text);
    return text;
  }, [getGraph, selection.nodes]);

  /** Toolbar copy: the async clipboard API, which needs no key event. */
  const copy = useCallback(async () => {
    const text = copyText();
    if (!text) {
      toast('Select the nodes to copy first', 'info');
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Denied: pasting in this browser still works from the remembered copy.
    }
    toast(`Copied ${selection.nodes.size} node${selection.nodes.size === 1 ? '' : 's'}`, 'success');
  }, [copyText, selection.nodes.size, toast]);

  const remove = useCallback(
    (what: { nodeIds?: readonly string[]; edgeIds?: readonly string[] } = { nodeIds: [...selection.nodes], edgeIds: [...selection.edges] }) => {
      const gone = new Set(what.nodeIds ?? []);
      const current = getGraph();
      // Edges of removed nodes go with them (removeNodes takes them, and its inverse restores them).
      const edgeIds = (what.edgeIds ?? []).filter((id) => {
        const edge = current.edges.find((e) => e.id === id);
        return edge && !gone.has(edge.source) && !gone.has(edge.target);
      });
      const ops: GraphOperation[] = [];
      if (edgeIds.length > 0) ops.push({ type: 'removeEdges', edgeIds });
      if (gone.size > 0) ops.push({ type: 'removeNodes', nodeIds: [...gone] });
      if (ops.length > 0) run(ops);
      setSelection({ nodes: new Set(), edges: new Set() });
    },
    [getGraph, run, selection, setSelection],
  );

  const pasteText = useCallback(
    (text: string) => {
      const read = readClipboard(text, registry);
      if (!read.ok) {
        const first = read.problems[0];
        toast(`Nothing pasted: ${first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'the clipboard holds no Switchyard nodes'}`, 'error');
        return;
      }
      const current = getGraph();
      const repeat = pasteCount.current.text === text ? pasteCount.current.count : 0;
      pasteCount.current = { text, count: repeat + 1 };
      const op = pasteOperation(current, read.graph, { center: viewCenter(), repeat });
      const pins = pastedPins(read.graph, op);
      const ops: GraphOperation[] = [op];
      if (Object.keys(pins).length > 0) ops.push({ type: 'updateSettings', settings: { ...current.settings, pins: { ...current.settings.pins, ...pins } } });
      if (run(ops)) setSelection({ nodes: new Set(op.nodes.map((n) => n.id)), edges: new Set() });
    },
    [getGraph, run, setSelection, toast, viewCenter],
  );

  /** Toolbar paste: the system clipboard when readable, else the last copy made here. */
  const paste = useCallback(async () => {
    let text = '';
    try {
      text = await navigator.clipboard.readText();
    } catch {
      // Permission denied: fall back below.
    }
    pasteText(text.trim() ? text : rememberedClipboard());
  }, [pasteText]);

  const duplicate = useCallback(() => {
    if (selection.nodes.size === 0) return;
    const current = getGraph();
    const copied = clipboardGraph(current, selection.nodes);
    const op = preparePaste(current, copied);
    if (run([op])) setSelection({ nodes: new Set(op.nodes.map((n) => n.id)), edges: new Set() });
  }, [getGraph, run, selection.nodes, setSelection]);

  const selectAll = useCallback(() => {
    const current = getGraph();
    setSelection({ nodes: new Set(current.nodes.map((n) => n.id)), edges: new Set(current.edges.map((e) => e.id)) });
  }, [getGraph, setSelection]);

  const layout = useCallback(async () => {
    const current = getGraph();
    const sizes = new Map<string, { width: number; height: number }>();
    for (const node of current.nodes) {
      const measured = getInternalNode(node.id)?.measured;
      if (measured?.width && measured.height) sizes.set(node.id, { width: measured.width, height: measured.height });
    }
    try {
      const op = await autoLayout(current, sizes);
      // The graph may have changed while ELK worked: only lay out what is still the same graph.
      if (getGraph() !== current) return;
      if (!op) {
        toast('Already laid out', 'info');
        return;
      }
      if (run([op])) requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1, duration: 300 }));
    } catch (error) {
      toast(`Automatic layout failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }, [fitView, getGraph, getInternalNode, run, toast]);

  return { copy, copyText, paste, pasteText, duplicate, remove, selectAll, layout, viewCenter };
}
