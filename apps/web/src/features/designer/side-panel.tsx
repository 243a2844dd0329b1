'use client';
import type { Graph, GraphIssue } from '@switchyard/workflow';
import { useState } from 'react';
import type { Selection } from './canvas';
import type { WorkflowDetail } from './designer';
import type { IssueIndex } from './flow-mapping';
import { EdgeInspector, NodeInspector, type NodeTab } from './inspector';
import type { InheritedPolicy } from './node-settings';
import { ProblemsList } from './problems-list';
import { TestRun } from './test-run';
import type { Dispatch } from './use-graph-history';
import type { TestRunState } from './use-test-run';
import { VersionsList, type CompareSide } from './versions-list';
import styles from './designer.module.css';

export type PanelTab = 'inspect' | 'problems' | 'versions' | 'test';

interface SidePanelProps {
  tab: PanelTab;
  setTab: (tab: PanelTab) => void;
  workflow: WorkflowDetail;
  graph: Graph;
  getGraph: () => Graph;
  selection: Selection;
  issues: readonly GraphIssue[];
  issueIndex: IssueIndex;
  dispatch: Dispatch;
  labelOf: (id: string) => string;
  onFocusIssue: (issue: GraphIssue) => void;
  onRemove: (what: { nodeIds?: string[]; edgeIds?: string[] }) => void;
  onCopy: () => void;
  onDuplicate: () => void;
  inherited: InheritedPolicy | undefined;
  test: TestRunState;
  onCompare: (before: CompareSide, after: CompareSide) => void;
  onRolledBack: (version: number) => void;
}

export function SidePanel(p: SidePanelProps) {
  // Kept while the selection changes, so clicking through nodes after a test run stays on "Run data".
  const [nodeTab, setNodeTab] = useState<NodeTab>('config');
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
            {t.id === 'test' && p.test.status && <span className={`${styles.dot} ${styles[`dot_${p.test.status}`] ?? ''}`} aria-label={p.test.status} />}
          </button>
        ))}
      </div>
      <div className={styles.panelBody} role="tabpanel">
        {p.tab === 'inspect' && <Inspect {...p} nodeTab={nodeTab} setNodeTab={setNodeTab} />}
        {p.tab === 'problems' && <ProblemsList issues={p.issues} labelOf={p.labelOf} onFocus={p.onFocusIssue} />}
        {p.tab === 'versions' && (
          <VersionsList
            workflowId={p.workflow.id}
            versions={p.workflow.versions}
            activeVersionId={p.workflow.activeVersionId}
            onCompare={p.onCompare}
            onRolledBack={p.onRolledBack}
          />
        )}
        {p.tab === 'test' && (
          <TestRun
            test={p.test}
            getGraph={p.getGraph}
            issueCount={p.issues.length}
            initialPayload={samplePayloadOf(p.graph)}
            labelOf={p.labelOf}
            onShowProblems={() => p.setTab('problems')}
          />
        )}
      </div>
    </aside>
  );
}

function Inspect(p: SidePanelProps & { nodeTab: NodeTab; setNodeTab: (t: NodeTab) => void }) {
  const nodeIds = [...p.selection.nodes];
  const edgeIds = [...p.selection.edges];
  if (nodeIds.length === 1 && edgeIds.length === 0) {
    const node = p.graph.nodes.find((n) => n.id === nodeIds[0]);
    if (node)
      return (
        <NodeInspector
          key={node.id}
          node={node}
          graph={p.graph}
          issues={p.issueIndex.byNode.get(node.id) ?? []}
          fieldErrors={p.issueIndex.fieldsByNode.get(node.id) ?? {}}
          dispatch={p.dispatch}
          onDelete={() => p.onRemove({ nodeIds: [node.id] })}
          tab={p.nodeTab}
          setTab={p.setNodeTab}
          inherited={p.inherited}
          runInfo={p.test.nodes.get(node.id)}
          hasRun={p.test.runId !== null}
          runNodes={p.test.nodes}
          labelOf={p.labelOf}
        />
      );
  }
  if (edgeIds.length === 1 && nodeIds.length === 0) {
    const edge = p.graph.edges.find((e) => e.id === edgeIds[0]);
    if (edge) return <EdgeInspector edge={edge} labelOf={p.labelOf} issues={p.issueIndex.byEdge.get(edge.id) ?? []} onDelete={() => p.onRemove({ edgeIds: [edge.id] })} />;
  }
  if (nodeIds.length + edgeIds.length > 1)
    return (
      <div className={styles.inspector} data-testid="multi-selection">
        <p>
          {nodeIds.length} node{nodeIds.length === 1 ? '' : 's'} and {edgeIds.length} connection{edgeIds.length === 1 ? '' : 's'} selected.
        </p>
        <ul className={styles.selectionList}>
          {nodeIds.slice(0, 12).map((id) => (
            <li key={id}>{p.labelOf(id)}</li>
          ))}
          {nodeIds.length > 12 && <li className="faint">…and {nodeIds.length - 12} more</li>}
        </ul>
        <div className="row">
          <button type="button" className="btn btn-sm" onClick={p.onCopy} disabled={nodeIds.length === 0}>
            Copy
          </button>
          <button type="button" className="btn btn-sm" onClick={p.onDuplicate} disabled={nodeIds.length === 0}>
            Duplicate
          </button>
          <button type="button" className="btn btn-danger btn-sm" data-testid="delete-multi" onClick={() => p.onRemove({ nodeIds, edgeIds })}>
            Delete selection
          </button>
        </div>
      </div>
    );
  return (
    <div className={`${styles.inspector} muted`} data-testid="panel-empty">
      <p>Select a node to edit its label and settings.</p>
      <ul className={styles.tips}>
        <li>Drag kinds from the palette, or focus one and press Enter to add it.</li>
        <li>Drag from an output port (right) to a node&apos;s input (left) to connect.</li>
        <li>Shift-click or Shift-drag to select several nodes; Ctrl+C / Ctrl+V copy and paste them, also into another workflow.</li>
        <li>Press ? for every keyboard shortcut.</li>
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
