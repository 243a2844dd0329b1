'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { issuesAt, type Issue } from './types';
import { StepFooter, StepIssues, type StepProps } from './wizard';
import styles from './onboarding.module.css';

interface PropSchema {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, PropSchema>;
}
type Selected = Record<string, Record<string, unknown>>;

/** Templates available for the tenant's ERP; each chosen one shows its tenant variables (defaults as placeholders). */
export function WorkflowsStep({ draft, catalog, issues, onSaved, onBack, submitLabel = 'Save and continue →', backLabel }: StepProps) {
  const trpc = useTRPC();
  const erp = draft.data.systems?.erp ?? '';
  const slots = new Set((draft.data.systems?.connections ?? []).map((c) => c.slot));
  const initial: Selected = Object.fromEntries((draft.data.workflows?.selected ?? [{ templateId: 'invoice-sync', variables: {} }]).map((s) => [s.templateId, s.variables]));
  const [selected, setSelected] = useState<Selected>(initial);
  const save = useMutation(trpc.onboarding.saveWorkflows.mutationOptions({ onSuccess: onSaved }));
  const templates = catalog.templates.filter((t) => t.erps.includes(erp));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: draft.id, workflows: { selected: Object.entries(selected).map(([templateId, variables]) => ({ templateId, variables })) } });
      }}
    >
      <p className="muted">Choose the workflows to activate. Each becomes a published workflow of the tenant with its own webhook endpoint and signing secret.</p>
      <StepIssues issues={issues} shownAt={(f) => Object.keys(selected).some((id) => f.startsWith(`workflows.${id}.`))} />
      <div className={styles.templates}>
        {templates.map((t) => {
          const on = t.id in selected;
          const missing = t.connections.filter((c) => c !== 'erp' && !slots.has(c));
          return (
            <div key={t.id} className={`card ${styles.template}`} data-selected={on} data-testid={`template-${t.id}`}>
              <label className="row" style={{ gap: 8, alignItems: 'flex-start' }}>
                <input
                  type="checkbox"
                  checked={on}
                  data-testid={`choose-${t.id}`}
                  onChange={(e) =>
                    setSelected((s) => {
                      const next = { ...s };
                      if (e.target.checked) next[t.id] = {};
                      else delete next[t.id];
                      return next;
                    })
                  }
                />
                <span>
                  <strong>{t.name}</strong>
                  <span className="muted" style={{ display: 'block', fontSize: 13 }}>
                    {t.description}
                  </span>
                  {missing.length > 0 && <span className="hint">Needs a {missing.map((m) => (m === 'back-office' ? 'billing/CRM/warehouse' : 'purchasing API')).join(' and ')} connection (Systems step).</span>}
                </span>
              </label>
              {on && (
                <Variables
                  templateId={t.id}
                  schema={t.variables as Record<string, PropSchema>}
                  values={selected[t.id] ?? {}}
                  issues={issues}
                  onChange={(values) => setSelected((s) => ({ ...s, [t.id]: values }))}
                />
              )}
              {on && issuesAt(issues, `workflows.${t.id}`).length > 0 && <div className="field-error">{issuesAt(issues, `workflows.${t.id}`).join('; ')}</div>}
            </div>
          );
        })}
      </div>
      {save.error && <div className="banner banner-error">{errorMessage(save.error)}</div>}
      <StepFooter onBack={onBack} busy={save.isPending} backLabel={backLabel}>
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="wizard-next">
          {submitLabel}
        </button>
      </StepFooter>
    </form>
  );
}

/** `["accounts", "receivable"]` → "Accounts: receivable", `["webhookPath"]` → "Webhook path". */
function humanize(path: string[]): string {
  const words = path.map((p) => p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
  const text = words.join(': ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function Variables({ templateId, schema, values, issues, onChange }: { templateId: string; schema: Record<string, PropSchema>; values: Record<string, unknown>; issues: Issue[]; onChange: (v: Record<string, unknown>) => void }) {
  const fields: Array<{ path: string[]; prop: PropSchema }> = [];
  for (const [key, prop] of Object.entries(schema)) {
    if (prop.type === 'object' && prop.properties) for (const [sub, p] of Object.entries(prop.properties)) fields.push({ path: [key, sub], prop: p });
    else fields.push({ path: [key], prop });
  }
  const read = (path: string[]) => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values);
  const write = (path: string[], value: unknown) => {
    const next = structuredClone(values);
    let at = next;
    for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    if (value === undefined) delete at[path[path.length - 1]!];
    else at[path[path.length - 1]!] = value;
    onChange(next);
  };
  if (fields.length === 0) return null;
  return (
    <div className={styles.grid2} style={{ marginTop: 10 }}>
      {fields.map(({ path, prop }) => {
        const key = path.join('.');
        const numeric = prop.type === 'number' || prop.type === 'integer';
        const value = read(path);
        const errors = issuesAt(issues, `workflows.${templateId}.${key}`);
        return (
          <label key={key} className={styles.field}>
            <span className="label">{prop.title ?? humanize(path)}</span>
            <input
              className="input"
              data-testid={`var-${templateId}-${key}`}
              inputMode={numeric ? 'decimal' : undefined}
              value={value === undefined ? '' : String(value)}
              placeholder={prop.default !== undefined ? String(prop.default) : key === 'webhookPath' ? 'default' : ''}
              aria-invalid={errors.length > 0}
              onChange={(e) => {
                const text = e.target.value;
                write(path, text === '' ? undefined : numeric && !Number.isNaN(Number(text)) ? Number(text) : text);
              }}
            />
            {prop.description && <span className="hint">{prop.description}</span>}
            {errors.length > 0 && <span className="field-error">{errors.join('; ')}</span>}
          </label>
        );
      })}
    </div>
  );
}
