'use client';
import type { Graph } from '@switchyard/workflow';
import Link from 'next/link';
import { useState } from 'react';
import { StatusPill } from '@/components/status-pill';
import { stepErrorMessage } from '@/features/runs/run-graph';
import type { TestRunState } from './use-test-run';
import styles from './designer.module.css';

interface TestRunProps {
  test: TestRunState;
  getGraph: () => Graph;
  issueCount: number;
  initialPayload: string;
  labelOf: (id: string) => string;
  onShowProblems: () => void;
}

/**
 * Runs the draft as it is on the canvas (saved or not, never published) with a JSON payload. Each
 * node then shows its status on the canvas; the inspector shows its input, output and error.
 */
export function TestRun({ test, getGraph, issueCount, initialPayload, labelOf, onShowProblems }: TestRunProps) {
  const [text, setText] = useState(initialPayload);
  const [parseError, setParseError] = useState<string | null>(null);

  const submit = () => {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (err) {
      setParseError(`The payload is not valid JSON: ${(err as Error).message}`);
      return;
    }
    setParseError(null);
    void test.start(getGraph(), payload);
  };

  const current = getGraph();
  // Pins of deleted nodes stay in the settings until the next edit of them; they do nothing.
  const pins = Object.keys(current.settings.pins ?? {}).filter((id) => current.nodes.some((n) => n.id === id));
  const blocked = issueCount > 0 ? `Fix ${issueCount} problem${issueCount === 1 ? '' : 's'} first: only a valid draft can run.` : null;
  const runErrorText = stepErrorMessage(test.runError);
  return (
    <div className={styles.testRun}>
      <p className="muted">Runs the draft on the canvas without publishing it. Unsaved changes are included.</p>
      <label className="label" htmlFor="test-payload">
        Trigger payload (JSON)
      </label>
      <textarea
        id="test-payload"
        className="textarea mono"
        rows={8}
        spellCheck={false}
        data-testid="test-payload"
        aria-invalid={parseError !== null}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {parseError && <div className="field-error">{parseError}</div>}
      {pins.length > 0 && (
        <div className="hint" data-testid="test-run-pins">
          {pins.length} pinned node{pins.length === 1 ? '' : 's'} ({pins.map(labelOf).join(', ')}) will return {pins.length === 1 ? 'its' : 'their'} pinned output
          instead of running.
        </div>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" data-testid="test-run" disabled={blocked !== null || test.starting} onClick={submit}>
          {test.starting ? 'Starting…' : 'Run draft'}
        </button>
        {test.runId && (
          <button type="button" className="btn btn-ghost btn-sm" data-testid="test-run-clear" onClick={test.clear}>
            Clear results
          </button>
        )}
      </div>
      {blocked && (
        <button type="button" className={styles.linkButton} data-testid="test-run-disabled-reason" onClick={onShowProblems}>
          {blocked}
        </button>
      )}
      {test.error && (
        <div className="banner banner-error" data-testid="test-run-error">
          {test.error}
        </div>
      )}
      {test.runId && test.status && (
        <div className={styles.testResult} data-testid="test-run-result" data-status={test.status}>
          <div className="row">
            <StatusPill status={test.status} testId="test-run-status" />
            <span className="faint">{test.nodes.size} node{test.nodes.size === 1 ? '' : 's'} ran</span>
            <Link href={`/runs/${test.runId}`} data-testid="test-run-link" className={styles.pushRight}>
              Open run →
            </Link>
          </div>
          {runErrorText && <div className="field-error">{runErrorText}</div>}
          <p className="hint">Click a node on the canvas to see its input, output and error, and to pin its output.</p>
        </div>
      )}
    </div>
  );
}
