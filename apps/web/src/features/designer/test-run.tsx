'use client';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import styles from './designer.module.css';

/** Starts a run of the *published* version with a JSON payload, and links to it. */
export function TestRun({ workflowId, activeVersion, draftDiffers, initialPayload }: { workflowId: string; activeVersion: number | null; draftDiffers: boolean; initialPayload: string }) {
  const trpc = useTRPC();
  const [text, setText] = useState(initialPayload);
  const [parseError, setParseError] = useState<string | null>(null);
  const trigger = useMutation(trpc.runs.trigger.mutationOptions());

  const submit = () => {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (err) {
      setParseError(`The payload is not valid JSON: ${(err as Error).message}`);
      return;
    }
    setParseError(null);
    trigger.mutate({ workflowId, payload });
  };

  const disabledReason = activeVersion === null ? 'Publish the workflow first: test runs use the published version.' : null;
  return (
    <div className={styles.testRun}>
      <label className="label" htmlFor="test-payload">
        Payload (JSON)
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
      {activeVersion !== null && draftDiffers && (
        <div className="hint">The run uses published version v{activeVersion}, not your unpublished changes.</div>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" data-testid="test-run" disabled={disabledReason !== null || trigger.isPending} onClick={submit}>
          {trigger.isPending ? 'Starting…' : 'Run test'}
        </button>
        {disabledReason && (
          <span className="hint" data-testid="test-run-disabled-reason">
            {disabledReason}
          </span>
        )}
      </div>
      {trigger.isError && <div className="banner banner-error">{errorMessage(trigger.error)}</div>}
      {trigger.isSuccess && (
        <div className="banner banner-info" data-testid="test-run-result">
          Run started. <Link href={`/runs/${trigger.data.runId}`} data-testid="test-run-link">Open the run →</Link>
        </div>
      )}
    </div>
  );
}
