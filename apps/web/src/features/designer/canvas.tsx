'use client';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnConnectEnd,
} from '@xyflow/react';
import { canConnect, newId, type Graph, type GraphOperation } from '@switchyard/workflow';
import { useCallback, useMemo, useRef, useState, type Dispatch as SetState, type SetStateAction } from 'react';
import { useToast } from '@/components/toast';
import { labelIds, toFlowEdges, toFlowNodes, type FlowEdgeCache, type FlowNodeCache, type IssueIndex, type NodeOverlay } from './flow-mapping';
import { kindsByName, registry } from './kinds';
import type { DesignerNode } from './node-types';
import { nodeTypes } from './node-types';
import type { Dispatch } from './use-graph-history';
import { PALETTE_MIME } from './palette';
import styles from './designer.module.css';

export interface Selection {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

interface CanvasProps {
  graph: Graph;
  getGraph: () => Graph;
  issues: IssueIndex;
  selection: Selection;
  setSelection: SetState<SetStateAction<Selection>>;
  dispatch: Dispatch;
  onAddNode: (kind: string, position: { x: number; y: number }) => void;
  /** Something was selected on the canvas (the side panel switches to the inspector). */
  onSelect: () => void;
  /** Test-run status and pins per node. */
  overlay: ReadonlyMap<string, NodeOverlay>;
}

// Above this many nodes only what is in view is rendered (React Flow's culling), so panning a large
// graph moves a few dozen cards, not a thousand.
const CULL_ABOVE = 200;
// A large graph opens at a readable zoom on its start instead of fitted: fitting a thousand nodes
// shows unreadable specks and makes the browser draw all of them. Shift+1 still fits everything.
const FIT_ON_OPEN_UP_TO = 300;
// The minimap draws every node as its own component; past this many it costs more than it helps.
const MINIMAP_UP_TO = 300;
const NO_NODES: DesignerNode[] = [];
const NO_EDGES: Edge[] = [];
const LARGE_GRAPH_ZOOM = 0.75;

function openingViewport(graph: Graph): { x: number; y: number; zoom: number } {
  const start = graph.nodes.find((n) => kindsByName.get(n.kind)?.isTrigger) ?? graph.nodes[0];
  const at = start?.position ?? { x: 0, y: 0 };
  return { x: 80 - at.x * LARGE_GRAPH_ZOOM, y: 120 - at.y * LARGE_GRAPH_ZOOM, zoom: LARGE_GRAPH_ZOOM };
}

const FIT_VIEW = { padding: 0.2, maxZoom: 1 };

const MINIMAP_COLORS: Record<string, string> = {
  trigger: '#2b8a3e',
  logic: '#b35c00',
  data: '#7048e8',
  action: '#1971c2',
  system: '#5b6678',
  unknown: '#8a94a6',
};

export function Canvas({ graph, getGraph, issues, selection, setSelection, dispatch, onAddNode, onSelect, overlay }: CanvasProps) {
  const toast = useToast();
  const { screenToFlowPosition } = useReactFlow();
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());
  const [dragging, setDragging] = useState<ReadonlyMap<string, { x: number; y: number }>>(new Map());

  const [opening] = useState(() => (graph.nodes.length > FIT_ON_OPEN_UP_TO ? openingViewport(graph) : null));
  // Until React Flow knows the size of its pane it treats every node as visible and would mount all
  // thousand cards only to unmount most of them a frame later: large graphs wait for onInit.
  const [paneReady, setPaneReady] = useState(opening === null);
  const nodeCache = useRef<FlowNodeCache>(new Map());
  const edgeCache = useRef<FlowEdgeCache>(new Map());
  const view = useMemo(() => ({ selectedNodes: selection.nodes, selectedEdges: selection.edges, measured, dragging }), [selection, measured, dragging]);
  const nodes = useMemo(() => toFlowNodes(graph, issues, view, overlay, nodeCache.current), [graph, issues, view, overlay]);
  // Edges do not depend on drag positions: a drag must not re-project every edge on every frame.
  const selectedEdges = selection.edges;
  const edges = useMemo(() => toFlowEdges(graph, issues, { selectedEdges }, edgeCache.current), [graph, issues, selectedEdges]);

  const run = useCallback(
    (ops: GraphOperation[], opts?: { coalesceKey?: string }) => {
      const error = dispatch(ops, opts);
      if (error) toast(error, 'error');
    },
    [dispatch, toast],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<DesignerNode>[]) => {
      const selectChanges = new Map<string, boolean>();
      const sizes: [string, { width: number; height: number }][] = [];
      const moving: [string, { x: number; y: number }][] = [];
      const moved: { nodeId: string; position: { x: number; y: number } }[] = [];
      const current = getGraph();
      for (const change of changes) {
        if (change.type === 'select') selectChanges.set(change.id, change.selected);
        else if (change.type === 'dimensions' && change.dimensions) sizes.push([change.id, change.dimensions]);
        else if (change.type === 'position' && change.position) {
          if (change.dragging) moving.push([change.id, change.position]);
          else {
            // Drag end and arrow-key moves: one operation (one undo step) for all nodes that moved.
            const before = current.nodes.find((n) => n.id === change.id)?.position;
            if (before && (before.x !== change.position.x || before.y !== change.position.y)) moved.push({ nodeId: change.id, position: change.position });
          }
        }
        // 'remove' is handled by onDelete, as one batch together with the removed edges.
      }
      if (selectChanges.size > 0) setSelection((s) => ({ ...s, nodes: applySelect(s.nodes, selectChanges) }));
      if ([...selectChanges.values()].some(Boolean)) onSelect();
      if (sizes.length > 0) setMeasured((m) => new Map([...m, ...sizes]));
      if (moving.length > 0) setDragging((d) => new Map([...d, ...moving]));
      if (moved.length > 0) run([{ type: 'moveNodes', moves: moved }], { coalesceKey: `move:${moved.map((m) => m.nodeId).join(',')}` });
      const settled = changes.filter((c) => c.type === 'position' && !c.dragging).map((c) => (c as { id: string }).id);
      if (settled.length > 0) setDragging((d) => new Map([...d].filter(([id]) => !settled.includes(id))));
    },
    [getGraph, onSelect, run, setSelection],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const selectChanges = new Map<string, boolean>();
      for (const change of changes) if (change.type === 'select') selectChanges.set(change.id, change.selected);
      if (selectChanges.size > 0) setSelection((s) => ({ ...s, edges: applySelect(s.edges, selectChanges) }));
      if ([...selectChanges.values()].some(Boolean)) onSelect();
    },
    [onSelect, setSelection],
  );

  const isValidConnection = useCallback<IsValidConnection>(
    (c) => c.targetHandle === 'in' && canConnect(getGraph(), registry, { source: c.source, sourcePort: c.sourceHandle ?? 'out', target: c.target }).ok,
    [getGraph],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const current = getGraph();
      const request = { source: c.source, sourcePort: c.sourceHandle ?? 'out', target: c.target };
      const verdict = canConnect(current, registry, request);
      if (!verdict.ok) {
        toast(labelIds(current, verdict.reason), 'error');
        return;
      }
      const taken = new Set(current.edges.map((e) => e.id));
      run([{ type: 'addEdge', edge: { id: newId('edge', (id) => taken.has(id)), ...request } }]);
    },
    [getGraph, run, toast],
  );

  // React Flow only reports that a dropped connection was invalid; say why, in canConnect's words.
  const onConnectEnd = useCallback<OnConnectEnd>(
    (_event, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode || !state.toNode || !state.fromHandle) return;
      const current = getGraph();
      const reason = refusalReason(current, state);
      if (reason) toast(labelIds(current, reason), 'error');
    },
    [getGraph, toast],
  );

  const onDelete = useCallback(
    ({ nodes: removedNodes, edges: removedEdges }: { nodes: DesignerNode[]; edges: Edge[] }) => {
      const nodeIds = removedNodes.map((n) => n.id);
      const gone = new Set(nodeIds);
      // Edges attached to removed nodes go with them (removeNodes takes them, and its inverse restores them).
      const edgeIds = removedEdges.filter((e) => !gone.has(e.source) && !gone.has(e.target)).map((e) => e.id);
      const ops: GraphOperation[] = [];
      if (edgeIds.length > 0) ops.push({ type: 'removeEdges', edgeIds });
      if (nodeIds.length > 0) ops.push({ type: 'removeNodes', nodeIds });
      if (ops.length > 0) run(ops);
      setSelection({ nodes: new Set(), edges: new Set() });
    },
    [run, setSelection],
  );

  const onDragOver = useCallback((event: React.DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!kind || !kindsByName.has(kind)) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Drop point = the card's top-left area, not its corner, so the node lands under the cursor.
      onAddNode(kind, { x: at.x - 95, y: at.y - 20 });
    },
    [onAddNode, screenToFlowPosition],
  );

  return (
    <div className={styles.canvas} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<DesignerNode>
        nodes={paneReady ? nodes : NO_NODES}
        edges={paneReady ? edges : NO_EDGES}
        onInit={paneReady ? undefined : () => setPaneReady(true)}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        // A click on an already selected node changes no selection, but should still show it.
        onNodeClick={onSelect}
        onEdgeClick={onSelect}
        deleteKeyCode={['Backspace', 'Delete']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        snapToGrid
        snapGrid={[8, 8]}
        fitView={opening === null}
        {...(opening ? { defaultViewport: opening } : {})}
        fitViewOptions={FIT_VIEW}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={graph.nodes.length > CULL_ABOVE}
        defaultEdgeOptions={{ type: 'smoothstep' }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#cdd3dd" />
        {graph.nodes.length <= MINIMAP_UP_TO && (
          <MiniMap pannable zoomable nodeColor={(n) => MINIMAP_COLORS[n.type ?? 'unknown'] ?? '#8a94a6'} ariaLabel="Minimap" />
        )}
        <Controls showInteractive={false} fitViewOptions={FIT_VIEW} />
      </ReactFlow>
      {graph.nodes.length === 0 && (
        <div className={styles.canvasEmpty}>Drag a node kind from the palette, or click one to add it. Start with a trigger.</div>
      )}
    </div>
  );
}

function applySelect(current: ReadonlySet<string>, changes: ReadonlyMap<string, boolean>): ReadonlySet<string> {
  const next = new Set(current);
  for (const [id, selected] of changes) {
    if (selected) next.add(id);
    else next.delete(id);
  }
  return next;
}

function refusalReason(graph: Graph, state: FinalConnectionState): string | null {
  const from = state.fromHandle;
  const to = state.toHandle;
  if (!from || !state.fromNode || !state.toNode) return null;
  if (to && to.type === from.type) {
    return from.type === 'source'
      ? 'Connect an output port (right side) to the input of another node (left side)'
      : 'Connect a node input (left side) to an output port (right side)';
  }
  const request =
    from.type === 'source'
      ? { source: state.fromNode.id, sourcePort: from.id ?? 'out', target: state.toNode.id }
      : { source: state.toNode.id, sourcePort: to?.id ?? 'out', target: state.fromNode.id };
  const verdict = canConnect(graph, registry, request);
  return verdict.ok ? null : verdict.reason;
}
