'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { STEPS } from './types';

/** Onboardings in progress (resume or discard) and the button that starts a new one. */
export function OnboardingHome() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const drafts = useQuery(trpc.onboarding.list.queryOptions());
  const start = useMutation(trpc.onboarding.start.mutationOptions({ onSuccess: ({ id }) => router.push(`/onboarding/${id}`) }));
  const tenants = useQuery(trpc.tenants.list.queryOptions(undefined, { staleTime: 60_000 }));
  const [templateSlug, setTemplateSlug] = useState('');
  const copy = useMutation(trpc.onboarding.startFromTenant.mutationOptions({ onSuccess: ({ id }) => router.push(`/onboarding/${id}`) }));
  const discard = useMutation(trpc.onboarding.discard.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.onboarding.list.queryKey() }) }));
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 style={{ margin: 0 }}>Onboarding</h1>
          <p className="muted" style={{ margin: '4px 0 0' }}>
            Take a new tenant live: profile, systems, mappings, policies and workflows in one wizard.
          </p>
        </div>
        <div className="row" style={{ gap: 8 }}>
          <select className="select" aria-label="Copy the configuration of" data-testid="template-tenant" value={templateSlug} onChange={(e) => setTemplateSlug(e.target.value)}>
            <option value="">Start from another tenant…</option>
            {(tenants.data ?? []).map((t) => (
              <option key={t.id} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
          <button type="button" className="btn" data-testid="start-from-tenant" disabled={templateSlug === '' || copy.isPending} onClick={() => copy.mutate({ slug: templateSlug })}>
            Copy (without credentials)
          </button>
          <Link className="btn" href="/onboarding/import" data-testid="import-tenants-link">
            Import from a file…
          </Link>
          <button type="button" className="btn btn-primary" data-testid="start-onboarding" disabled={start.isPending} onClick={() => start.mutate()}>
            + Onboard a tenant
          </button>
        </div>
      </div>
      {copy.error && <div className="banner banner-error">{errorMessage(copy.error)}</div>}
      {start.error && <div className="banner banner-error">{errorMessage(start.error)}</div>}
      {discard.error && <div className="banner banner-error">{errorMessage(discard.error)}</div>}
      <h2 style={{ fontSize: 16 }}>In progress</h2>
      {drafts.data && drafts.data.length === 0 && <div className="empty">No onboarding in progress.</div>}
      {drafts.data && drafts.data.length > 0 && (
        <table className="table" data-testid="drafts">
          <thead>
            <tr>
              <th>Tenant</th>
              <th>Next step</th>
              <th>Last saved</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {drafts.data.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={`/onboarding/${d.id}`}>{d.name || 'Unnamed tenant'}</Link> <span className="mono faint">{d.slug}</span>
                </td>
                <td>{STEPS[Math.min(d.step, 5)]?.label}</td>
                <td>{formatDateTime(d.updatedAt)}</td>
                <td style={{ textAlign: 'right' }}>
                  <Link className="btn btn-sm" href={`/onboarding/${d.id}`}>
                    Resume
                  </Link>{' '}
                  <button
                    type="button"
                    className="btn btn-sm btn-danger"
                    onClick={() => {
                      if (window.confirm(`Discard the onboarding of ${d.name || 'this tenant'}? Nothing was created yet, so nothing else is removed.`)) discard.mutate({ id: d.id });
                    }}
                  >
                    Discard
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
