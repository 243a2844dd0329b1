'use client';
import type { Compensation, Graph, GraphIssue, GraphNode } from '@switchyard/workflow';
import { ConfigForm } from '@/features/config-form/config-form';
import { NumberField } from '@/features/config-form/field-widgets';
import type { JsonSchema } from '@/features/config-form/schema-fields';
import { displayLabel } from './flow-mapping';
import { kindList, kindsByName, registry } from './kinds';
import { humanMs, POLICY_FIELDS, policyFieldIssues, policyValue, SOURCE_LABEL, withPolicyValue, type PolicyFieldSpec } from './policy-edit';
import type { Dispatch } from './use-graph-history';
import styles from './designer.module.css';

/** Inherited values (platform → tenant → workflow), each with the level it came from. */
export interface InheritedPolicy {
  retry: Record<string, { value: number; source: string }>;
  timeoutMs: { value: number; source: string };
}

interface NodeSettingsProps {
  node: GraphNode;
  graph: Graph;
  issues: readonly GraphIssue[];
  inherited: InheritedPolicy | undefined;
  dispatch: Dispatch;
}

// A compensation is an action with an executor: not a trigger, not a control-flow kind.
const COMPENSATION_KINDS = kindList.filter((k) => !k.isTrigger && !registry.get(k.kind)?.runsInEngine);

/** Retry, timeout, error handling and compensation of one node; every change is an operation. */
export function NodeSettings({ node, graph, issues, inherited, dispatch }: NodeSettingsProps) {
  if (kindsByName.get(node.kind)?.isTrigger) {
    return <p className="muted">Triggers start runs: they have no retries, timeout or compensation.</p>;
  }
  return (
    <div className={styles.settings} data-testid="node-settings">
      <section>
        <h4 className={styles.sectionTitle}>Retries and timeout</h4>
        <p className="hint">Empty fields inherit the value shown in grey.</p>
        <div className={styles.policyGrid}>
          {POLICY_FIELDS.map((spec) => (
            <PolicyInput key={spec.id} spec={spec} node={node} issues={issues} inherited={inherited} dispatch={dispatch} />
          ))}
        </div>
        {node.policy && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            data-testid="policy-reset"
            onClick={() => dispatch([{ type: 'updateNodePolicy', nodeId: node.id }])}
          >
            Reset all to inherited
          </button>
        )}
      </section>
      <ErrorPortHint node={node} graph={graph} />
      <CompensationEditor node={node} issues={issues} dispatch={dispatch} />
    </div>
  );
}

function PolicyInput({ spec, node, issues, inherited, dispatch }: { spec: PolicyFieldSpec; node: GraphNode; issues: readonly GraphIssue[]; inherited: InheritedPolicy | undefined; dispatch: Dispatch }) {
  const own = policyValue(node.policy, spec.field);
  const from = spec.field.kind === 'timeout' ? inherited?.timeoutMs : inherited?.retry[spec.field.key];
  const errors = policyFieldIssues(issues, spec.field);
  const id = `policy-${spec.id}`;
  const show = (v: number) => (spec.unit === 'ms' ? humanMs(v) : String(v));
  return (
    <div className={styles.policyField}>
      <label className="label" htmlFor={id}>
        {spec.label} {spec.unit && <span className="faint">({spec.unit})</span>}
      </label>
      <NumberField
        id={id}
        data-testid={id}
        aria-invalid={errors.length > 0}
        aria-describedby={`${id}-hint`}
        field={{ key: spec.id, label: spec.label, widget: 'number', required: false, integer: spec.integer, ...(from ? { defaultValue: from.value } : {}) }}
        value={own}
        onChange={(v) =>
          dispatch([{ type: 'updateNodePolicy', nodeId: node.id, ...policyOp(withPolicyValue(node.policy, spec.field, v as number | undefined)) }], {
            coalesceKey: `policy:${node.id}:${spec.id}`,
          })
        }
      />
      <div id={`${id}-hint`} className="hint" data-testid={`${id}-source`}>
        {own === undefined
          ? from
            ? `Inherited: ${show(from.value)} from the ${SOURCE_LABEL[from.source] ?? from.source}`
            : 'Inherited'
          : from
            ? `Overrides ${show(from.value)} (${SOURCE_LABEL[from.source] ?? from.source})`
            : 'Set on this node'}
      </div>
      {errors.map((e, i) => (
        <div key={i} className="field-error">
          {e}
        </div>
      ))}
    </div>
  );
}

const policyOp = (policy: GraphNode['policy']) => (policy === undefined ? {} : { policy });

function ErrorPortHint({ node, graph }: { node: GraphNode; graph: Graph }) {
  const targets = graph.edges.filter((e) => e.source === node.id && e.sourcePort === 'error').map((e) => graph.nodes.find((n) => n.id === e.target));
  const names = targets.flatMap((n) => (n ? [displayLabel(n)] : []));
  return (
    <section>
      <h4 className={styles.sectionTitle}>When it fails</h4>
      {names.length > 0 ? (
        <p className={`hint ${styles.portHint}`} data-testid="error-port-hint" data-connected="true">
          After the last attempt fails, the error leaves by the <span className={styles.errorPort}>error</span> port to <strong>{names.join(', ')}</strong>; the run
          continues there with <code>{'{ error, input }'}</code>.
        </p>
      ) : (
        <p className={`hint ${styles.portHint}`} data-testid="error-port-hint" data-connected="false">
          The <span className={styles.errorPort}>error</span> port is not connected: after the last attempt fails, the run fails and the compensations of completed
          steps run. Drag from the red <em>error</em> port on the card to handle the failure in the workflow instead.
        </p>
      )}
    </section>
  );
}

function CompensationEditor({ node, issues, dispatch }: { node: GraphNode; issues: readonly GraphIssue[]; dispatch: Dispatch }) {
  const compensation = node.compensation;
  const kind = compensation ? kindsByName.get(compensation.kind) : undefined;
  const set = (next: Compensation | undefined, coalesceKey?: string) =>
    dispatch([{ type: 'updateNodeCompensation', nodeId: node.id, ...(next ? { compensation: next } : {}) }], coalesceKey ? { coalesceKey } : undefined);

  const fieldErrors: Record<string, string[]> = {};
  const general: string[] = [];
  for (const issue of issues) {
    if (!issue.path.includes('.compensation')) continue;
    const m = /\.compensation\.config\.([A-Za-z_$][\w$]*)/.exec(issue.path);
    if (m?.[1]) (fieldErrors[m[1]] ??= []).push(issue.message);
    else general.push(issue.message);
  }

  return (
    <section>
      <h4 className={styles.sectionTitle}>Compensation</h4>
      <p className="hint">An action that undoes this node&apos;s effect (e.g. cancel the order it created) when the run fails after it completed.</p>
      <label className="label" htmlFor="compensation-kind">
        Compensating action
      </label>
      <select
        id="compensation-kind"
        className="select"
        data-testid="compensation-kind"
        value={compensation?.kind ?? ''}
        onChange={(e) => {
          const next = kindsByName.get(e.target.value);
          set(next ? { kind: next.kind, config: structuredClone((next.defaultConfig ?? {}) as Record<string, unknown>) } : undefined);
        }}
      >
        <option value="">None</option>
        {COMPENSATION_KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.displayName}
          </option>
        ))}
        {compensation && !kind && <option value={compensation.kind}>Unknown kind: {compensation.kind}</option>}
      </select>
      {general.map((m, i) => (
        <div key={i} className="field-error">
          {m}
        </div>
      ))}
      {compensation && kind && (
        <div className={styles.compensationForm} data-testid="compensation-form">
          <ConfigForm
            schema={kind.jsonSchema as JsonSchema}
            value={compensation.config}
            errors={fieldErrors}
            onChange={(key, value) => {
              const config = { ...compensation.config };
              if (value === undefined) delete config[key];
              else config[key] = value;
              set({ ...compensation, config }, `compensation:${node.id}:${key}`);
            }}
          />
        </div>
      )}
    </section>
  );
}
