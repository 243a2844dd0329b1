'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { issuesAt, type ReferenceView } from './types';
import { StepFooter, StepIssues, type StepProps } from './wizard';
import styles from './onboarding.module.css';

type Lookups = Record<string, Record<string, string>>;
const UNMAPPED = '__unmapped__';

function suggested(reference: ReferenceView): Lookups {
  const out: Lookups = {};
  for (const t of reference.tables) for (const c of t.codes) if (c.suggestion) (out[t.table] ??= {})[c.code] = c.suggestion.value;
  return out;
}

/** Lookup tables from the ERP's own reference data, prefilled with suggestions, and a preview of the result. */
export function MappingsStep({ draft, issues, onSaved, onBack, submitLabel = 'Save and continue →', backLabel }: StepProps) {
  const trpc = useTRPC();
  const reference = useQuery(trpc.onboarding.referenceData.queryOptions({ id: draft.id }, { staleTime: 60_000 }));
  const [edited, setEdited] = useState<Lookups | null>(null);
  const save = useMutation(trpc.onboarding.saveMappings.mutationOptions({ onSuccess: onSaved }));
  const preview = useMutation(trpc.onboarding.preview.mutationOptions());
  const [previewObject, setPreviewObject] = useState<'invoice' | 'salesOrder' | null>(null);

  if (reference.isPending) return <div className="empty">Loading the ERP’s chart of accounts, tax codes and entities…</div>;
  if (reference.error) return <div className="banner banner-error">{errorMessage(reference.error)}</div>;
  const data = reference.data;
  const lookups: Lookups = edited ?? (draft.data.mappings?.lookups as Lookups | undefined) ?? suggested(data);
  const allIssues = [...issues, ...(edited ? [] : data.issues)];
  const set = (table: string, code: string, value: string) => {
    const next: Lookups = { ...lookups, [table]: { ...(lookups[table] ?? {}) } };
    if (value === UNMAPPED) delete next[table]![code];
    else next[table]![code] = value;
    setEdited(next);
  };
  const runPreview = (object: 'invoice' | 'salesOrder') => {
    setPreviewObject(object);
    preview.mutate({ id: draft.id, object, mappings: { lookups } });
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: draft.id, mappings: { lookups } });
      }}
    >
      <p className="muted">
        Map the platform’s codes to the tenant’s ERP. The lists come from the ERP itself; each code is prefilled with the entry of the same code or the most similar name.
      </p>
      {!data.ok && <div className="banner banner-warning">The ERP’s reference data could not be loaded: {data.message}. Enter the values by hand.</div>}
      <StepIssues issues={allIssues} shownAt={(f) => f.startsWith('lookups.')} />
      <div className={styles.tables}>
        {data.tables.map((t) => (
          <div key={t.table} className="card" style={{ padding: 14 }} data-testid={`lookup-${t.table}`}>
            <h3 className={styles.sectionTitle}>
              {t.label} <span className="faint">({t.options.length} in the ERP)</span>
            </h3>
            {t.codes.map((c) => {
              const value = lookups[t.table]?.[c.code];
              const errors = issuesAt(allIssues, `lookups.${t.table}.${c.code}`);
              return (
                <div key={c.code}>
                  <div className={styles.lookupRow}>
                    <span className="mono">{c.code}</span>
                    <span className="muted">{c.name}</span>
                    {t.options.length > 0 ? (
                      <select
                        className="select"
                        aria-label={`${t.label}: ${c.code}`}
                        data-testid={`lookup-${t.table}-${c.code}`}
                        value={value === undefined ? UNMAPPED : value}
                        aria-invalid={errors.length > 0}
                        onChange={(e) => set(t.table, c.code, e.target.value)}
                      >
                        <option value={UNMAPPED}>— not mapped —</option>
                        {t.options.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.name || '(blank)'}
                            {o.code && o.code !== o.name ? ` · ${o.code}` : ''}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input className="input" aria-label={`${t.label}: ${c.code}`} value={value ?? ''} onChange={(e) => set(t.table, c.code, e.target.value === '' ? UNMAPPED : e.target.value)} />
                    )}
                  </div>
                  {c.suggestion && value === c.suggestion.value && <div className={styles.reason} style={{ textAlign: 'right' }}>suggested: {c.suggestion.reason}</div>}
                  {errors.length > 0 && <div className="field-error">{errors.join('; ')}</div>}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <div className={styles.section}>
        <h3 className={styles.sectionTitle}>Preview</h3>
        <div className="row" style={{ gap: 8 }}>
          <button type="button" className="btn btn-sm" data-testid="preview-invoice" onClick={() => runPreview('invoice')}>
            Preview sample invoice
          </button>
          <button type="button" className="btn btn-sm" data-testid="preview-salesOrder" onClick={() => runPreview('salesOrder')}>
            Preview sample order
          </button>
        </div>
        {preview.data && previewObject && (
          <div className={styles.preview} style={{ marginTop: 10 }} data-testid="preview-result">
            <div>
              <div className="label">Canonical {previewObject === 'invoice' ? 'invoice' : 'order'}</div>
              <pre className={styles.pre}>{JSON.stringify('canonical' in preview.data ? preview.data.canonical : null, null, 2)}</pre>
            </div>
            <div>
              <div className="label">As the tenant’s ERP payload</div>
              {preview.data.ok ? (
                <pre className={styles.pre} data-testid="preview-payload">
                  {JSON.stringify(preview.data.payload, null, 2)}
                </pre>
              ) : (
                <div className="banner banner-error" data-testid="preview-errors">
                  {preview.data.errors.map((e) => (
                    <div key={`${e.field}|${e.message}`}>
                      {e.field ? <span className="mono">{e.field}</span> : null} {e.message}
                    </div>
                  ))}
                </div>
              )}
            </div>
          </div>
        )}
        {preview.error && <div className="banner banner-error">{errorMessage(preview.error)}</div>}
      </div>
      {save.error && <div className="banner banner-error">{errorMessage(save.error)}</div>}
      <StepFooter onBack={onBack} busy={save.isPending} backLabel={backLabel}>
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="wizard-next">
          {save.isPending ? 'Checking…' : submitLabel}
        </button>
      </StepFooter>
    </form>
  );
}
