'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { MappingsStep } from './mappings-step';
import { PoliciesStep } from './policies-step';
import { ProfileStep } from './profile-step';
import { ReviewStep } from './review-step';
import { SystemsStep } from './systems-step';
import { STEPS, type Catalog, type DraftView, type Issue, type SaveResult, type StepId } from './types';
import { WorkflowsStep } from './workflows-step';
import styles from './onboarding.module.css';

export interface StepProps {
  draft: DraftView;
  catalog: Catalog;
  /** Issues the server reported for this step (also when another step's save sent the admin here). */
  issues: Issue[];
  /** Hand a save's answer to the wizard: it moves on when the step passed, or to the step that must be fixed. */
  onSaved: (result: SaveResult) => void;
  onBack: () => void;
  /** The primary button's words (the tenant overview's editor says "Save changes"). */
  submitLabel?: string;
  /** The back button's words ("Cancel" in the overview's editor). */
  backLabel?: string;
}

/** The six steps over one server-side draft: progress, back/next, and the issues of the step at hand. */
export function Wizard({ id }: { id: string }) {
  const trpc = useTRPC();
  const draftQuery = useQuery(trpc.onboarding.get.queryOptions({ id }));
  const catalogQuery = useQuery(trpc.onboarding.catalog.queryOptions(undefined, { staleTime: 300_000 }));
  const [current, setCurrent] = useState<number | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [draft, setDraft] = useState<DraftView | null>(null);

  if (draftQuery.error) return <Page>{<div className="banner banner-error">{errorMessage(draftQuery.error)}</div>}</Page>;
  if (catalogQuery.error) return <Page>{<div className="banner banner-error">{errorMessage(catalogQuery.error)}</div>}</Page>;
  if (!draftQuery.data || !catalogQuery.data) return <div className="empty">Loading…</div>;
  const view = draft ?? draftQuery.data;
  // A live draft opens on its review (the result); otherwise where the admin left off.
  const stepIndex = current ?? (view.tenantSlug ? 5 : Math.min(view.step, 5));
  const step = STEPS[stepIndex]!;

  const go = (index: number, next: Issue[] = []) => {
    setIssues(next);
    setCurrent(index);
    window.scrollTo({ top: 0 });
  };
  const onSaved = (result: SaveResult) => {
    setDraft({ ...result.draft, tenantSlug: view.tenantSlug });
    if (result.ok) go(stepIndex + 1);
    else go(STEPS.findIndex((s) => s.id === result.step), result.issues);
  };
  const props: StepProps = { draft: view, catalog: catalogQuery.data, issues, onSaved, onBack: () => go(Math.max(0, stepIndex - 1)) };
  const body: Record<StepId, ReactNode> = {
    profile: <ProfileStep {...props} />,
    systems: <SystemsStep {...props} />,
    mappings: <MappingsStep {...props} />,
    policies: <PoliciesStep {...props} />,
    workflows: <WorkflowsStep {...props} />,
    review: <ReviewStep {...props} />,
  };

  return (
    <Page name={view.data.profile?.name}>
      <ol className={styles.progress} aria-label="Onboarding steps">
        {STEPS.map((s, i) => {
          const state = i === stepIndex ? 'current' : i < Math.max(view.step, stepIndex) || view.tenantSlug ? 'done' : 'todo';
          return (
            <li key={s.id}>
              <button
                type="button"
                className={styles.stepTab}
                data-state={state}
                data-testid={`step-tab-${s.id}`}
                aria-current={state === 'current' ? 'step' : undefined}
                disabled={state === 'todo' || Boolean(view.tenantSlug)}
                onClick={() => go(i)}
              >
                <span className={styles.stepNumber}>Step {i + 1}</span>
                {s.label}
              </button>
            </li>
          );
        })}
      </ol>
      <section className={styles.body} aria-labelledby="step-title" data-testid={`step-${step.id}`}>
        <h2 id="step-title" style={{ marginTop: 0 }}>
          {step.label}
        </h2>
        {body[step.id]}
      </section>
    </Page>
  );
}

function Page({ children, name }: { children: ReactNode; name?: string | undefined }) {
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 style={{ margin: 0 }}>Onboard a tenant{name ? `: ${name}` : ''}</h1>
          <p className="muted" style={{ margin: '4px 0 0' }}>
            Saved as you go: leave at any time and resume from <Link href="/onboarding">Onboarding</Link>. Nothing is created until you go live.
          </p>
        </div>
      </div>
      {children}
    </div>
  );
}

/** Back and the step's own primary action. */
export function StepFooter({ onBack, children, busy, first, backLabel }: { onBack?: () => void; children: ReactNode; busy?: boolean; first?: boolean; backLabel?: string | undefined }) {
  return (
    <div className={styles.footer}>
      <div>
        {!first && (
          <button type="button" className="btn" onClick={onBack} disabled={busy} data-testid="wizard-back">
            {backLabel ?? '← Back'}
          </button>
        )}
      </div>
      <div className={styles.footerRight}>{children}</div>
    </div>
  );
}

/** Issues that are not beside a field of the form: shown at the top of the step. */
export function StepIssues({ issues, shownAt }: { issues: Issue[]; shownAt?: (field: string) => boolean }) {
  const rest = issues.filter((i) => !shownAt?.(i.field));
  if (rest.length === 0) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="step-issues">
      <strong>Please fix before continuing:</strong>
      <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
        {rest.map((i) => (
          <li key={`${i.field}|${i.message}`}>{i.message}</li>
        ))}
      </ul>
    </div>
  );
}
