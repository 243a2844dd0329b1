'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { TenantRole } from '@switchyard/api';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { ROLE_LABELS, ROLE_OPTIONS } from '@/lib/roles';
import { useCan, useViewer } from '@/lib/session';
import { useTenant } from '@/lib/tenant';
import { useTRPC } from '@/lib/trpc';
import styles from './users.module.css';

/** The tenant's members and their roles; tenant admins invite people and change roles (all audited). */
export function UsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { tenant } = useTenant();
  const viewer = useViewer();
  const isAdmin = useCan('tenant_admin');
  const members = useQuery({ ...trpc.users.members.queryOptions(), enabled: isAdmin });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.members.queryKey() });
  const [handover, setHandover] = useState<{ email: string; password: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const invite = useMutation(
    trpc.users.invite.mutationOptions({
      onSuccess: (result) => {
        setError(null);
        setHandover(result.password ? { email: result.member.email, password: result.password } : null);
        void refresh();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: () => void refresh(), onError: (e) => setError(errorMessage(e)) }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSuccess: () => void refresh(), onError: (e) => setError(errorMessage(e)) }));
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({ onSuccess: (r) => setHandover(r), onError: (e) => setError(errorMessage(e)) }),
  );

  if (!isAdmin) return <div className="page"><div className="banner banner-info">Only a tenant admin manages this tenant&apos;s users.</div></div>;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    invite.mutate({ email: String(form.get('email') ?? ''), name: String(form.get('name') ?? ''), role: String(form.get('role')) as TenantRole });
    event.currentTarget.reset();
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <div className="muted">Who can open {tenant?.name}, and what they may do there</div>
        </div>
      </div>

      <form className={`card ${styles.inviteForm}`} onSubmit={submit} aria-label="Add a user">
        <label className={styles.field}>
          <span>Email</span>
          <input className="input" name="email" type="email" required data-testid="invite-email" />
        </label>
        <label className={styles.field}>
          <span>Name</span>
          <input className="input" name="name" required data-testid="invite-name" />
        </label>
        <label className={styles.field}>
          <span>Role</span>
          <select className="select" name="role" defaultValue="viewer" data-testid="invite-role">
            {ROLE_OPTIONS.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <button className="btn btn-primary" type="submit" disabled={invite.isPending} data-testid="invite-submit">
          Add user
        </button>
      </form>

      {handover && (
        <div className="banner banner-warning" role="status" data-testid="new-password">
          Give {handover.email} this password (shown once): <code className={styles.password}>{handover.password}</code>
        </div>
      )}
      {error && <div className="banner banner-error" role="alert">{error}</div>}
      {members.isError && <div className="banner banner-error">Could not load users: {errorMessage(members.error)}</div>}

      <div className="card">
        <table className="table" data-testid="members-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Member since</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {members.data?.map((m) => {
              const self = m.email === viewer?.email;
              return (
                <tr key={m.userId} data-testid="member-row" data-email={m.email}>
                  <td>
                    {m.name}
                    {m.platformAdmin && <span className="muted"> · platform admin</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    <select
                      className="select"
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={self || setRole.isPending}
                      onChange={(e) => setRole.mutate({ userId: m.userId, role: e.target.value as TenantRole })}
                    >
                      {ROLE_OPTIONS.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{formatDateTime(m.since)}</td>
                  <td className="row">
                    {viewer?.platformAdmin && (
                      <button type="button" className="btn btn-sm" onClick={() => reset.mutate({ userId: m.userId })}>
                        Reset password
                      </button>
                    )}
                    {!self && (
                      <button type="button" className="btn btn-sm btn-danger" onClick={() => remove.mutate({ userId: m.userId })}>
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
            {members.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No members yet: platform admins see every tenant without one.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
