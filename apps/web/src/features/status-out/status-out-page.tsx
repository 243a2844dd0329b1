'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { DeliveryLog } from './delivery-log';
import { NewSubscriptionForm, STATUS_CHOICES } from './new-subscription-form';
import styles from './status-out.module.css';

/**
 * Status out for the selected tenant: the customer-portal endpoints that receive run status changes
 * (Standard Webhooks signed; the secret is shown once, at creation), and the log of every delivery
 * with manual redelivery.
 */
export function StatusOutPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const subscriptions = useQuery(trpc.statusOut.subscriptions.queryOptions());
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const workflowName = new Map(workflows.data?.map((w) => [w.id, w.name]) ?? []);
  const statusLabel = new Map(STATUS_CHOICES.map((c) => [c.status as string, c.label]));
  const refresh = () => queryClient.invalidateQueries(trpc.statusOut.subscriptions.queryFilter());
  const setActive = useMutation(trpc.statusOut.setActive.mutationOptions({ onSuccess: () => refresh() }));
  const remove = useMutation(
    trpc.statusOut.delete.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        void refresh();
        void queryClient.invalidateQueries(trpc.statusOut.deliveries.queryFilter());
      },
    }),
  );

  const copy = async () => {
    if (!revealed) return;
    try {
      await navigator.clipboard.writeText(revealed.secret);
      setCopied(true);
    } catch {
      // Clipboard refused (insecure origin): the secret is selectable text.
    }
  };

  return (
    <div className="page">
      <div className="page-header">
        <h1>Status webhooks</h1>
        {!creating && (
          <button type="button" className="btn btn-primary" data-testid="new-subscription" onClick={() => (setCreating(true), setRevealed(null))}>
            New subscription
          </button>
        )}
      </div>
      <p className="muted">
        Push run status changes to customer portals. Each delivery is signed in the Standard Webhooks form (<span className="mono">webhook-id</span>,{' '}
        <span className="mono">webhook-timestamp</span>, <span className="mono">webhook-signature</span>) and retried with backoff for about a day; bodies carry
        status, ids, correlation id and business keys, never payloads.
      </p>

      {revealed && (
        <section className={`card ${styles.revealed}`} data-testid="subscription-secret-revealed">
          <strong>Copy the signing secret for “{revealed.name}” now: it will not be shown again.</strong>
          <span className="muted">The portal verifies each delivery with it (HMAC-SHA256 over id.timestamp.body).</span>
          <div className={styles.secretValue}>
            <code data-testid="subscription-secret">{revealed.secret}</code>
            <button type="button" className="btn btn-sm" onClick={copy} data-testid="subscription-secret-copy">
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <div className="row">
            <button type="button" className="btn btn-sm btn-ghost" data-testid="subscription-secret-dismiss" onClick={() => setRevealed(null)}>
              I have stored it
            </button>
          </div>
        </section>
      )}

      {creating && (
        <NewSubscriptionForm
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setCopied(false);
            setRevealed(created);
            void refresh();
          }}
        />
      )}

      {subscriptions.isError && <div className="banner banner-error">Could not load subscriptions: {errorMessage(subscriptions.error)}</div>}
      {(setActive.isError || remove.isError) && (
        <div className="banner banner-error" data-testid="subscription-action-error">
          Could not change the subscription: {errorMessage(setActive.error ?? remove.error)}
        </div>
      )}

      <section className="card">
        <table className="table" data-testid="subscriptions-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Endpoint</th>
              <th>Events</th>
              <th>Workflows</th>
              <th>State</th>
              <th>Created</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {subscriptions.data?.map((s) => (
              <tr key={s.id} data-testid="subscription-row" data-subscription-name={s.name} className={s.active ? undefined : styles.inactive}>
                <td>{s.name}</td>
                <td className={`mono ${styles.url}`} title={s.url}>
                  {s.url}
                </td>
                <td>
                  <Chips items={s.statuses.map((x) => statusLabel.get(x) ?? x)} all="all changes" />
                </td>
                <td>
                  <Chips items={s.workflowIds.map((id) => workflowName.get(id) ?? id.slice(0, 8))} all="all workflows" />
                </td>
                <td>
                  <span className={s.active ? 'pill pill-succeeded' : 'pill pill-cancelled'} data-testid="subscription-state">
                    {s.active ? 'active' : 'paused'}
                  </span>
                </td>
                <td title={formatDateTime(s.createdAt)}>{formatRelative(s.createdAt)}</td>
                <td className={styles.actions}>
                  <button
                    type="button"
                    className="btn btn-sm"
                    data-testid="subscription-toggle"
                    disabled={setActive.isPending}
                    onClick={() => setActive.mutate({ id: s.id, active: !s.active })}
                  >
                    {s.active ? 'Pause' : 'Resume'}
                  </button>{' '}
                  {confirming === s.id ? (
                    <>
                      <button type="button" className="btn btn-sm btn-danger" data-testid="subscription-delete-confirm" disabled={remove.isPending} onClick={() => remove.mutate({ id: s.id })}>
                        {remove.isPending ? 'Deleting…' : 'Delete with its log'}
                      </button>{' '}
                      <button type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <button type="button" className="btn btn-sm" data-testid="subscription-delete" onClick={() => setConfirming(s.id)}>
                      Delete…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {subscriptions.isSuccess && subscriptions.data.length === 0 && (
          <div className="empty" data-testid="subscriptions-empty">
            No subscriptions yet. Add the endpoint of each portal that should hear about this tenant’s runs.
          </div>
        )}
      </section>

      <DeliveryLog subscriptions={subscriptions.data ?? []} />
    </div>
  );
}

function Chips({ items, all }: { items: string[]; all: string }) {
  if (items.length === 0) return <span className="faint">{all}</span>;
  return (
    <div className={styles.chips}>
      {items.map((item) => (
        <span key={item} className={`${styles.chip} mono`}>
          {item}
        </span>
      ))}
    </div>
  );
}
