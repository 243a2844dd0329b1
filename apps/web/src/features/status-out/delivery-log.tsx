'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Fragment, useState } from 'react';
import { StatusPill } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatDuration, formatRelative, shortId } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import styles from './status-out.module.css';

const STATE_PILL: Record<string, string> = { pending: 'pill pill-queued', succeeded: 'pill pill-succeeded', failed: 'pill pill-failed' };

function eventOf(body: unknown): { status?: string; previousStatus?: string | null } {
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  return data && typeof data === 'object' ? (data as { status?: string; previousStatus?: string | null }) : {};
}

/** Every delivery (newest first) with its attempts; a delivery can be sent again by hand at any time. */
export function DeliveryLog({ subscriptions }: { subscriptions: Array<{ id: string; name: string }> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [subscriptionId, setSubscriptionId] = useState<string | undefined>();
  const [open, setOpen] = useState<string | null>(null);
  const [limit, setLimit] = useState(50);
  const deliveries = useQuery(trpc.statusOut.deliveries.queryOptions({ ...(subscriptionId ? { subscriptionId } : {}), limit }, { refetchInterval: 3000 }));
  const redeliver = useMutation(trpc.statusOut.redeliver.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.statusOut.deliveries.queryFilter()) }));
  const nameOf = new Map(subscriptions.map((s) => [s.id, s.name]));

  return (
    <section className="card" data-testid="delivery-log">
      <div className={styles.logHead}>
        <h2>Delivery log</h2>
        <select className="select" data-testid="delivery-log-subscription" value={subscriptionId ?? ''} onChange={(e) => setSubscriptionId(e.target.value || undefined)}>
          <option value="">All subscriptions</option>
          {subscriptions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      {deliveries.isError && <div className="banner banner-error">Could not load deliveries: {errorMessage(deliveries.error)}</div>}
      {redeliver.isError && (
        <div className="banner banner-error" data-testid="redeliver-error">
          Could not redeliver: {errorMessage(redeliver.error)}
        </div>
      )}
      <table className="table" data-testid="deliveries-table">
        <thead>
          <tr>
            <th>Created</th>
            <th>Subscription</th>
            <th>Run</th>
            <th>Event</th>
            <th>Delivery</th>
            <th>Attempts</th>
            <th>Last answer</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {deliveries.data?.map((d) => {
            const event = eventOf(d.body);
            const expanded = open === d.id;
            return (
              <Fragment key={d.id}>
                <tr data-testid="delivery-row" data-delivery-id={d.id} data-state={d.state}>
                  <td title={formatDateTime(d.createdAt)}>{formatRelative(d.createdAt)}</td>
                  <td>{nameOf.get(d.subscriptionId) ?? shortId(d.subscriptionId)}</td>
                  <td>
                    <Link href={`/runs/${d.runId}`} className="mono">
                      {shortId(d.runId)}
                    </Link>
                  </td>
                  <td>{event.status ? <StatusPill status={event.status} testId="delivery-event" /> : <span className="faint">?</span>}</td>
                  <td>
                    <span className={STATE_PILL[d.state] ?? 'pill'} data-testid="delivery-state">
                      {d.state}
                    </span>
                    {d.state === 'pending' && d.attempts > 0 && (
                      <div className="faint" title={formatDateTime(d.nextAttemptAt)}>
                        next {formatRelative(d.nextAttemptAt)}
                      </div>
                    )}
                  </td>
                  <td>
                    <button type="button" className="btn btn-ghost btn-sm" data-testid="delivery-attempts" aria-expanded={expanded} disabled={d.log.length === 0} onClick={() => setOpen(expanded ? null : d.id)}>
                      {d.attempts} {expanded ? '▾' : '▸'}
                    </button>
                  </td>
                  <td className={styles.error} title={d.lastError ?? undefined}>
                    {d.lastStatusCode !== null && <span className="mono">HTTP {d.lastStatusCode}</span>} {d.lastError && <span className="muted">{d.lastError}</span>}
                    {d.lastStatusCode === null && !d.lastError && <span className="faint">–</span>}
                  </td>
                  <td className={styles.actions}>
                    <button
                      type="button"
                      className="btn btn-sm"
                      data-testid="delivery-redeliver"
                      disabled={redeliver.isPending && redeliver.variables?.id === d.id}
                      title="Send this delivery again now (its log is kept)"
                      onClick={() => redeliver.mutate({ id: d.id })}
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
                {expanded && (
                  <tr className={styles.attempts} data-testid="delivery-attempt-log">
                    <td colSpan={8}>
                      <table>
                        <thead>
                          <tr>
                            <th>Attempt</th>
                            <th>At</th>
                            <th>Answer</th>
                            <th>Took</th>
                            <th>Error</th>
                          </tr>
                        </thead>
                        <tbody>
                          {d.log.map((a) => (
                            <tr key={`${a.attempt}-${String(a.at)}`} data-testid="delivery-attempt">
                              <td>{a.attempt}</td>
                              <td>{formatDateTime(a.at)}</td>
                              <td className="mono">{a.statusCode ?? 'no answer'}</td>
                              <td>{formatDuration(a.durationMs)}</td>
                              <td>{a.error ?? ''}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {deliveries.isSuccess && deliveries.data.length === 0 && (
        <div className="empty" data-testid="deliveries-empty">
          No deliveries yet: they appear here as runs of subscribed workflows change status.
        </div>
      )}
      {deliveries.data && deliveries.data.length >= limit && limit < 200 && (
        <div className="empty">
          <button type="button" className="btn" disabled={deliveries.isFetching} onClick={() => setLimit(200)}>
            {deliveries.isFetching ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
