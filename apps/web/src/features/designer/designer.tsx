'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useReactFlow } from '@xyflow/react';
import { GraphSchema, migrateGraph, newId, validateGraph, type Graph, type GraphIssue, type GraphNode } from '@switchyard/workflow';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchyard/api';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useToast } from '@/components/toast';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { Canvas, type Selection } from './canvas';
import { CanvasToolbar } from './canvas-toolbar';
import { DesignerToolbar } from './designer-toolbar';
import { DiffView } from './diff-view';
import { displayLabel, indexIssues, labelIds, type NodeOverlay } from './flow-mapping';
import { replaceGraphOperation } from './graph-file';
import { ImportProblems, useGraphImport } from './graph-import';
import { kindsByName, registry } from './kinds';
import { differsOnlyInLayout } from './layout-only';
import { Palette } from './palette';
import { freeSpot } from './placement';
import { ShortcutsHelp } from './shortcuts-help';
import { SidePanel, type PanelTab } from './side-panel';
import { useEditing } from './use-editing';
import { useGraphHistory } from './use-graph-history';
import { useSavePublish } from './use-save-publish';
import { useShortcuts } from './use-shortcuts';
import { useTestRun } from './use-test-run';
import type { CompareSide } from './versions-list';
import styles from './designer.module.css';

export type WorkflowDetail = inferRouterOutputs<AppRouter>['workflows']['get'];

const EMPTY_SELECTION: Selection = { nodes: new Set(), edges: new Set() };

export function Designer({
  workflow,
  initialGraph,
  restored,
  onReload,
}: {
  workflow: WorkflowDetail;
  initialGraph: Graph;
  restored?: { baseRevision: number; savedGraphJson: string } | undefined;
  onReload: () => void;
}) {
  const toast = useToast();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { fitView, setCenter, getZoom, screenToFlowPosition } = useReactFlow();
  const history = useGraphHistory(initialGraph);
  const { graph, getGraph, dispatch } = history;
  const persist = useSavePublish({
    workflowId: workflow.id,
    graph,
    getGraph,
    initialRevision: restored?.baseRevision ?? workflow.draftRevision,
    ...(restored ? { savedGraphJson: restored.savedGraphJson } : {}),
  });
  useEffect(() => {
    if (restored) toast('Restored unsaved changes from your last visit', 'info');
    // Once per load: the designer is remounted (new key) on reload.
  }, []);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [tab, setTab] = useState<PanelTab>('inspect');
  const [helpOpen, setHelpOpen] = useState(false);
  const [compare, setCompare] = useState<{ before: CompareSide; after: CompareSide } | null>(null);
  const [rolledBack, setRolledBack] = useState<number | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const paletteSearchRef = useRef<HTMLInputElement>(null);
  const test = useTestRun(workflow.id);
  const inherited = useQuery({ ...trpc.designer.inheritedPolicy.queryOptions({ workflowId: workflow.id }), staleTime: 60_000, refetchOnWindowFocus: false });

  // Validation runs in the browser on every edit (the same pure function the server uses).
  const lastValidation = useRef<{ graph: Graph; issues: GraphIssue[] } | null>(null);
  const issues = useMemo<GraphIssue[]>(() => {
    const last = lastValidation.current;
    let local: GraphIssue[];
    if (last && differsOnlyInLayout(last.graph, graph)) local = last.issues;
    else {
      const result = validateGraph(graph, registry);
      local = result.ok ? [] : result.errors;
      lastValidation.current = { graph, issues: local };
    }
    const seen = new Set(local.map((i) => `${i.code}|${i.path}|${i.message}`));
    const all = [...local, ...persist.serverIssues.filter((i) => !seen.has(`${i.code}|${i.path}|${i.message}`))];
    return all.map((issue) => ({ ...issue, message: labelIds(graph, issue.message) }));
  }, [graph, persist.serverIssues]);
  const issueIndex = useMemo(() => indexIssues(graph, issues), [graph, issues]);

  const pins = graph.settings.pins;
  const overlay = useMemo(() => {
    const map = new Map<string, NodeOverlay>();
    for (const [id, info] of test.nodes) map.set(id, { runStatus: info.status });
    for (const id of Object.keys(pins ?? {})) map.set(id, { ...map.get(id), pinned: true });
    return map;
  }, [test.nodes, pins]);

  const labelOf = useCallback(
    (id: string) => {
      const node = graph.nodes.find((n) => n.id === id);
      return node ? displayLabel(node) : id;
    },
    [graph],
  );

  const editing = useEditing({ getGraph, dispatch, selection, setSelection, canvasRef });
  const { viewCenter } = editing;
  const imports = useGraphImport({ getGraph, dispatch, workflowName: workflow.name, onImported: () => setSelection(EMPTY_SELECTION) });

  const addNode = useCallback(
    (kindName: string, position?: { x: number; y: number }) => {
      const kind = kindsByName.get(kindName);
      if (!kind) return;
      const current = getGraph();
      let at = position;
      if (!at) {
        // Click-to-add: the middle of the visible canvas, staggered so repeated clicks do not stack.
        const center = viewCenter();
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
      // A click-added node that landed outside the view is brought into it (keeping the zoom).
      const rect = canvasRef.current?.getBoundingClientRect();
      if (rect && !position) {
        const topLeft = screenToFlowPosition({ x: rect.left, y: rect.top });
        const bottomRight = screenToFlowPosition({ x: rect.right, y: rect.bottom });
        const p = node.position;
        if (p.x < topLeft.x || p.y < topLeft.y || p.x + 190 > bottomRight.x || p.y + 90 > bottomRight.y) {
          void setCenter(p.x + 95, p.y + 45, { zoom: getZoom(), duration: 200 });
        }
      }
    },
    [dispatch, getGraph, getZoom, screenToFlowPosition, setCenter, toast, viewCenter],
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

  const loadVersionIntoDraft = useCallback(
    async (version: number) => {
      try {
        const stored = await queryClient.fetchQuery(trpc.workflows.version.queryOptions({ id: workflow.id, version }));
        const parsed = GraphSchema.safeParse(migrateGraph(stored.graph));
        if (!parsed.success) throw new Error(`v${version} is not a readable graph`);
        const error = dispatch([replaceGraphOperation(getGraph(), parsed.data)]);
        if (error) throw new Error(error);
        setSelection(EMPTY_SELECTION);
        setRolledBack(null);
        toast(`Loaded v${version} into the draft (undo restores your previous draft)`, 'success');
      } catch (error) {
        toast(errorMessage(error), 'error');
      }
    },
    [dispatch, getGraph, queryClient, toast, trpc, workflow.id],
  );

  useShortcuts({
    undo: history.undo,
    redo: history.redo,
    save: () => void persist.save(),
    copyText: editing.copyText,
    cut: () => editing.remove(),
    pasteText: editing.pasteText,
    duplicate: editing.duplicate,
    selectAll: editing.selectAll,
    clearSelection: () => {
      setSelection(EMPTY_SELECTION);
      setHelpOpen(false);
    },
    layout: () => void editing.layout(),
    fit: () => void fitView({ padding: 0.2, maxZoom: 1, duration: 300 }),
    focusPalette: () => paletteSearchRef.current?.focus(),
    toggleHelp: () => setHelpOpen((o) => !o),
    suspended: compare !== null,
  });

  // No "leave the page?" prompt for unsaved edits: they are autosaved and, until then, kept in this
  // browser's backup (use-save-publish.ts), which the next load of the workflow restores.

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
      {rolledBack !== null && (
        <div className={`banner banner-info ${styles.conflict}`} role="status" data-testid="rollback-banner">
          <span>
            v{rolledBack} is live. Your draft still holds your later changes; publishing it would replace v{rolledBack}.
          </span>
          <div className="row">
            <button type="button" className="btn btn-sm" data-testid="rollback-load-draft" onClick={() => void loadVersionIntoDraft(rolledBack)}>
              Load v{rolledBack} into the draft
            </button>
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => setRolledBack(null)}>
              Keep my draft
            </button>
          </div>
        </div>
      )}
      {imports.problems && <ImportProblems file={imports.problems.file} problems={imports.problems.list} onClose={imports.dismissProblems} />}
      <div className={styles.body}>
        <Palette onAdd={(kind) => addNode(kind)} searchRef={paletteSearchRef} />
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
            overlay={overlay}
          />
          <CanvasToolbar
            selectedNodes={visibleSelection.nodes.size}
            selectedEdges={visibleSelection.edges.size}
            onLayout={() => void editing.layout()}
            onCopy={() => void editing.copy()}
            onPaste={() => void editing.paste()}
            onDuplicate={editing.duplicate}
            onDelete={() => editing.remove({ nodeIds: [...visibleSelection.nodes], edgeIds: [...visibleSelection.edges] })}
            onImport={imports.openImport}
            onExport={imports.exportGraph}
            onHelp={() => setHelpOpen((o) => !o)}
            helpOpen={helpOpen}
          />
          {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
          {imports.input}
        </div>
        <SidePanel
          tab={tab}
          setTab={setTab}
          workflow={workflow}
          graph={graph}
          getGraph={getGraph}
          selection={visibleSelection}
          issues={issues}
          issueIndex={issueIndex}
          dispatch={dispatch}
          labelOf={labelOf}
          onFocusIssue={focusIssue}
          onRemove={(what) => editing.remove(what)}
          onCopy={() => void editing.copy()}
          onDuplicate={editing.duplicate}
          inherited={inherited.data}
          test={test}
          onCompare={(before, after) => setCompare({ before, after })}
          onRolledBack={(version) => setRolledBack(version)}
        />
      </div>
      {compare && <DiffView workflowId={workflow.id} before={compare.before} after={compare.after} draft={graph} onClose={() => setCompare(null)} />}
    </div>
  );
}
