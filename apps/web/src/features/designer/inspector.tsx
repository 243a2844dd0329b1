'use client';
import type { Graph, GraphEdge, GraphIssue, GraphNode } from '@switchyard/workflow';
import { useMemo } from 'react';
import { ConfigForm, type ExpressionFieldProps } from '@/features/config-form/config-form';
import type { JsonSchema } from '@/features/config-form/schema-fields';
import { expressionContext } from './expression-context';
import { JsonataEditor } from './jsonata-editor';
import { kindsByName } from './kinds';
import { nodeIcon } from './node-icons';
import { NodeRunData } from './node-run-data';
import { NodeSettings, type InheritedPolicy } from './node-settings';
import type { NodeRunInfo } from './run-overlay';
import type { Dispatch } from './use-graph-history';
import styles from './designer.module.css';

export type NodeTab = 'config' | 'settings' | 'run';

interface NodeInspectorProps {
  node: GraphNode;
  graph: Graph;
  issues: readonly GraphIssue[];
  fieldErrors: Record<string, string[]>;
  dispatch: Dispatch;
  onDelete: () => void;
  tab: NodeTab;
  setTab: (tab: NodeTab) => void;
  inherited: InheritedPolicy | undefined;
  runInfo: NodeRunInfo | undefined;
  hasRun: boolean;
  /** The last test run's nodes: samples for the JSONata editor's completions and preview. */
  runNodes: ReadonlyMap<string, NodeRunInfo>;
  labelOf: (id: string) => string;
}

const NODE_TABS: { id: NodeTab; label: string }[] = [
  { id: 'config', label: 'Config' },
  { id: 'settings', label: 'Settings' },
  { id: 'run', label: 'Run data' },
];

/** The selected node: config, settings (retries, timeout, compensation) and test-run data. Every change is an operation. */
export function NodeInspector({ node, graph, issues, fieldErrors, dispatch, onDelete, tab, setTab, inherited, runInfo, hasRun, runNodes, labelOf }: NodeInspectorProps) {
  const kind = kindsByName.get(node.kind);
  const samples = useMemo(() => expressionContext(graph, node.id, runNodes, labelOf), [graph, node.id, runNodes, labelOf]);
  const expressionEditor = (props: ExpressionFieldProps) => (
    <JsonataEditor
      key={props.fieldKey}
      id={props.id}
      testId={props.testId}
      value={props.value}
      onChange={props.onChange}
      placeholder={props.placeholder}
      rows={props.rows}
      invalid={props.invalid}
      describedBy={props.describedBy}
      context={samples}
    />
  );
  // Issues that no field shows (unreachable, no incoming edge, config as a whole) are listed on top.
  const fieldKeys = new Set(Object.keys(fieldErrors).filter((k) => k !== ''));
  const general = issues.filter((i) => !fieldKeys.has(configKeyOf(i.path) ?? '\u0000') && !/\.(policy|compensation)\b/.test(i.path));

  const setConfig = (key: string, value: unknown) => {
    const config = { ...node.config };
    if (value === undefined) delete config[key];
    else config[key] = value;
    dispatch([{ type: 'updateNodeConfig', nodeId: node.id, config }], { coalesceKey: `config:${node.id}:${key}` });
  };

  return (
    <div className={styles.inspector} data-testid="panel" data-node-id={node.id}>
      <div className={styles.inspectorHead}>
        <span className={styles.inspectorIcon} style={nodeIcon(node.kind, kind?.icon ?? '').style} aria-hidden>
          {nodeIcon(node.kind, kind?.icon ?? '').mark}
        </span>
        <div>
          <div className={styles.inspectorKind}>{kind?.displayName ?? `Unknown kind ${node.kind}`}</div>
          <div className="faint mono">{node.id}</div>
        </div>
      </div>
      {kind && <p className={`muted ${styles.inspectorDesc}`}>{kind.description}</p>}

      <div className={styles.subTabs} role="tablist" aria-label="Node sections">
        {NODE_TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? `${styles.subTab} ${styles.subTabActive}` : styles.subTab}
            data-testid={`node-tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'run' && runInfo && <span className={`${styles.dot} ${styles[`dot_${runInfo.status}`]}`} aria-label={runInfo.status} />}
            {t.id === 'settings' && (node.policy || node.compensation) && <span className={styles.dot} aria-label="has overrides" />}
          </button>
        ))}
      </div>

      {tab === 'settings' && <NodeSettings node={node} graph={graph} issues={issues} inherited={inherited} dispatch={dispatch} />}
      {tab === 'run' && <NodeRunData node={node} graph={graph} info={runInfo} hasRun={hasRun} dispatch={dispatch} />}
      {tab === 'config' && issues.length > general.length + Object.values(fieldErrors).flat().length && issues.some((i) => /\.(policy|compensation)\b/.test(i.path)) && (
        <button type="button" className={`banner banner-error ${styles.linkBanner}`} data-testid="settings-issues" onClick={() => setTab('settings')}>
          Problems in this node&apos;s settings: open Settings
        </button>
      )}
      {tab === 'config' && general.length > 0 && (
        <ul className={styles.issueList} data-testid="panel-issues">
          {general.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      )}

      {tab === 'config' && (
      <div>
        <label className="label" htmlFor="node-label">
          Label
        </label>
        <input
          id="node-label"
          className="input"
          data-testid="panel-label"
          maxLength={200}
          value={node.label ?? ''}
          placeholder={kind?.displayName ?? node.kind}
          onChange={(e) =>
            dispatch([{ type: 'updateNodeLabel', nodeId: node.id, ...(e.target.value === '' ? {} : { label: e.target.value }) }], {
              coalesceKey: `label:${node.id}`,
            })
          }
        />
      </div>
      )}

      {tab === 'config' &&
        (kind ? (
          <ConfigForm schema={kind.jsonSchema as JsonSchema} value={node.config} errors={fieldErrors} onChange={setConfig} expressionEditor={expressionEditor} />
        ) : (
          <p className="banner banner-warning">This kind is not installed here, so its settings cannot be edited. Remove the node or install the connector.</p>
        ))}

      <div className={styles.inspectorFooter}>
        <button type="button" className="btn btn-danger btn-sm" data-testid="panel-delete" onClick={onDelete}>
          Delete node
        </button>
      </div>
    </div>
  );
}

export function EdgeInspector({ edge, labelOf, issues, onDelete }: { edge: GraphEdge; labelOf: (id: string) => string; issues: readonly GraphIssue[]; onDelete: () => void }) {
  return (
    <div className={styles.inspector} data-testid="edge-panel" data-edge-id={edge.id}>
      <h3>Connection</h3>
      <p>
        <strong>{labelOf(edge.source)}</strong> <span className="mono faint">({edge.sourcePort})</span> → <strong>{labelOf(edge.target)}</strong>
      </p>
      {issues.length > 0 && (
        <ul className={styles.issueList}>
          {issues.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      )}
      <div className={styles.inspectorFooter}>
        <button type="button" className="btn btn-danger btn-sm" data-testid="edge-delete" onClick={onDelete}>
          Delete connection
        </button>
      </div>
    </div>
  );
}

function configKeyOf(path: string): string | null {
  const m = /\.config\.([A-Za-z_$][\w$]*)/.exec(path) ?? /\.config\["((?:[^"\\]|\\.)*)"\]/.exec(path);
  return m?.[1] ?? null;
}
