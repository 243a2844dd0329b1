'use client';
import { useQuery } from '@tanstack/react-query';
import { Background, BackgroundVariant, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { GraphSchema, migrateGraph, type Graph } from '@switchyard/workflow';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { displayLabel, indexIssues, toFlowEdges, toFlowNodes, type NodeOverlay } from './flow-mapping';
import { diffGraphs, previewValue, type GraphDiff, type NodeDiff } from './graph-diff';
import { nodeTypes, type DesignerNode } from './node-types';
import { sideLabel, type CompareSide } from './versions-list';
import styles from './designer.module.css';

interface DiffViewProps {
  workflowId: string;
  before: CompareSide;
  after: CompareSide;
  draft: Graph;
  onClose: () => void;
}

function useSideGraph(workflowId: string, side: CompareSide, draft: Graph): { graph?: Graph; error?: string } {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.workflows.version.queryOptions({ id: workflowId, version: side === 'draft' ? 1 : side }),
    enabled: side !== 'draft',
    staleTime: Infinity,
  });
  if (side === 'draft') return { graph: draft };
  if (query.isError) return { error: errorMessage(query.error) };
  if (!query.data) return {};
  const parsed = GraphSchema.safeParse(migrateGraph(query.data.graph));
  return parsed.success ? { graph: parsed.data } : { error: `v${side} is not a readable graph` };
}

/** Two versions on one read-only canvas: added, removed and changed nodes highlighted; changes listed field by field. */
export function DiffView({ workflowId, before, after, draft, onClose }: DiffViewProps) {
  const a = useSideGraph(workflowId, before, draft);
  const b = useSideGraph(workflowId, after, draft);
  const diff = useMemo(() => (a.graph && b.graph ? diffGraphs(a.graph, b.graph) : null), [a.graph, b.graph]);
  const [focus, setFocus] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const error = a.error ?? b.error;
  return (
    <div className={styles.diffBackdrop} role="dialog" aria-modal="true" aria-label="Compare versions" data-testid="diff-view">
      <div className={styles.diffShell}>
        <header className={styles.diffHeader}>
          <h2>
            {sideLabel(before)} → {sideLabel(after)}
          </h2>
          {diff && (
            <span className={styles.diffSummary} data-testid="diff-summary">
              <span className={styles.legendAdded}>{diff.counts.added} added</span>
              <span className={styles.legendRemoved}>{diff.counts.removed} removed</span>
              <span className={styles.legendChanged}>{diff.counts.changed} changed</span>
              <span className="faint">
                · connections +{diff.counts.edgesAdded} −{diff.counts.edgesRemoved}
              </span>
            </span>
          )}
          <button type="button" className={`btn btn-sm ${styles.pushRight}`} data-testid="diff-close" onClick={onClose}>
            Close
          </button>
        </header>
        {error && <div className="banner banner-error">{error}</div>}
        {!diff && !error && <div className="empty">Loading versions…</div>}
        {diff && (
          <div className={styles.diffBody}>
            <div className={styles.diffCanvas}>
              <ReactFlowProvider>
                <DiffCanvas diff={diff} focus={focus} onFocus={setFocus} />
              </ReactFlowProvider>
            </div>
            <ChangeList diff={diff} focus={focus} onFocus={setFocus} />
          </div>
        )}
      </div>
    </div>
  );
}

const NO_ISSUES = indexIssues({ schemaVersion: 1, nodes: [], edges: [], settings: {} }, []);

function DiffCanvas({ diff, focus, onFocus }: { diff: GraphDiff; focus: string | null; onFocus: (id: string | null) => void }) {
  const { nodes, edges } = useMemo(() => {
    // One graph holding both sides: the newer nodes, plus the removed ones where they were.
    const union: Graph = {
      schemaVersion: 1,
      nodes: diff.nodes.map((n) => n.node),
      edges: diff.edges.map((e) => (e.status === 'removed' ? { ...e.edge, id: `removed-${e.edge.id}` } : e.edge)),
      settings: {},
    };
    const overlay = new Map<string, NodeOverlay>(diff.nodes.filter((n) => n.status !== 'unchanged').map((n) => [n.id, { decoration: n.status as 'added' | 'removed' | 'changed' }]));
    const edgeDecorations = new Map<string, 'added' | 'removed'>();
    for (const e of diff.edges) if (e.status !== 'unchanged') edgeDecorations.set(e.status === 'removed' ? `removed-${e.edge.id}` : e.edge.id, e.status);
    const view = { selectedNodes: new Set(focus ? [focus] : []), selectedEdges: new Set<string>(), measured: new Map(), dragging: new Map() };
    return { nodes: toFlowNodes(union, NO_ISSUES, view, overlay), edges: toFlowEdges(union, NO_ISSUES, { ...view, edgeDecorations }) };
  }, [diff, focus]);

  return (
    <ReactFlow<DesignerNode>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      onNodeClick={(_e, node) => onFocus(node.id)}
      onPaneClick={() => onFocus(null)}
      fitView
      fitViewOptions={{ padding: 0.25, maxZoom: 1 }}
      minZoom={0.1}
      defaultEdgeOptions={{ type: 'smoothstep' }}
    >
      <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#cdd3dd" />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

function ChangeList({ diff, focus, onFocus }: { diff: GraphDiff; focus: string | null; onFocus: (id: string) => void }) {
  const group = (status: NodeDiff['status']) => diff.nodes.filter((n) => n.status === status);
  const moved = diff.nodes.filter((n) => n.status === 'unchanged' && n.moved).length;
  const nothing = diff.counts.added + diff.counts.removed + diff.counts.changed + diff.counts.edgesAdded + diff.counts.edgesRemoved + diff.settings.length === 0;
  return (
    <aside className={styles.changeList} data-testid="diff-changes">
      {nothing && <p className="muted" data-testid="diff-identical">No differences in behaviour{moved > 0 ? ` (${moved} node${moved === 1 ? '' : 's'} moved)` : ''}.</p>}
      {(['changed', 'added', 'removed'] as const).map((status) => {
        const list = group(status);
        if (list.length === 0) return null;
        return (
          <section key={status}>
            <h4 className={styles.sectionTitle}>
              {status === 'changed' ? 'Changed' : status === 'added' ? 'Added' : 'Removed'} ({list.length})
            </h4>
            <ul className={styles.changeNodes}>
              {list.map((n) => (
                <li key={n.id} className={`${styles.changeNode} ${focus === n.id ? styles.changeNodeFocus : ''}`} data-testid="diff-node" data-node-id={n.id} data-status={n.status}>
                  <button type="button" className={styles.changeNodeName} onClick={() => onFocus(n.id)}>
                    <span className={styles[`legend_${n.status}`]}>●</span> {displayLabel(n.node)} <span className="faint mono">{n.node.kind}</span>
                  </button>
                  {n.changes.length > 0 && (
                    <table className={styles.changeTable}>
                      <tbody>
                        {n.changes.map((c) => (
                          <tr key={c.path} data-testid="diff-change" data-path={c.path}>
                            <th scope="row" className="mono">
                              {c.path}
                            </th>
                            <td className={styles.before} title={previewValue(c.before, 2000)}>
                              {previewValue(c.before)}
                            </td>
                            <td aria-hidden>→</td>
                            <td className={styles.after} title={previewValue(c.after, 2000)}>
                              {previewValue(c.after)}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {diff.settings.length > 0 && (
        <section>
          <h4 className={styles.sectionTitle}>Workflow settings</h4>
          <table className={styles.changeTable}>
            <tbody>
              {diff.settings.map((c) => (
                <tr key={c.path} data-testid="diff-change" data-path={c.path}>
                  <th scope="row" className="mono">
                    {c.path}
                  </th>
                  <td className={styles.before}>{previewValue(c.before)}</td>
                  <td aria-hidden>→</td>
                  <td className={styles.after}>{previewValue(c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {moved > 0 && !nothing && <p className="hint">{moved} other node{moved === 1 ? '' : 's'} only moved on the canvas.</p>}
    </aside>
  );
}
