'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { NewApiKeyForm } from './new-api-key-form';
import styles from './api-keys.module.css';

type KeyState = 'active' | 'revoked' | 'expired';

function stateOf(key: { revokedAt: Date | null; expiresAt: Date | null }, now: number): KeyState {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

const STATE_PILL: Record<KeyState, string> = { active: 'pill pill-succeeded', revoked: 'pill pill-cancelled', expired: 'pill pill-failed' };

/** The tenant's API keys for machine clients: create (the key is shown once), list, revoke. */
export function ApiKeysPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<{ name: string; key: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.apiKeys.list.queryFilter());
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: () => (setConfirming(null), refresh()) }));
  const now = Date.now();

  const copy = async () => {
    if (!revealed) return;
    try {
      await navigator.clipboard.writeText(revealed.key);
      setCopied(true);
    } catch {
      // Clipboard refused (insecure origin): the key is selectable text.
    }
  };

  return (
    <div className="page">
      <div className="page-header">
        <h1>API keys</h1>
        {!creating && (
          <button type="button" className="btn btn-primary" data-testid="new-api-key" onClick={() => (setCreating(true), setRevealed(null))}>
            New API key
          </button>
        )}
      </div>
      <p className="muted">
        Keys let machine clients start runs, deliver events and read run status for this tenant. Only a hash is stored: a key is shown once, when it is created.
      </p>

      {revealed && (
        <section className={`card ${styles.revealed}`} data-testid="api-key-revealed">
          <strong>Copy the key for “{revealed.name}” now: it will not be shown again.</strong>
          <div className={styles.keyValue}>
            <code data-testid="api-key-value">{revealed.key}</code>
            <button type="button" className="btn btn-sm" onClick={copy} data-testid="api-key-copy">
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <div className="row">
            <button type="button" className="btn btn-sm btn-ghost" data-testid="api-key-dismiss" onClick={() => setRevealed(null)}>
              I have stored it
            </button>
          </div>
        </section>
      )}

      {creating && (
        <NewApiKeyForm
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setCopied(false);
            setRevealed(created);
            void refresh();
          }}
        />
      )}

      {keys.isError && <div className="banner banner-error">Could not load API keys: {errorMessage(keys.error)}</div>}
      {revoke.isError && <div className="banner banner-error" data-testid="api-key-revoke-error">Could not revoke the key: {errorMessage(revoke.error)}</div>}

      <section className="card">
        <table className="table" data-testid="api-keys-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Scopes</th>
              <th>State</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Last used</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {keys.data?.map((k) => {
              const state = stateOf(k, now);
              return (
                <tr key={k.id} data-testid="api-key-row" data-key-name={k.name} className={state === 'active' ? undefined : styles.revoked}>
                  <td>{k.name}</td>
                  <td className="mono" title="The key's public prefix; the rest is never stored">
                    sy_{k.prefix}_…
                  </td>
                  <td>
                    <div className={styles.chips}>
                      {k.scopes.map((s) => (
                        <span key={s} className={`${styles.chip} mono`}>
                          {s}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>
                    <span className={STATE_PILL[state]} data-testid="api-key-state">
                      {state}
                    </span>
                  </td>
                  <td title={formatDateTime(k.createdAt)}>{formatRelative(k.createdAt)}</td>
                  <td>{k.expiresAt ? formatDateTime(k.expiresAt) : <span className="faint">never</span>}</td>
                  <td data-testid="api-key-last-used">{k.lastUsedAt ? <span title={formatDateTime(k.lastUsedAt)}>{formatRelative(k.lastUsedAt)}</span> : <span className="faint">never</span>}</td>
                  <td className={styles.actions}>
                    {state !== 'revoked' &&
                      (confirming === k.id ? (
                        <>
                          <button type="button" className="btn btn-sm btn-danger" data-testid="api-key-revoke-confirm" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: k.id })}>
                            {revoke.isPending ? 'Revoking…' : 'Revoke now'}
                          </button>{' '}
                          <button type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(null)}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <button type="button" className="btn btn-sm" data-testid="api-key-revoke" onClick={() => setConfirming(k.id)}>
                          Revoke…
                        </button>
                      ))}
                    {state === 'revoked' && k.revokedAt && <span className="faint">revoked {formatRelative(k.revokedAt)}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {keys.isSuccess && keys.data.length === 0 && (
          <div className="empty" data-testid="api-keys-empty">
            No API keys yet. Create one for each machine client, with only the scopes it needs.
          </div>
        )}
      </section>
    </div>
  );
}
