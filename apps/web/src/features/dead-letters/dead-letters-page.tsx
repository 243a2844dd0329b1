'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { StatusPill } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatRelative, shortId, versionLabel } from '@/lib/format';
import { useCan } from '@/lib/session';
import { useTRPC } from '@/lib/trpc';
import { BulkAction, type DeadLetterScope } from './bulk-action';
import styles from './dead-letters.module.css';

/** The tenant's dead letters grouped by error class, with bulk replay (after a dry run) and bulk discard. */
export function DeadLettersPage() {
  const trpc = useTRPC();
  const canOperate = useCan('operator');
  const [workflowId, setWorkflowId] = useState<string | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [action, setAction] = useState<{ kind: 'replay' | 'discard'; scope: DeadLetterScope } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const filter = workflowId ? { workflowId } : {};

  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const groups = useQuery(trpc.deadLetters.groups.queryOptions(filter, { refetchInterval: 5000 }));
  // deadLetters.list pages by `after`, not tRPC's `cursor`: "Load more" widens one query instead (max 500).
  const [limit, setLimit] = useState(50);
  const letters = useQuery(trpc.deadLetters.list.queryOptions({ ...filter, ...(selected ? { errorCode: selected } : {}), limit }, { refetchInterval: 5000 }));
  const items = letters.data?.items ?? [];
  const total = groups.data?.reduce((n, g) => n + g.count, 0) ?? 0;
  const open = (kind: 'replay' | 'discard', errorCode?: string) => {
    setNotice(null);
    setAction({ kind, scope: { ...(workflowId ? { workflowId } : {}), ...(errorCode ? { errorCode } : {}) } });
  };

  return (
    <div className="page">
      <div className="page-header">
        <h1>Dead letters</h1>
        <div className="row">
          <select className="select" data-testid="dead-letters-workflow" value={workflowId ?? ''} onChange={(e) => setWorkflowId(e.target.value || undefined)}>
            <option value="">All workflows</option>
            {workflows.data?.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
          {canOperate && (
            <>
              <button type="button" className="btn" data-testid="replay-all" disabled={total === 0} onClick={() => open('replay')}>
                Replay all…
              </button>
              <button type="button" className="btn" data-testid="discard-all" disabled={total === 0} onClick={() => open('discard')}>
                Discard all…
              </button>
            </>
          )}
        </div>
      </div>
      <p className="muted">
        Runs that failed for good (retries exhausted, a permanent error, or compensated) and have not been replayed or discarded yet, grouped by the class of
        their last error.
      </p>

      {notice && (
        <div className="banner banner-info" data-testid="dead-letters-notice">
          {notice}
        </div>
      )}
      {action && (
        <BulkAction
          key={`${action.kind}:${JSON.stringify(action.scope)}`}
          kind={action.kind}
          scope={action.scope}
          onClose={() => setAction(null)}
          onDone={(message) => {
            setNotice(message);
            setAction(null);
          }}
        />
      )}
      {groups.isError && <div className="banner banner-error">Could not load dead letters: {errorMessage(groups.error)}</div>}

      <section className="card">
        <table className="table" data-testid="dead-letter-groups">
          <thead>
            <tr>
              <th>Error class</th>
              <th>Dead letters</th>
              <th>Latest</th>
              <th>Latest message</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {groups.data?.map((g) => (
              <tr key={g.errorCode} data-testid="dead-letter-group" data-error-code={g.errorCode} className={selected === g.errorCode ? styles.selected : undefined}>
                <td>
                  <button type="button" className={`btn btn-ghost btn-sm mono ${styles.code}`} data-testid="group-select" onClick={() => setSelected(selected === g.errorCode ? undefined : g.errorCode)}>
                    {g.errorCode}
                  </button>
                </td>
                <td data-testid="group-count">{g.count}</td>
                <td title={formatDateTime(g.latestAt)}>{formatRelative(g.latestAt)}</td>
                <td className={styles.message} title={g.sampleMessage}>
                  {g.sampleMessage}
                </td>
                <td className={styles.actions}>
                  <button type="button" className="btn btn-sm" data-testid="group-replay" onClick={() => open('replay', g.errorCode)}>
                    Replay…
                  </button>
                  <button type="button" className="btn btn-sm" data-testid="group-discard" onClick={() => open('discard', g.errorCode)}>
                    Discard…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {groups.isSuccess && groups.data.length === 0 && (
          <div className="empty" data-testid="dead-letters-empty">
            No dead letters: every failed run has been replayed or discarded.
          </div>
        )}
      </section>

      <section className={`card ${styles.listCard}`}>
        <div className={styles.listHead}>
          <h2>{selected ? `Dead letters with ${selected}` : 'All dead letters'}</h2>
          {selected && (
            <button type="button" className="btn btn-sm" onClick={() => setSelected(undefined)}>
              Show all
            </button>
          )}
        </div>
        <table className="table" data-testid="dead-letter-list">
          <thead>
            <tr>
              <th>Status</th>
              <th>Run</th>
              <th>Workflow</th>
              <th>Reason</th>
              <th>Error</th>
              <th>Attempts</th>
              <th>Dead-lettered</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.runId} data-testid="dead-letter-row" data-run-id={d.runId}>
                <td>
                  <StatusPill status={d.status} />
                </td>
                <td>
                  <Link href={`/runs/${d.runId}`} className="mono">
                    {shortId(d.runId)}
                  </Link>
                </td>
                <td>
                  {d.workflowName} <span className="faint">{versionLabel(d.version)}</span>
                </td>
                <td className="muted">{d.reason.replace(/_/g, ' ')}</td>
                <td className={styles.message} title={d.error?.message}>
                  <span className="mono">{d.error?.code}</span> {d.error?.message}
                </td>
                <td>{d.attempts}</td>
                <td title={formatDateTime(d.deadLetteredAt)}>{formatRelative(d.deadLetteredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {letters.data?.next && limit < 500 && (
          <div className="empty">
            <button type="button" className="btn" disabled={letters.isFetching} onClick={() => setLimit((n) => Math.min(500, n + 100))}>
              {letters.isFetching ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
