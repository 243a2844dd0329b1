'use client';
import { useReactFlow } from '@xyflow/react';
import { newId, validateGraph, type Graph, type GraphIssue, type GraphNode } from '@switchyard/workflow';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchyard/api';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useToast } from '@/components/toast';
import { Canvas, type Selection } from './canvas';
import { DesignerToolbar } from './designer-toolbar';
import { displayLabel, indexIssues, labelIds } from './flow-mapping';
import { kindsByName, registry } from './kinds';
import { Palette } from './palette';
import { freeSpot } from './placement';
import { SidePanel, type PanelTab } from './side-panel';
import { useGraphHistory } from './use-graph-history';
import { useSavePublish } from './use-save-publish';
import styles from './designer.module.css';

export type WorkflowDetail = inferRouterOutputs<AppRouter>['workflows']['get'];

const EMPTY_SELECTION: Selection = { nodes: new Set(), edges: new Set() };

export function Designer({ workflow, initialGraph, onReload }: { workflow: WorkflowDetail; initialGraph: Graph; onReload: () => void }) {
  const toast = useToast();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const history = useGraphHistory(initialGraph);
  const { graph, getGraph, dispatch } = history;
  const persist = useSavePublish({ workflowId: workflow.id, graph, getGraph, initialRevision: workflow.draftRevision });
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [tab, setTab] = useState<PanelTab>('inspect');
  const canvasRef = useRef<HTMLDivElement>(null);

  // Validation runs in the browser on every edit (the same pure function the server uses).
  const issues = useMemo<GraphIssue[]>(() => {
    const result = validateGraph(graph, registry);
    const local = result.ok ? [] : result.errors;
    const seen = new Set(local.map((i) => `${i.code}|${i.path}|${i.message}`));
    const all = [...local, ...persist.serverIssues.filter((i) => !seen.has(`${i.code}|${i.path}|${i.message}`))];
    return all.map((issue) => ({ ...issue, message: labelIds(graph, issue.message) }));
  }, [graph, persist.serverIssues]);
  const issueIndex = useMemo(() => indexIssues(graph, issues), [graph, issues]);

  const labelOf = useCallback((id: string) => {
    const node = graph.nodes.find((n) => n.id === id);
    return node ? displayLabel(node) : id;
  }, [graph]);

  const addNode = useCallback(
    (kindName: string, position?: { x: number; y: number }) => {
      const kind = kindsByName.get(kindName);
      if (!kind) return;
      const current = getGraph();
      let at = position;
      if (!at) {
        // Click-to-add: the middle of the visible canvas, staggered so repeated clicks do not stack.
        const rect = canvasRef.current?.getBoundingClientRect();
        const center = rect ? screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
        at = freeSpot(current, { x: center.x - 95, y: center.y - 40 });
      }
      const taken = new Set(current.nodes.map((n) => n.id));
      const sameKind = current.nodes.filter((n) => n.kind === kind.kind).length;
      const node: GraphNode = {
        id: newId(kind.kind, (id) => taken.has(id)),
        kind: kind.kind,
        label: sameKind > 0 ? `${kind.displayName} ${sameKind + 1}` : kind.displayName,
        position: { x: Math.round(at.x / 8) * 8, y: Math.round(at.y / 8) * 8 },
        config: structuredClone(kind.defaultConfig ?? {}) as Record<string, unknown>,
      };
      const error = dispatch([{ type: 'addNode', node }]);
      if (error) {
        toast(error, 'error');
        return;
      }
      setSelection({ nodes: new Set([node.id]), edges: new Set() });
      setTab('inspect');
    },
    [dispatch, getGraph, screenToFlowPosition, toast],
  );

  const removeSelected = useCallback(
    (what: { nodeIds?: string[]; edgeIds?: string[] }) => {
      const ops = [];
      if (what.edgeIds?.length) ops.push({ type: 'removeEdges' as const, edgeIds: what.edgeIds });
      if (what.nodeIds?.length) ops.push({ type: 'removeNodes' as const, nodeIds: what.nodeIds });
      const error = dispatch(ops);
      if (error) toast(error, 'error');
      setSelection(EMPTY_SELECTION);
    },
    [dispatch, toast],
  );

  const focusIssue = useCallback(
    (issue: GraphIssue) => {
      const current = getGraph();
      if (issue.nodeId && current.nodes.some((n) => n.id === issue.nodeId)) {
        setSelection({ nodes: new Set([issue.nodeId]), edges: new Set() });
        setTab('inspect');
        void fitView({ nodes: [{ id: issue.nodeId }], duration: 300, maxZoom: 1, padding: 1 });
        return;
      }
      const edge = issue.edgeId ? current.edges.find((e) => e.id === issue.edgeId) : undefined;
      if (edge) {
        setSelection({ nodes: new Set(), edges: new Set([edge.id]) });
        setTab('inspect');
        void fitView({ nodes: [{ id: edge.source }, { id: edge.target }], duration: 300, maxZoom: 1, padding: 0.5 });
      }
    },
    [fitView, getGraph],
  );

  const { undo, redo } = history;
  const { save } = persist;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      if (key === 's') {
        e.preventDefault();
        void save();
        return;
      }
      // Inside a text field the browser's own undo applies to the text being typed.
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, save]);

  const dirty = persist.dirty;
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const activeVersion = workflow.versions.find((v) => v.id === workflow.activeVersionId)?.version ?? null;
  const visibleSelection = useMemo<Selection>(
    () => ({
      nodes: new Set([...selection.nodes].filter((id) => graph.nodes.some((n) => n.id === id))),
      edges: new Set([...selection.edges].filter((id) => graph.edges.some((e) => e.id === id))),
    }),
    [graph, selection],
  );

  return (
    <div className={styles.designer}>
      <DesignerToolbar
        name={workflow.name}
        revision={persist.revision}
        dirty={persist.dirty}
        saving={persist.saving}
        publishing={persist.publishing}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        issueCount={issues.length}
        activeVersion={activeVersion}
        onUndo={history.undo}
        onRedo={history.redo}
        onSave={() => void persist.save()}
        onPublish={persist.publish}
        onShowProblems={() => setTab('problems')}
      />
      {persist.conflict && (
        <div className={`banner banner-warning ${styles.conflict}`} role="alert" data-testid="conflict-banner">
          <strong>Save conflict.</strong> {persist.conflict}
          <div className="row">
            <button type="button" className="btn btn-sm" data-testid="conflict-reload" onClick={onReload}>
              Reload latest (discard mine)
            </button>
            <button type="button" className="btn btn-sm btn-danger" data-testid="conflict-overwrite" onClick={() => void persist.overwrite()}>
              Overwrite with mine
            </button>
          </div>
        </div>
      )}
      <div className={styles.body}>
        <Palette onAdd={(kind) => addNode(kind)} />
        <div ref={canvasRef} className={styles.canvasCell}>
          <Canvas
            graph={graph}
            getGraph={getGraph}
            issues={issueIndex}
            selection={visibleSelection}
            setSelection={setSelection}
            dispatch={dispatch}
            onAddNode={addNode}
            onSelect={() => setTab('inspect')}
          />
        </div>
        <SidePanel
          tab={tab}
          setTab={setTab}
          workflow={workflow}
          graph={graph}
          selection={visibleSelection}
          issues={issues}
          issueIndex={issueIndex}
          dispatch={dispatch}
          labelOf={labelOf}
          onFocusIssue={focusIssue}
          onRemove={removeSelected}
          activeVersion={activeVersion}
          draftDiffers={persist.dirty || persist.revision !== workflow.draftRevision}
        />
      </div>
    </div>
  );
}
