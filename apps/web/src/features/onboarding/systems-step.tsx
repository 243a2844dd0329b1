'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfigForm } from '@/features/config-form/config-form';
import type { JsonSchema } from '@/features/config-form/schema-fields';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { ERP_LOGOS, issuesAt, type Catalog, type Issue } from './types';
import { StepFooter, StepIssues, type StepProps } from './wizard';
import styles from './onboarding.module.css';

interface ConnectionState {
  slot: string;
  system: string;
  name: string;
  baseUrl: string;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
}

const OTHER = [
  { slot: 'back-office', system: 'back-office', label: 'Billing, CRM and warehouse' },
  { slot: 'rest', system: 'rest', label: 'Purchasing API (REST)' },
];

function fresh(catalog: Catalog, slot: string, system: string): ConnectionState {
  const def = catalog.systems.find((s) => s.system === system);
  const demo = catalog.demo?.[system];
  return { slot, system, name: def?.displayName ?? system, baseUrl: demo?.baseUrl ?? '', config: { ...(demo?.config ?? {}) }, credentials: {} };
}

/** The ERP (one of four) and any other back-office systems, each with its credentials and a live test. */
export function SystemsStep({ draft, catalog, issues, onSaved, onBack, submitLabel = 'Save and continue →', backLabel }: StepProps) {
  const trpc = useTRPC();
  const saved = draft.data.systems;
  const [erp, setErp] = useState(saved?.erp ?? '');
  const [connections, setConnections] = useState<ConnectionState[]>(() => (saved?.connections ?? []).map((c) => ({ ...c, credentials: {} })));
  const save = useMutation(trpc.onboarding.saveSystems.mutationOptions({ onSuccess: onSaved }));

  const chooseErp = (id: string) => {
    setErp(id);
    setConnections((list) => [fresh(catalog, 'erp', id), ...list.filter((c) => c.slot !== 'erp')]);
  };
  const update = (slot: string, change: Partial<ConnectionState>) => setConnections((list) => list.map((c) => (c.slot === slot ? { ...c, ...change } : c)));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: draft.id, systems: { erp, connections } });
      }}
    >
      <p className="muted">Pick the ERP the tenant runs and enter the credentials of its integration user. Each connection is called when you continue.</p>
      <StepIssues issues={issues} shownAt={(f) => f.startsWith('connections.') && connections.some((c) => f.startsWith(`connections.${c.slot}.`))} />
      <div className={styles.erpCards} role="group" aria-label="ERP">
        {catalog.erps.map((e) => (
          <button key={e.id} type="button" className={styles.erpCard} aria-pressed={erp === e.id} data-testid={`erp-${e.id}`} onClick={() => chooseErp(e.id)}>
            <span className={styles.logo}>{ERP_LOGOS[e.id] ?? e.id.slice(0, 2).toUpperCase()}</span>
            <span>
              <span className={styles.erpName}>{e.displayName}</span>
              <span className={styles.erpDesc} style={{ display: 'block' }}>
                {e.description}
              </span>
            </span>
          </button>
        ))}
      </div>
      {connections.map((c) => (
        <ConnectionForm
          key={c.slot}
          draftId={draft.id}
          catalog={catalog}
          connection={c}
          savedFields={draft.credentialFields[c.slot] ?? []}
          issues={issues}
          onChange={(change) => update(c.slot, change)}
          onRemove={c.slot === 'erp' ? undefined : () => setConnections((list) => list.filter((x) => x.slot !== c.slot))}
        />
      ))}
      <div className="row" style={{ gap: 8, marginTop: 12 }}>
        {OTHER.filter((o) => !connections.some((c) => c.slot === o.slot)).map((o) => (
          <button key={o.slot} type="button" className="btn btn-sm" data-testid={`add-${o.slot}`} onClick={() => setConnections((list) => [...list, fresh(catalog, o.slot, o.system)])}>
            + {o.label}
          </button>
        ))}
      </div>
      {save.error && <div className="banner banner-error">{errorMessage(save.error)}</div>}
      <StepFooter onBack={onBack} busy={save.isPending} backLabel={backLabel}>
        <button type="submit" className="btn btn-primary" disabled={save.isPending || erp === ''} data-testid="wizard-next">
          {save.isPending ? 'Testing connections…' : submitLabel}
        </button>
      </StepFooter>
    </form>
  );
}

function ConnectionForm({
  draftId,
  catalog,
  connection: c,
  savedFields,
  issues,
  onChange,
  onRemove,
}: {
  draftId: string;
  catalog: Catalog;
  connection: ConnectionState;
  savedFields: string[];
  issues: Issue[];
  onChange: (change: Partial<ConnectionState>) => void;
  onRemove: (() => void) | undefined;
}) {
  const trpc = useTRPC();
  const def = catalog.systems.find((s) => s.system === c.system);
  const test = useMutation(trpc.onboarding.testConnection.mutationOptions());
  const at = (f: string) => issuesAt(issues, `connections.${c.slot}.${f}`);
  const credentialSchema = (def?.credentialsSchema ?? {}) as { properties?: Record<string, { title?: string; description?: string }>; required?: string[] };
  const configErrors: Record<string, string[]> = {};
  for (const i of issues) {
    const m = new RegExp(`^connections\\.${c.slot}\\.config\\.([^.]+)`).exec(i.field);
    if (m) (configErrors[m[1]!] ??= []).push(i.message);
  }
  const testIssue = at('test');

  return (
    <div className="card" style={{ padding: 16, marginTop: 12 }} data-testid={`connection-${c.slot}`}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3 className={styles.sectionTitle}>{def?.displayName ?? c.system} connection</h3>
        {onRemove && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={onRemove}>
            Remove
          </button>
        )}
      </div>
      <div className={styles.grid2}>
        <label className={styles.field}>
          <span className="label">Connection name</span>
          <input className="input" data-testid={`${c.slot}-name`} value={c.name} onChange={(e) => onChange({ name: e.target.value })} />
          {at('name').length > 0 && <span className="field-error">{at('name').join('; ')}</span>}
        </label>
        <label className={styles.field}>
          <span className="label">Base URL</span>
          <input className="input mono" data-testid={`${c.slot}-baseUrl`} value={c.baseUrl} placeholder={def?.baseUrlExample} onChange={(e) => onChange({ baseUrl: e.target.value })} />
          {at('baseUrl').length > 0 && <span className="field-error">{at('baseUrl').join('; ')}</span>}
        </label>
      </div>
      <div className={styles.section}>
        <ConfigForm schema={def?.configSchema as JsonSchema | undefined} value={c.config} errors={configErrors} onChange={(key, value) => onChange({ config: { ...c.config, [key]: value } })} />
      </div>
      <div className={styles.section}>
        <h4 className={styles.sectionTitle}>Credentials</h4>
        <div className={styles.grid2}>
          {Object.entries(credentialSchema.properties ?? {}).map(([key, prop]) => {
            const errors = at(`credentials.${key}`);
            return (
              <label key={key} className={styles.field}>
                <span className="label">{prop.title ?? key}</span>
                <input
                  className="input"
                  type="password"
                  autoComplete="off"
                  data-testid={`${c.slot}-cred-${key}`}
                  value={c.credentials[key] ?? ''}
                  placeholder={savedFields.includes(key) ? '•••••••• saved (type to replace)' : ''}
                  onChange={(e) => onChange({ credentials: { ...c.credentials, [key]: e.target.value } })}
                  aria-invalid={errors.length > 0}
                />
                {errors.length > 0 && <span className="field-error">{errors.join('; ')}</span>}
              </label>
            );
          })}
        </div>
      </div>
      <div className={styles.testResult}>
        <button type="button" className="btn btn-sm" data-testid={`${c.slot}-test`} disabled={test.isPending} onClick={() => test.mutate({ id: draftId, connection: c })}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <div aria-live="polite" data-testid={`${c.slot}-test-result`} style={{ marginTop: 8 }}>
          {test.data && (
            <div className={`banner ${test.data.ok ? 'banner-info' : 'banner-error'}`}>
              {test.data.ok ? '✓ ' : '✗ '}
              {test.data.message} <span className="faint">({test.data.durationMs} ms)</span>
            </div>
          )}
          {test.error && <div className="banner banner-error">{errorMessage(test.error)}</div>}
          {!test.data && testIssue.length > 0 && <div className="banner banner-error">✗ {testIssue.join('; ')}</div>}
        </div>
      </div>
    </div>
  );
}
