'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { StatusPill } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useTenant } from '@/lib/tenant';
import { useTRPC } from '@/lib/trpc';
import { PolicyTable } from './policy-table';
import { TenantEditor, type EditPart } from './tenant-editor';
import type { Issue, Overview } from './types';
import { issuesAt } from './types';
import styles from './onboarding.module.css';

/** A live tenant at a glance; its profile, policies, connections, lookup tables and workflows are edited with the wizard's forms. */
export function TenantOverview({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.onboarding.overview.queryOptions({ slug }));
  const tenant = useTenant();
  const [editing, setEditing] = useState<{ id: string; part: EditPart } | null>(null);
  const startEdit = useMutation(trpc.onboarding.startEdit.mutationOptions());
  const edit = (part: EditPart) => startEdit.mutate({ slug }, { onSuccess: ({ id }) => setEditing({ id, part }) });
  const editButton = (part: EditPart, label: string) => (
    <button type="button" className="btn btn-sm" data-testid={`edit-${part}`} disabled={startEdit.isPending || editing !== null} onClick={() => edit(part)}>
      {label}
    </button>
  );
  // Runs and workflows links are tenant-scoped: make this tenant the selected one.
  useEffect(() => {
    if (tenant.tenants.some((t) => t.slug === slug) && tenant.slug !== slug) tenant.select(slug);
  }, [slug, tenant]);

  if (overview.error) return <div className="page"><div className="banner banner-error">{errorMessage(overview.error)}</div></div>;
  if (!overview.data) return <div className="empty">Loading… (each connection is being called)</div>;
  const o = overview.data;
  return (
    <div className="page" data-testid="tenant-overview">
      <div className="page-header">
        <div>
          <h1 style={{ margin: 0 }}>{o.tenant.name}</h1>
          <p className="muted mono" style={{ margin: '4px 0 0' }}>
            {o.tenant.slug} · live since {formatDateTime(o.tenant.createdAt)}
          </p>
        </div>
        <span className={o.health.status === 'healthy' ? 'pill pill-succeeded' : 'pill pill-failed'} data-testid="tenant-health">
          {o.health.status}
        </span>
      </div>
      <div className={styles.overviewGrid}>
        <ProfileCard o={o} />
        <div className="card" style={{ padding: 16 }}>
          <h2 className={styles.sectionTitle}>Health (last 24 h)</h2>
          <dl className={styles.summary}>
            <dt>Runs</dt>
            <dd>{o.health.runsLast24h}</dd>
            <dt>Succeeded</dt>
            <dd>{o.health.succeededLast24h}</dd>
            <dt>Failed</dt>
            <dd>{o.health.failedLast24h}</dd>
            <dt>Connections down</dt>
            <dd>{o.health.connectionsDown}</dd>
          </dl>
        </div>
      </div>
      {startEdit.error && <div className="banner banner-error">{errorMessage(startEdit.error)}</div>}
      {editing && <TenantEditor key={editing.id} slug={slug} draftId={editing.id} part={editing.part} onClose={() => setEditing(null)} />}
      <div className="card" style={{ padding: 16, marginTop: 16 }}>
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h2 className={styles.sectionTitle}>Connections</h2>
          {editButton('systems', 'Edit connections')}
        </div>
        <table className="table" data-testid="overview-connections">
          <thead>
            <tr>
              <th>Name</th>
              <th>System</th>
              <th>Base URL</th>
              <th>Credentials</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {o.connections.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.system}</td>
                <td className="mono">{c.baseUrl}</td>
                <td className="faint">{c.credentialFields.join(', ')} (encrypted)</td>
                <td>
                  <span className={c.status.ok ? styles.ok : styles.bad}>{c.status.ok ? '✓ connected' : '✗ failing'}</span>
                  <div className="faint" style={{ fontSize: 12 }}>
                    {c.status.message}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card" style={{ padding: 16, marginTop: 16 }}>
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h2 className={styles.sectionTitle}>Deployments and webhook endpoints</h2>
          <div className="row" style={{ gap: 8 }}>
            {editButton('mappings', 'Edit lookup tables')}
            {editButton('workflows', 'Activate or change workflows')}
          </div>
        </div>
        <table className="table" data-testid="overview-deployments">
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Active version</th>
              <th>Versions</th>
              <th>Webhook endpoint</th>
              <th>Signing</th>
            </tr>
          </thead>
          <tbody>
            {o.deployments.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={`/workflows/${d.id}`}>{d.name}</Link>
                </td>
                <td>{d.activeVersion ? `v${d.activeVersion}` : d.versions.length > 0 ? 'inactive' : 'not published'}</td>
                <td>{d.versions.map((v) => `v${v.version}`).join(', ')}</td>
                <td className="mono">{d.webhookPath ? `/api/hooks/${o.tenant.slug}/${d.webhookPath}` : '—'}</td>
                <td>{d.signingSecrets > 0 ? `required (${d.signingSecrets} secret${d.signingSecrets === 1 ? '' : 's'})` : 'off'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card" style={{ padding: 16, marginTop: 16 }}>
        <h2 className={styles.sectionTitle}>Recent runs</h2>
        {o.recentRuns.length === 0 ? (
          <p className="muted">No runs yet.</p>
        ) : (
          <table className="table" data-testid="overview-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Workflow</th>
                <th>Status</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {o.recentRuns.map((r) => (
                <tr key={r.id}>
                  <td className="mono">
                    <Link href={`/runs/${r.id}`}>{r.id.slice(0, 8)}</Link>
                  </td>
                  <td>{r.workflow}</td>
                  <td>
                    <StatusPill status={r.status} />
                  </td>
                  <td>{formatDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <PoliciesCard o={o} />
    </div>
  );
}

function ProfileCard({ o }: { o: Overview }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.onboarding.overview.queryOptions({ slug: o.tenant.slug }));
  const catalog = useQuery(trpc.onboarding.catalog.queryOptions(undefined, { staleTime: 300_000 }));
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ name: o.tenant.name, region: o.tenant.region, timeZone: o.tenant.timeZone, baseCurrency: o.tenant.baseCurrency });
  const [issues, setIssues] = useState<Issue[]>([]);
  const save = useMutation(
    trpc.onboarding.updateProfile.mutationOptions({
      onSuccess: (r) => {
        if (r.ok) {
          setEditing(false);
          setIssues([]);
          void overview.refetch();
        } else setIssues(r.issues);
      },
    }),
  );
  const region = catalog.data?.regions.find((r) => r.id === o.tenant.region)?.label ?? o.tenant.region;
  const err = (f: string) => issuesAt(issues, `profile.${f}`).map((m) => <span key={m} className="field-error">{m}</span>);
  return (
    <div className="card" style={{ padding: 16 }}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 className={styles.sectionTitle}>Profile</h2>
        {!editing && (
          <button type="button" className="btn btn-sm" data-testid="edit-profile" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
      </div>
      {!editing ? (
        <dl className={styles.summary}>
          <dt>Region</dt>
          <dd>{region}</dd>
          <dt>Time zone</dt>
          <dd>{o.tenant.timeZone}</dd>
          <dt>Base currency</dt>
          <dd>{o.tenant.baseCurrency}</dd>
        </dl>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ slug: o.tenant.slug, profile: form });
          }}
        >
          <label className={styles.field}>
            <span className="label">Name</span>
            <input className="input" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            {err('name')}
          </label>
          <label className={styles.field}>
            <span className="label">Region</span>
            <select className="select" value={form.region} onChange={(e) => setForm({ ...form, region: e.target.value })}>
              {(catalog.data?.regions ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
            {err('region')}
          </label>
          <label className={styles.field}>
            <span className="label">Time zone</span>
            <input className="input" data-testid="edit-timezone" value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} />
            {err('timeZone')}
          </label>
          <label className={styles.field}>
            <span className="label">Base currency</span>
            <input className="input" value={form.baseCurrency} onChange={(e) => setForm({ ...form, baseCurrency: e.target.value })} />
            {err('baseCurrency')}
          </label>
          {save.error && <div className="banner banner-error">{errorMessage(save.error)}</div>}
          <div className="row" style={{ gap: 8 }}>
            <button type="submit" className="btn btn-primary btn-sm" data-testid="save-profile">
              Save
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function PoliciesCard({ o }: { o: Overview }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.onboarding.overview.queryOptions({ slug: o.tenant.slug }));
  const [overrides, setOverrides] = useState<Record<string, number>>(o.policyOverrides);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.onboarding.updatePolicies.mutationOptions({
      onSuccess: (r) => {
        setIssues(r.ok ? [] : r.issues);
        setSaved(r.ok);
        if (r.ok) void overview.refetch();
      },
    }),
  );
  return (
    <div className="card" style={{ padding: 16, marginTop: 16 }}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 className={styles.sectionTitle}>Effective policies</h2>
        <div className="row" style={{ gap: 8 }}>
          {saved && <span className={styles.ok}>Saved</span>}
          <button type="button" className="btn btn-sm btn-primary" data-testid="save-policies" onClick={() => save.mutate({ slug: o.tenant.slug, policies: { overrides } })}>
            Save policies
          </button>
        </div>
      </div>
      <PolicyTable rows={o.policies} overrides={overrides} issues={issues} onChange={(next) => { setSaved(false); setOverrides(next); }} />
    </div>
  );
}
