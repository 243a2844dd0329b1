'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { MappingsStep } from './mappings-step';
import { SystemsStep } from './systems-step';
import type { AppliedEdit, DraftView, Issue, SaveResult } from './types';
import { StepIssues, type StepProps } from './wizard';
import { WorkflowsStep } from './workflows-step';
import styles from './onboarding.module.css';

export type EditPart = 'systems' | 'mappings' | 'workflows';
const PARTS: Array<{ id: EditPart; label: string }> = [
  { id: 'systems', label: 'Connections' },
  { id: 'mappings', label: 'Lookup tables' },
  { id: 'workflows', label: 'Workflows' },
];

/**
 * Edits a live tenant with the wizard's own step forms over an edit draft (the server's copy of the
 * tenant's configuration): the step's save judges the change exactly as during onboarding, and
 * only when it passes is the whole draft written to the tenant in one transaction. A check that
 * fails at another step (a workflow needing a lookup code) opens that step with its issues.
 */
export function TenantEditor({ slug, draftId, part: initialPart, onClose }: { slug: string; draftId: string; part: EditPart; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const draftQuery = useQuery(trpc.onboarding.get.queryOptions({ id: draftId }, { staleTime: Infinity }));
  const catalog = useQuery(trpc.onboarding.catalog.queryOptions(undefined, { staleTime: 300_000 }));
  const [part, setPart] = useState<EditPart>(initialPart);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [draft, setDraft] = useState<DraftView | null>(null);
  const apply = useMutation(
    trpc.onboarding.applyEdit.mutationOptions({
      onSuccess: (r) => {
        if (!r.ok) return showIssues(r.step, r.issues);
        void queryClient.invalidateQueries({ queryKey: trpc.onboarding.overview.queryKey({ slug }) });
      },
    }),
  );
  const discard = useMutation(trpc.onboarding.discardEdit.mutationOptions({ onSettled: onClose }));

  function showIssues(step: string, next: Issue[]) {
    setIssues(next);
    if (PARTS.some((p) => p.id === step)) setPart(step as EditPart);
  }
  const onSaved = (result: SaveResult) => {
    setDraft(result.draft);
    if (!result.ok) return showIssues(result.step, result.issues);
    setIssues([]);
    apply.mutate({ id: draftId });
  };

  if (apply.data?.ok) return <AppliedSummary result={apply.data} slug={slug} onClose={onClose} />;
  let body: ReactNode;
  if (draftQuery.error) body = <div className="banner banner-error">{errorMessage(draftQuery.error)}</div>;
  else if (catalog.error) body = <div className="banner banner-error">{errorMessage(catalog.error)}</div>;
  else if (!draftQuery.data || !catalog.data) body = <div className="empty">Loading the tenant’s configuration…</div>;
  else {
    const props: StepProps = {
      draft: draft ?? draftQuery.data,
      catalog: catalog.data,
      issues,
      onSaved,
      onBack: () => discard.mutate({ id: draftId }),
      submitLabel: apply.isPending ? 'Saving to the tenant…' : 'Save changes',
      backLabel: 'Cancel',
    };
    body = part === 'systems' ? <SystemsStep key={part} {...props} /> : part === 'mappings' ? <MappingsStep key={part} {...props} /> : <WorkflowsStep key={part} {...props} />;
  }
  // Issues of steps this editor has no form for (should not happen for a live tenant) are still shown.
  const elsewhere = issues.filter((i) => !/^(connections|systems|lookups|preview|workflows)\b/.test(i.field));
  return (
    <div className="card" style={{ padding: 16, marginTop: 16 }} data-testid="tenant-editor">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 className={styles.sectionTitle}>Edit the tenant’s configuration</h2>
        <div className="row" style={{ gap: 6 }} role="tablist" aria-label="Part to edit">
          {PARTS.map((p) => (
            <button key={p.id} type="button" role="tab" aria-selected={p.id === part} className={`btn btn-sm${p.id === part ? ' btn-primary' : ''}`} data-testid={`edit-part-${p.id}`} onClick={() => showIssues(p.id, [])}>
              {p.label}
            </button>
          ))}
        </div>
      </div>
      <p className="muted" style={{ marginTop: 4 }}>
        The wizard’s forms and checks. Saving writes all parts to the tenant at once; workflows whose lookups, connections or variables changed are published as a new version.
      </p>
      <StepIssues issues={elsewhere} />
      {apply.error && <div className="banner banner-error">{errorMessage(apply.error)}</div>}
      {discard.error && <div className="banner banner-error">{errorMessage(discard.error)}</div>}
      {body}
    </div>
  );
}

function AppliedSummary({ result, slug, onClose }: { result: AppliedEdit; slug: string; onClose: () => void }) {
  const c = result.connections;
  return (
    <div className="card stack" style={{ padding: 16, marginTop: 16 }} data-testid="edit-applied">
      <div className="banner banner-info">
        <strong>Saved to {slug}.</strong> Connections: {c.updated} updated, {c.created} added, {c.removed} removed. Lookup tables: {result.mappingVersion === null ? 'unchanged' : `version ${result.mappingVersion}`}.
      </div>
      <table className="table" data-testid="edit-applied-deployments">
        <thead>
          <tr>
            <th>Workflow</th>
            <th>Active version</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {result.deployments.map((d) => (
            <tr key={d.workflowId}>
              <td>{d.name}</td>
              <td>v{d.version}</td>
              <td>{{ created: 'activated (new)', published: 'new version published', reactivated: 'activated again', unchanged: 'unchanged' }[d.change]}</td>
            </tr>
          ))}
          {result.deactivated.map((d) => (
            <tr key={d.workflowId}>
              <td>{d.name}</td>
              <td>—</td>
              <td>deactivated (history kept)</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.webhookEndpoints.length > 0 && (
        <div>
          <div className="banner banner-warning">New webhook endpoints: copy their signing secrets now, they are shown only once.</div>
          {result.webhookEndpoints.map((e) => (
            <div key={e.workflowId} className={styles.secret} style={{ marginTop: 6 }}>
              <code>POST /api/hooks/{slug}/{e.path}</code>
              <code data-testid="edit-signing-secret">{e.secret}</code>
            </div>
          ))}
        </div>
      )}
      <div>
        <button type="button" className="btn btn-primary btn-sm" data-testid="edit-done" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
