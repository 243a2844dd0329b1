'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { ACTIVE_RUN_STATUSES } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { useCan } from '@/lib/session';
import { useTRPC } from '@/lib/trpc';
import { checkJson, formatJson } from './json-input';
import { errorNodeId, type NodeInfo } from './run-graph';
import styles from './run-detail.module.css';

interface ActionRun {
  id: string;
  status: string;
  error: unknown;
  steps: { nodeId: string; input?: unknown }[];
}

/** Replay, replay from a step with an edited input, and cancel, for the run page's header. */
export function RunActions({ run, labels }: { run: ActionRun; labels: Map<string, NodeInfo> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [fromStep, setFromStep] = useState(false);
  const live = ACTIVE_RUN_STATUSES.has(run.status);
  const canOperate = useCan('operator');

  const replay = useMutation(
    trpc.runs.replay.mutationOptions({
      onSuccess: (result) => router.push(`/runs/${result.runId}`),
    }),
  );
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ id: run.id }) }),
    }),
  );

  // Replaying and cancelling are an operator's; a viewer only reads the run.
  if (!canOperate) return null;
  return (
    <div className={styles.actionsWrap}>
      <div className="row">
        {live ? (
          <button type="button" className="btn btn-danger" data-testid="run-cancel" disabled={cancel.isPending} onClick={() => cancel.mutate({ id: run.id })}>
            {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="run-replay"
              disabled={replay.isPending}
              title="A new run from the start with the same trigger payload, correlation id and step keys"
              onClick={() => replay.mutate({ id: run.id, version: 'pinned' })}
            >
              Replay
            </button>
            <button type="button" className="btn" data-testid="run-replay-from-step" onClick={() => setFromStep((v) => !v)} aria-expanded={fromStep}>
              Replay from a step…
            </button>
          </>
        )}
      </div>
      {(replay.isError || cancel.isError) && (
        <div className="banner banner-error" data-testid="run-action-error">
          {errorMessage(replay.error ?? cancel.error)}
        </div>
      )}
      {fromStep && !live && <ReplayFromStep run={run} labels={labels} onClose={() => setFromStep(false)} />}
    </div>
  );
}

function ReplayFromStep({ run, labels, onClose }: { run: ActionRun; labels: Map<string, NodeInfo>; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  // The last recorded input of each node that ran, in first-run order: what a replay would start with.
  const nodes = useMemo(() => {
    const inputs = new Map<string, unknown>();
    for (const step of run.steps) inputs.set(step.nodeId, step.input);
    return [...inputs.entries()].map(([nodeId, input]) => ({ nodeId, input }));
  }, [run.steps]);
  const failed = errorNodeId(run.error);
  const initialNode = nodes.find((n) => n.nodeId === failed)?.nodeId ?? nodes[nodes.length - 1]?.nodeId ?? '';
  const [nodeId, setNodeId] = useState(initialNode);
  const original = formatJson(nodes.find((n) => n.nodeId === nodeId)?.input);
  const [text, setText] = useState(original);
  const check = checkJson(text);
  const edited = text !== original;

  const replay = useMutation(trpc.runs.replay.mutationOptions({ onSuccess: (result) => router.push(`/runs/${result.runId}`) }));

  return (
    <form
      className={`card ${styles.replayPanel}`}
      data-testid="replay-panel"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = checkJson(text);
        if (!parsed.ok) return;
        // Unchanged input is not sent, so the replay keeps the original step keys and targets drop duplicates.
        replay.mutate({ id: run.id, fromNodeId: nodeId, version: 'pinned', ...(edited ? { input: parsed.value } : {}) });
      }}
    >
      <div className={styles.replayHead}>
        <h3>Replay from a step</h3>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <label className="stack">
        <span className="label">Start at</span>
        <select
          className="select"
          data-testid="replay-node"
          value={nodeId}
          onChange={(e) => {
            setNodeId(e.target.value);
            setText(formatJson(nodes.find((n) => n.nodeId === e.target.value)?.input));
          }}
        >
          {nodes.map((n) => (
            <option key={n.nodeId} value={n.nodeId}>
              {labels.get(n.nodeId)?.label ?? n.nodeId} ({n.nodeId}){n.nodeId === failed ? ' · failed here' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="stack">
        <span className="label">Input of that step (JSON)</span>
        <textarea
          className={`textarea mono ${styles.jsonEditor}`}
          data-testid="replay-input"
          spellCheck={false}
          rows={12}
          value={text}
          aria-invalid={!check.ok}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {!check.ok && (
        <div className="field-error" data-testid="replay-input-error" role="alert">
          {check.message}
        </div>
      )}
      <div className="hint">
        {edited
          ? 'Edited input: the replay gets fresh step idempotency keys, since the data changed.'
          : 'Unchanged input: the replay keeps the original step keys, so targets drop effects that already happened.'}
      </div>
      {replay.isError && (
        <div className="banner banner-error" data-testid="replay-error">
          {errorMessage(replay.error)}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" data-testid="replay-submit" disabled={!check.ok || !nodeId || replay.isPending}>
          {replay.isPending ? 'Replaying…' : edited ? 'Replay with edited input' : 'Replay from this step'}
        </button>
        {edited && (
          <button type="button" className="btn" onClick={() => setText(original)}>
            Reset input
          </button>
        )}
      </div>
    </form>
  );
}
