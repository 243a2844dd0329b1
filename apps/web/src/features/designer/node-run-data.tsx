'use client';
import { MAX_PIN_BYTES, type Graph, type GraphNode } from '@switchyard/workflow';
import { JsonView } from '@/components/json-view';
import { StatusPill } from '@/components/status-pill';
import { useToast } from '@/components/toast';
import { stepErrorMessage } from '@/features/runs/run-graph';
import { formatDuration } from '@/lib/format';
import { kindsByName } from './kinds';
import type { NodeRunInfo } from './run-overlay';
import type { Dispatch } from './use-graph-history';
import styles from './designer.module.css';

interface NodeRunDataProps {
  node: GraphNode;
  graph: Graph;
  info: NodeRunInfo | undefined;
  hasRun: boolean;
  dispatch: Dispatch;
}

/**
 * The node's input, output and error in the last test run, and its pinned output. Pinning stores the
 * output in the draft (settings.pins): later test runs return it instead of running the node, so the
 * nodes after it can be iterated on without calling the system again.
 */
export function NodeRunData({ node, graph, info, hasRun, dispatch }: NodeRunDataProps) {
  const toast = useToast();
  const pin = graph.settings.pins?.[node.id];
  const isTrigger = kindsByName.get(node.kind)?.isTrigger ?? false;

  const setPins = (pins: NonNullable<Graph['settings']['pins']>) => {
    const { pins: _old, ...rest } = graph.settings;
    dispatch([{ type: 'updateSettings', settings: Object.keys(pins).length > 0 ? { ...rest, pins } : rest }]);
  };
  const pinOutput = () => {
    if (!info) return;
    const size = (JSON.stringify(info.output) ?? '').length;
    if (size > MAX_PIN_BYTES) {
      toast(`This output is ${Math.round(size / 1024)} KB; pinned outputs may be at most ${MAX_PIN_BYTES / 1024} KB`, 'error');
      return;
    }
    setPins({ ...graph.settings.pins, [node.id]: { output: info.output ?? null, port: info.port ?? 'out' } });
  };
  const unpin = () => {
    const { [node.id]: _gone, ...others } = graph.settings.pins ?? {};
    setPins(others);
  };

  return (
    <div className={styles.runData} data-testid="node-run-data">
      {pin && (
        <section className={styles.pinBox} data-testid="node-pin">
          <div className="row">
            <strong>Pinned output</strong>
            <span className="faint">leaves by {pin.port}</span>
            <button type="button" className={`btn btn-sm ${styles.pushRight}`} data-testid="unpin-output" onClick={unpin}>
              Unpin
            </button>
          </div>
          <p className="hint">Test runs return this instead of running the node. Published runs always run it.</p>
          <JsonView value={pin.output} testId="node-pin-output" empty="null" />
        </section>
      )}
      {!info ? (
        <p className="muted" data-testid="node-run-empty">
          {hasRun ? 'This node did not run in the last test run.' : 'Run the draft from the Test tab to see what this node receives and returns.'}
        </p>
      ) : (
        <>
          <div className="row">
            <StatusPill status={info.status} testId="node-run-status" />
            <span className="faint">
              {info.attempts} attempt{info.attempts === 1 ? '' : 's'} · {formatDuration(info.durationMs)}
              {info.port ? ` · left by ${info.port}` : ''}
            </span>
          </div>
          {info.error != null && (
            <div className="banner banner-error" data-testid="node-run-error">
              {stepErrorMessage(info.error)}
            </div>
          )}
          <h4 className={styles.sectionTitle}>Input</h4>
          <JsonView value={info.input} testId="node-run-input" />
          <h4 className={styles.sectionTitle}>Output</h4>
          <JsonView value={info.output} testId="node-run-output" empty="no output" />
          {info.status === 'succeeded' && !isTrigger && !pin && (
            <button type="button" className="btn btn-sm" data-testid="pin-output" onClick={pinOutput}>
              Pin this output
            </button>
          )}
        </>
      )}
    </div>
  );
}
