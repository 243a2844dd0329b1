'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { PolicyTable } from './policy-table';
import { StepFooter, StepIssues, type StepProps } from './wizard';

export function PoliciesStep({ draft, issues, onSaved, onBack }: StepProps) {
  const trpc = useTRPC();
  // Platform defaults: the rows without the draft's overrides, so "default" is always the platform's.
  const rows = useQuery(trpc.onboarding.policies.queryOptions({ id: draft.id, overrides: {} }, { staleTime: 300_000 }));
  const [overrides, setOverrides] = useState<Record<string, number>>(draft.data.policies?.overrides ?? {});
  const save = useMutation(trpc.onboarding.savePolicies.mutationOptions({ onSuccess: onSaved }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: draft.id, policies: { overrides } });
      }}
    >
      <p className="muted">Rate limits, concurrency, retries, timeouts, retention and SLA targets. The platform defaults suit most tenants; override only what the contract says.</p>
      <StepIssues issues={issues} shownAt={(f) => f.startsWith('policies.')} />
      {rows.error && <div className="banner banner-error">{errorMessage(rows.error)}</div>}
      {rows.data ? <PolicyTable rows={rows.data} overrides={overrides} issues={issues} onChange={setOverrides} /> : <div className="empty">Loading…</div>}
      {save.error && <div className="banner banner-error">{errorMessage(save.error)}</div>}
      <StepFooter onBack={onBack} busy={save.isPending}>
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="wizard-next">
          Save and continue →
        </button>
      </StepFooter>
    </form>
  );
}
