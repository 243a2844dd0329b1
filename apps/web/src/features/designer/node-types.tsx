'use client';
import { Handle, Position, useStore, type Node, type NodeProps, type NodeTypes, type ReactFlowState } from '@xyflow/react';
import { memo } from 'react';
import { nodeIcon } from './node-icons';
import styles from './node-card.module.css';

export type DesignerCategory = 'trigger' | 'logic' | 'data' | 'action' | 'system' | 'unknown';

export interface DesignerNodeData extends Record<string, unknown> {
  label: string;
  kind: string;
  kindName: string;
  icon: string;
  isTrigger: boolean;
  ports: readonly string[];
  issues: readonly string[];
  /** The node's state in the last test run of the draft. */
  runStatus?: 'succeeded' | 'failed' | 'retrying';
  /** Its output is pinned: test runs use the pinned output instead of running it. */
  pinned?: boolean;
  /** In a version diff. */
  decoration?: 'added' | 'removed' | 'changed';
}

export type DesignerNode = Node<DesignerNodeData, DesignerCategory>;

const RUN_GLYPH: Record<NonNullable<DesignerNodeData['runStatus']>, string> = { succeeded: '✓', failed: '✕', retrying: '↻' };
const RUN_TITLE: Record<NonNullable<DesignerNodeData['runStatus']>, string> = {
  succeeded: 'Succeeded in the last test run',
  failed: 'Failed in the last test run',
  retrying: 'Failed; waiting to retry',
};

const PORT_CLASS: Record<string, string | undefined> = {
  error: styles.portError,
  true: styles.portTrue,
  false: styles.portFalse,
};

/**
 * Cards have a fixed size (so React Flow can lay them out and fit the view before measuring them,
 * and so the level of detail can change without moving a handle): a 42 px header and an 18 px row
 * per output port, plus borders and padding.
 */
export const CARD_WIDTH = 190;
const HEADER_TOP = 3 + 42 + 1 + 2;
const PORT_ROW = 18;
export function cardHeight(ports: number): number {
  return ports === 0 ? 46 : HEADER_TOP + PORT_ROW * ports + 2 + 1;
}

/**
 * Level of detail by zoom: zoomed far out, a card is a few pixels wide and its text unreadable, yet
 * drawing it costs the same; a thousand of them made panning crawl. Below 0.45 only the label is
 * drawn (larger), below 0.2 only the coloured block. Only crossing a threshold re-renders the cards.
 */
type Detail = 'full' | 'label' | 'block';
const detailOf = (s: ReactFlowState): Detail => (s.transform[2] < 0.2 ? 'block' : s.transform[2] < 0.45 ? 'label' : 'full');

function NodeCard({ id, data, selected, category }: NodeProps<DesignerNode> & { category: DesignerCategory }) {
  const detail = useStore(detailOf);
  const issueCount = data.issues.length;
  const classes = [
    styles.card,
    styles[category],
    selected ? styles.selected : '',
    issueCount > 0 ? styles.invalid : '',
    data.runStatus ? styles[`run_${data.runStatus}`] : '',
    data.decoration ? styles[`diff_${data.decoration}`] : '',
  ];
  const height = cardHeight(data.ports.length);
  if (detail !== 'full') {
    return (
      <div
        className={[...classes, styles.coarse].filter(Boolean).join(' ')}
        style={{ height }}
        data-testid={`node-${id}`}
        data-kind={data.kind}
        data-node-id={id}
        data-run-status={data.runStatus}
        data-pinned={data.pinned ? 'true' : undefined}
        data-diff={data.decoration}
        title={data.label}
      >
        {!data.isTrigger && <Handle type="target" position={Position.Left} id="in" className={styles.handle} data-testid={`handle-${id}-in`} />}
        {detail === 'label' && <div className={styles.coarseLabel}>{data.label}</div>}
        {data.pinned && (
          <span className={`${styles.pinned} ${styles.coarseMark}`} data-testid={`node-pinned-${id}`} title="Output pinned">
            pin
          </span>
        )}
        {issueCount > 0 && (
          <span className={`${styles.badge} ${styles.coarseBadge}`} data-testid={`node-issues-${id}`} title={data.issues.join('\n')}>
            {issueCount}
          </span>
        )}
        {data.ports.map((port, i) => (
          <Handle
            key={port}
            type="source"
            position={Position.Right}
            id={port}
            className={`${styles.handle} ${PORT_CLASS[port] ?? ''}`}
            style={{ top: HEADER_TOP + PORT_ROW * i + PORT_ROW / 2 }}
            data-testid={`handle-${id}-${port}`}
          />
        ))}
      </div>
    );
  }
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      style={{ height }}
      data-testid={`node-${id}`}
      data-kind={data.kind}
      data-node-id={id}
      data-run-status={data.runStatus}
      data-pinned={data.pinned ? 'true' : undefined}
      data-diff={data.decoration}
    >
      {data.decoration && (
        <span className={styles.diffTag} aria-label={`${data.decoration} in this version`}>
          {data.decoration}
        </span>
      )}
      {!data.isTrigger && (
        <Handle type="target" position={Position.Left} id="in" className={styles.handle} data-testid={`handle-${id}-in`} />
      )}
      <div className={styles.header}>
        <NodeMark kind={data.kind} icon={data.icon} />
        <div className={styles.titles}>
          <div className={styles.label} title={data.label}>
            {data.label}
          </div>
          {data.kindName !== data.label && <div className={styles.kind}>{data.kindName}</div>}
        </div>
        {data.pinned && (
          <span className={styles.pinned} data-testid={`node-pinned-${id}`} title="Output pinned: test runs use it instead of running this node">
            pinned
          </span>
        )}
        {data.runStatus && (
          <span className={`${styles.runStatus} ${styles[`runStatus_${data.runStatus}`]}`} data-testid={`node-run-status-${id}`} title={RUN_TITLE[data.runStatus]}>
            {RUN_GLYPH[data.runStatus]}
          </span>
        )}
        {issueCount > 0 && (
          <span className={styles.badge} data-testid={`node-issues-${id}`} title={data.issues.join('\n')}>
            {issueCount}
          </span>
        )}
      </div>
      {data.ports.length > 0 && (
        <div className={styles.ports}>
          {data.ports.map((port) => (
            <div key={port} className={styles.port}>
              <span className={`${styles.portName} ${PORT_CLASS[port] ?? ''}`}>{port}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port}
                className={`${styles.handle} ${PORT_CLASS[port] ?? ''}`}
                data-testid={`handle-${id}-${port}`}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

// One memoised component per category (React Flow compares nodeTypes by identity: keep at module scope).
const TriggerNode = memo((props: NodeProps<DesignerNode>) => <NodeCard {...props} category="trigger" />);
TriggerNode.displayName = 'TriggerNode';
const LogicNode = memo((props: NodeProps<DesignerNode>) => <NodeCard {...props} category="logic" />);
LogicNode.displayName = 'LogicNode';
const DataNode = memo((props: NodeProps<DesignerNode>) => <NodeCard {...props} category="data" />);
DataNode.displayName = 'DataNode';
const ActionNode = memo((props: NodeProps<DesignerNode>) => <NodeCard {...props} category="action" />);
ActionNode.displayName = 'ActionNode';
const SystemNode = memo((props: NodeProps<DesignerNode>) => <NodeCard {...props} category="system" />);
SystemNode.displayName = 'SystemNode';
const UnknownNode = memo((props: NodeProps<DesignerNode>) => <NodeCard {...props} category="unknown" />);
UnknownNode.displayName = 'UnknownNode';

export const nodeTypes: NodeTypes = {
  trigger: TriggerNode,
  logic: LogicNode,
  data: DataNode,
  action: ActionNode,
  system: SystemNode,
  unknown: UnknownNode,
};

export const CATEGORY_LABELS: Record<DesignerCategory, string> = {
  trigger: 'Triggers',
  logic: 'Logic',
  data: 'Data',
  action: 'Actions',
  system: 'System',
  unknown: 'Unknown',
};

function NodeMark({ kind, icon }: { kind: string; icon: string }) {
  const mark = nodeIcon(kind, icon);
  return (
    <span className={styles.icon} style={mark.style} data-system={mark.system} data-long={mark.mark.length > 2 || undefined} title={mark.system} aria-hidden>
      {mark.mark}
    </span>
  );
}
