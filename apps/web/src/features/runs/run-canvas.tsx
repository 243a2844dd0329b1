'use client';
import '@xyflow/react/dist/style.css';
import { Background, BackgroundVariant, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { GraphSchema } from '@switchyard/workflow';
import { useMemo } from 'react';
import { indexIssues, toFlowEdges, toFlowNodes, type NodeOverlay } from '../designer/flow-mapping';
import { nodeTypes, type DesignerNode } from '../designer/node-types';
import { nodeRunInfo, type StepLike } from '../designer/run-overlay';
import { takenEdgeIds } from './run-graph';
import styles from './run-detail.module.css';

const NO_ISSUES = indexIssues({ schemaVersion: 1, nodes: [], edges: [], settings: {} }, []);
const VIEW = { selectedNodes: new Set<string>(), selectedEdges: new Set<string>(), measured: new Map(), dragging: new Map() };

/**
 * The pinned version's graph as it ran: each node that ran carries its outcome (succeeded, failed,
 * waiting to retry), nodes the run never reached are faded, and the edges it went along are drawn
 * bold. Read-only: this is the version the run pinned, not the workflow's current draft.
 */
export function RunCanvas({ graph, steps, runStatus }: { graph: unknown; steps: readonly StepLike[]; runStatus: string }) {
  const parsed = useMemo(() => GraphSchema.safeParse(graph), [graph]);
  const elements = useMemo(() => {
    if (!parsed.success) return null;
    const info = nodeRunInfo(steps, runStatus);
    const overlay = new Map<string, NodeOverlay>([...info].map(([id, i]) => [id, { runStatus: i.status }]));
    const nodes: DesignerNode[] = toFlowNodes(parsed.data, NO_ISSUES, VIEW, overlay).map((n) => (info.has(n.id) ? n : { ...n, className: styles.unreached }));
    const taken = takenEdgeIds(parsed.data.edges, steps);
    const edges = toFlowEdges(parsed.data, NO_ISSUES, VIEW).map((e) => (taken.has(e.id) ? { ...e, className: `${e.className ?? ''} edge-taken`, animated: false } : e));
    return { nodes, edges, taken: taken.size };
  }, [parsed, steps, runStatus]);

  if (!elements) {
    return <div className="empty">The pinned version&apos;s graph cannot be drawn (it does not match the current graph schema); its steps are listed below.</div>;
  }
  return (
    <div className={styles.canvas} data-testid="run-canvas" data-taken-edges={elements.taken}>
      <ReactFlowProvider>
        <ReactFlow<DesignerNode>
          nodes={elements.nodes}
          edges={elements.edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          proOptions={{ hideAttribution: true }}
          fitView
          fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
          minZoom={0.2}
        >
          <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
