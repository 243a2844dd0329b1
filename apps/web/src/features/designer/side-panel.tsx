'use client';
import type { Graph, GraphIssue } from '@switchyard/workflow';
import type { Selection } from './canvas';
import type { WorkflowDetail } from './designer';
import type { IssueIndex } from './flow-mapping';
import { EdgeInspector, NodeInspector } from './inspector';
import { ProblemsList } from './problems-list';
import { TestRun } from './test-run';
import type { Dispatch } from './use-graph-history';
import { VersionsList } from './versions-list';
import styles from './designer.module.css';

export type PanelTab = 'inspect' | 'problems' | 'versions' | 'test';

interface SidePanelProps {
  tab: PanelTab;
  setTab: (tab: PanelTab) => void;
  workflow: WorkflowDetail;
  graph: Graph;
  selection: Selection;
  issues: readonly GraphIssue[];
  issueIndex: IssueIndex;
  dispatch: Dispatch;
  labelOf: (id: string) => string;
  onFocusIssue: (issue: GraphIssue) => void;
  onRemove: (what: { nodeIds?: string[]; edgeIds?: string[] }) => void;
  activeVersion: number | null;
  draftDiffers: boolean;
}

export function SidePanel(p: SidePanelProps) {
  const tabs: { id: PanelTab; label: string; count?: number }[] = [
    { id: 'inspect', label: 'Inspector' },
    { id: 'problems', label: 'Problems', count: p.issues.length },
    { id: 'versions', label: 'Versions', count: p.workflow.versions.length },
    { id: 'test', label: 'Test' },
  ];
  return (
    <aside className={styles.panel} aria-label="Details">
      <div className={styles.tabs} role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={p.tab === t.id}
            className={p.tab === t.id ? `${styles.tab} ${styles.tabActive}` : styles.tab}
            data-testid={`panel-tab-${t.id}`}
            onClick={() => p.setTab(t.id)}
          >
            {t.label}
            {t.count !== undefined && t.count > 0 && (
              <span className={t.id === 'problems' ? `${styles.count} ${styles.countBad}` : styles.count} data-testid={t.id === 'problems' ? 'problems-count' : undefined}>
                {t.count}
              </span>
            )}
          </button>
        ))}
      </div>
      <div className={styles.panelBody} role="tabpanel">
        {p.tab === 'inspect' && <Inspect {...p} />}
        {p.tab === 'problems' && <ProblemsList issues={p.issues} labelOf={p.labelOf} onFocus={p.onFocusIssue} />}
        {p.tab === 'versions' && <VersionsList workflowId={p.workflow.id} versions={p.workflow.versions} activeVersionId={p.workflow.activeVersionId} />}
        {p.tab === 'test' && (
          <TestRun workflowId={p.workflow.id} activeVersion={p.activeVersion} draftDiffers={p.draftDiffers} initialPayload={samplePayloadOf(p.graph)} />
        )}
      </div>
    </aside>
  );
}

function Inspect(p: SidePanelProps) {
  const nodeIds = [...p.selection.nodes];
  const edgeIds = [...p.selection.edges];
  if (nodeIds.length === 1 && edgeIds.length === 0) {
    const node = p.graph.nodes.find((n) => n.id === nodeIds[0]);
    if (node)
      return (
        <NodeInspector
          key={node.id}
          node={node}
          issues={p.issueIndex.byNode.get(node.id) ?? []}
          fieldErrors={p.issueIndex.fieldsByNode.get(node.id) ?? {}}
          dispatch={p.dispatch}
          onDelete={() => p.onRemove({ nodeIds: [node.id] })}
        />
      );
  }
  if (edgeIds.length === 1 && nodeIds.length === 0) {
    const edge = p.graph.edges.find((e) => e.id === edgeIds[0]);
    if (edge) return <EdgeInspector edge={edge} labelOf={p.labelOf} issues={p.issueIndex.byEdge.get(edge.id) ?? []} onDelete={() => p.onRemove({ edgeIds: [edge.id] })} />;
  }
  if (nodeIds.length + edgeIds.length > 1)
    return (
      <div className={styles.inspector}>
        <p>
          {nodeIds.length} node{nodeIds.length === 1 ? '' : 's'} and {edgeIds.length} connection{edgeIds.length === 1 ? '' : 's'} selected.
        </p>
        <button type="button" className="btn btn-danger btn-sm" onClick={() => p.onRemove({ nodeIds, edgeIds })}>
          Delete selection
        </button>
      </div>
    );
  return (
    <div className={`${styles.inspector} muted`} data-testid="panel-empty">
      <p>Select a node to edit its label and settings.</p>
      <ul className={styles.tips}>
        <li>Drag kinds from the palette, or click one to add it.</li>
        <li>Drag from an output port (right) to a node&apos;s input (left) to connect.</li>
        <li>Delete or Backspace removes the selection; Ctrl+Z / Ctrl+Shift+Z undo and redo; Ctrl+S saves.</li>
      </ul>
      {p.issueIndex.general.length > 0 && (
        <ul className={styles.issueList}>
          {p.issueIndex.general.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The manual trigger's sample payload, when it has one, is the natural starting point for a test. */
function samplePayloadOf(graph: Graph): string {
  const manual = graph.nodes.find((n) => n.kind === 'trigger.manual');
  const sample = manual?.config.samplePayload;
  return JSON.stringify(sample === undefined ? { example: true } : sample, null, 2);
}
