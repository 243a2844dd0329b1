'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import type { GoLiveResult } from './types';
import { StepFooter, StepIssues, type StepProps } from './wizard';
import styles from './onboarding.module.css';

export function ReviewStep({ draft, catalog, issues, onSaved, onBack }: StepProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const review = useQuery(trpc.onboarding.review.queryOptions({ id: draft.id }));
  const [result, setResult] = useState<Extract<GoLiveResult, { ok: true }> | null>(null);
  const goLive = useMutation(
    trpc.onboarding.goLive.mutationOptions({
      onSuccess: (r) => {
        if (!r.ok) return onSaved({ ok: false, step: r.step, issues: r.issues, draft });
        setResult(r);
        void queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() });
      },
    }),
  );
  if (result) return <Activated result={result} />;
  if (draft.tenantSlug)
    return (
      <div className="banner banner-info" data-testid="already-live">
        This tenant is live. <Link href={`/tenants/${draft.tenantSlug}`}>Open its overview</Link>.
      </div>
    );

  const d = draft.data;
  const erp = catalog.erps.find((e) => e.id === d.systems?.erp);
  const check = review.data?.check;
  const lookups = Object.values(d.mappings?.lookups ?? {}).reduce((n, t) => n + Object.keys(t ?? {}).length, 0);
  const templates = (d.workflows?.selected ?? []).map((s) => catalog.templates.find((t) => t.id === s.templateId)?.name ?? s.templateId);
  return (
    <div>
      <p className="muted">Check the summary. Going live creates everything at once; if anything fails, nothing is created.</p>
      <StepIssues issues={issues} />
      {check && !check.ok && (
        <div className="banner banner-warning">
          The {check.step} step needs attention: {check.issues.map((i) => i.message).join('; ')}
        </div>
      )}
      <div className="card" style={{ padding: 16 }} data-testid="review-summary">
        <dl className={styles.summary}>
          <dt>Tenant</dt>
          <dd>
            {d.profile?.name} <span className="mono faint">({d.profile?.slug})</span>
          </dd>
          <dt>Region · time zone · currency</dt>
          <dd>
            {catalog.regions.find((r) => r.id === d.profile?.region)?.label} · {d.profile?.timeZone} · {d.profile?.baseCurrency}
          </dd>
          <dt>ERP</dt>
          <dd>{erp?.displayName}</dd>
          <dt>Connections</dt>
          <dd>{(d.systems?.connections ?? []).map((c) => `${c.name} (${c.system}, ${c.baseUrl})`).join('; ')}</dd>
          <dt>Lookup entries</dt>
          <dd>{lookups} codes mapped</dd>
          <dt>Policy overrides</dt>
          <dd>
            {Object.entries(d.policies?.overrides ?? {})
              .map(([k, v]) => `${k} = ${v}`)
              .join(', ') || 'none (platform defaults)'}
          </dd>
          <dt>Workflows</dt>
          <dd>{templates.join(', ')}</dd>
        </dl>
      </div>
      {goLive.error && <div className="banner banner-error">{errorMessage(goLive.error)}</div>}
      <StepFooter onBack={onBack} busy={goLive.isPending}>
        <button type="button" className="btn btn-primary" disabled={goLive.isPending || (check !== undefined && !check.ok)} data-testid="go-live" onClick={() => goLive.mutate({ id: draft.id })}>
          {goLive.isPending ? 'Going live and sending a test event…' : 'Go live'}
        </button>
      </StepFooter>
    </div>
  );
}

function Activated({ result }: { result: Extract<GoLiveResult, { ok: true }> }) {
  const { activated, testEvent } = result;
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (key: string, text: string) => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(key);
  };
  return (
    <div className="stack" data-testid="go-live-result">
      <div className="banner banner-info">
        <strong>{activated.slug} is live.</strong> Created {activated.connections.length} connection(s) and {activated.deployments.length} workflow(s), published as version 1.
      </div>
      <div className="card" style={{ padding: 16 }}>
        <h3 className={styles.sectionTitle}>Webhook endpoints and signing secrets</h3>
        <div className="banner banner-warning">Copy the secrets now: they are shown only once. Senders sign with them (Standard Webhooks).</div>
        {activated.webhookEndpoints.map((e) => (
          <div key={e.workflowId} style={{ marginTop: 10 }} data-testid={`endpoint-${e.path}`}>
            <div className="label">{e.workflow}</div>
            <div className={styles.secret}>
              <code>POST {origin + e.url}</code>
              <button type="button" className="btn btn-sm" onClick={() => void copy(`${e.path}-url`, origin + e.url)}>
                {copied === `${e.path}-url` ? 'Copied' : 'Copy URL'}
              </button>
            </div>
            <div className={styles.secret} style={{ marginTop: 4 }}>
              <code data-testid="signing-secret">{e.secret}</code>
              <button type="button" className="btn btn-sm" data-testid="copy-secret" onClick={() => void copy(e.path, e.secret)}>
                {copied === e.path ? 'Copied' : 'Copy secret'}
              </button>
            </div>
          </div>
        ))}
      </div>
      <div className="card" style={{ padding: 16 }} data-testid="test-event">
        <h3 className={styles.sectionTitle}>Test event</h3>
        {testEvent ? (
          <>
            <p>
              Sent the sample invoice through <strong>{testEvent.workflow}</strong> (<span className="mono">{testEvent.path}</span>):{' '}
              <span className={testEvent.ok ? styles.ok : styles.bad} data-testid="test-event-status">
                {testEvent.ok ? `succeeded (HTTP ${testEvent.status}${testEvent.runStatus ? `, run ${testEvent.runStatus}` : ''})` : `failed (HTTP ${testEvent.status}${testEvent.runStatus ? `, run ${testEvent.runStatus}` : ''})`}
              </span>
            </p>
            <pre className={styles.pre}>{JSON.stringify(testEvent.body, null, 2)}</pre>
            {testEvent.runId && (
              <p>
                <Link href={`/runs/${testEvent.runId}`} data-testid="test-event-run">
                  Open the run
                </Link>{' '}
                <span className="faint">(switch the tenant picker to {activated.slug})</span>
              </p>
            )}
          </>
        ) : (
          <p className="muted">No workflow with a webhook was chosen, so no test event was sent.</p>
        )}
      </div>
      <div>
        <Link className="btn btn-primary" href={`/tenants/${activated.slug}`} data-testid="open-overview">
          Open the tenant overview →
        </Link>
      </div>
    </div>
  );
}
