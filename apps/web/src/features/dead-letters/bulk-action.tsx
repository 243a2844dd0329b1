'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import styles from './dead-letters.module.css';

export interface DeadLetterScope {
  workflowId?: string;
  errorCode?: string;
}

/**
 * Bulk replay or discard of the dead letters in `scope`: it first asks the server for a dry-run
 * count and only then offers the real action, so the person confirms a number, not a guess.
 * Discarding needs a reason, which is stored on each run and in the audit log.
 */
export function BulkAction({ kind, scope, onDone, onClose }: { kind: 'replay' | 'discard'; scope: DeadLetterScope; onDone: (message: string) => void; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.deadLetters.pathKey() });

  const replayCount = useMutation(trpc.runs.bulkReplay.mutationOptions());
  const replay = useMutation(
    trpc.runs.bulkReplay.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        if (r.status === 'replayed') onDone(`Replayed ${r.count} dead letter${r.count === 1 ? '' : 's'}${r.refused.length ? `; ${r.refused.length} refused` : ''}.`);
      },
    }),
  );
  const discardCount = useMutation(trpc.deadLetters.discard.mutationOptions());
  const discard = useMutation(
    trpc.deadLetters.discard.mutationOptions({
      onSuccess: (r) => {
        void refresh();
        onDone(`Discarded ${r.count} dead letter${r.count === 1 ? '' : 's'}.`);
      },
    }),
  );

  const filter = { ...(scope.workflowId ? { workflowId: scope.workflowId } : {}), ...(scope.errorCode ? { errorCode: scope.errorCode } : {}) };
  const scopeKey = JSON.stringify(filter);
  // The dry run: a count, nothing changes. Re-run when the scope changes (the mutation objects
  // change identity on every render, so they are deliberately not dependencies).
  useEffect(() => {
    if (kind === 'replay') replayCount.mutate({ filter: JSON.parse(scopeKey) as typeof filter, dryRun: true });
    else discardCount.mutate({ filter: JSON.parse(scopeKey) as typeof filter, dryRun: true, reason: 'dry run' });
  }, [kind, scopeKey]);

  const counted = kind === 'replay' ? replayCount.data : discardCount.data;
  const wouldAct = counted?.status === 'dry_run' ? (kind === 'replay' ? (counted as { wouldReplay: number }).wouldReplay : (counted as { wouldDiscard: number }).wouldDiscard) : null;
  const total = counted?.status === 'dry_run' ? counted.count : null;
  const countError = kind === 'replay' ? replayCount.error : discardCount.error;
  const actError = kind === 'replay' ? replay.error : discard.error;
  const pending = replay.isPending || discard.isPending;
  const what = scope.errorCode ? `dead letters with error ${scope.errorCode}` : 'dead letters';

  return (
    <form
      className={`card ${styles.bulk}`}
      data-testid={`bulk-${kind}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (kind === 'replay') replay.mutate({ filter, dryRun: false });
        else if (reason.trim()) discard.mutate({ filter, dryRun: false, reason: reason.trim() });
      }}
    >
      <div className={styles.bulkHead}>
        <h3>{kind === 'replay' ? 'Replay' : 'Discard'} {what}</h3>
        <button type="button" className="btn btn-ghost btn-sm" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {countError && <div className="banner banner-error">Could not count them: {errorMessage(countError)}</div>}
      {total === null && !countError && <div className="faint">Counting (dry run)…</div>}
      {total !== null && (
        <p data-testid="bulk-dry-run" data-count={total}>
          Dry run: <strong>{total}</strong> {what} match.{' '}
          {wouldAct !== null && wouldAct < total ? `This action handles the oldest ${wouldAct}; run it again for the rest.` : ''}
          {kind === 'replay' ? ' Each becomes a new run linked to the original, from the start, on its pinned version.' : ''}
        </p>
      )}
      {kind === 'discard' && (
        <label className="stack">
          <span className="label">Reason (kept with each run and in the audit log)</span>
          <input
            className="input"
            data-testid="discard-reason"
            value={reason}
            maxLength={500}
            placeholder="e.g. duplicate batch resent by the ERP on 27 Nov"
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      )}
      {actError && (
        <div className="banner banner-error" data-testid="bulk-error">
          {errorMessage(actError)}
        </div>
      )}
      <div className="row">
        <button
          type="submit"
          className={kind === 'replay' ? 'btn btn-primary' : 'btn btn-danger'}
          data-testid="bulk-confirm"
          disabled={pending || !wouldAct || (kind === 'discard' && !reason.trim())}
        >
          {pending ? 'Working…' : `${kind === 'replay' ? 'Replay' : 'Discard'} ${wouldAct ?? ''}`}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
