'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage, fieldErrorsOf, fieldMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import styles from './workflows.module.css';

/** Which connection parameter a template's connection need is asked for, and of which system it must be. */
const CONNECTION_FIELDS = {
  erp: { param: 'connectionId', label: 'ERP connection', system: (erp: string) => erp },
  'back-office': { param: 'backOfficeConnectionId', label: 'Billing / CRM / warehouse connection', system: () => 'back-office' },
  rest: { param: 'procurementConnectionId', label: 'Procurement API connection (REST)', system: () => 'rest' },
} as const;

type Need = keyof typeof CONNECTION_FIELDS;

/**
 * Starting a workflow from one of the connectivity templates (invoice sync, order to cash, …):
 * pick a template, its ERP and the connections it needs; the server builds the graph (with the
 * tenant's saved mapping overlay baked in) as a new draft, which opens in the designer.
 */
export function TemplateGallery({ onCancel }: { onCancel: () => void }) {
  const trpc = useTRPC();
  const templates = useQuery(trpc.templates.list.queryOptions());
  const [chosen, setChosen] = useState<string | null>(null);
  const template = templates.data?.find((t) => t.id === chosen);

  return (
    <section className={`card ${styles.gallery}`} data-testid="template-gallery" aria-label="Templates">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>Start from a template</h2>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel}>
          Close
        </button>
      </div>
      {templates.isError && <div className="banner banner-error">Could not load templates: {errorMessage(templates.error)}</div>}
      {templates.isPending && <div className="empty">Loading templates…</div>}
      <div className={styles.templateGrid}>
        {templates.data?.map((t) => (
          <button
            key={t.id}
            type="button"
            className={styles.templateCard}
            data-selected={t.id === chosen}
            aria-pressed={t.id === chosen}
            data-testid={`template-card-${t.id}`}
            onClick={() => setChosen(t.id)}
          >
            <strong>{t.name}</strong>
            <span className="muted">{t.description}</span>
            <span className={styles.templateErps}>
              {t.erps.map((erp) => (
                <span key={erp} className="pill">
                  {erp}
                </span>
              ))}
            </span>
          </button>
        ))}
      </div>
      {template && <TemplateForm key={template.id} template={template} />}
    </section>
  );
}

interface TemplateSummary {
  id: string;
  name: string;
  erps: readonly string[];
  connections: readonly string[];
}

function TemplateForm({ template }: { template: TemplateSummary }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const connections = useQuery(trpc.connections.list.queryOptions());
  const [erp, setErp] = useState(template.erps[0] ?? '');
  const [refs, setRefs] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const instantiate = useMutation(
    trpc.templates.instantiate.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries(trpc.workflows.list.queryFilter());
        router.push(`/workflows/${id}`);
      },
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        const next: Record<string, string> = {};
        for (const [path, messages] of Object.entries(fields)) next[path.replace(/^params\./, '')] = fieldMessage('', messages).trim();
        if (Object.keys(next).length === 0) next.form = errorMessage(error);
        setErrors(next);
      },
    }),
  );

  const needs = template.connections.filter((c): c is Need => c in CONNECTION_FIELDS).map((need) => ({ need, ...CONNECTION_FIELDS[need] }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    for (const n of needs) if (!refs[n.param]) missing[n.param] = `Choose the ${n.label}`;
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    const params: Record<string, unknown> = { erp };
    for (const n of needs) params[n.param] = refs[n.param];
    instantiate.mutate({ templateId: template.id, params, ...(name.trim() ? { name: name.trim() } : {}) });
  };

  return (
    <form className={styles.templateForm} onSubmit={submit} noValidate data-testid="template-form">
      <h3>{template.name}</h3>
      <div>
        <label className="label" htmlFor="tpl-erp">
          ERP
        </label>
        <select id="tpl-erp" className="select" value={erp} data-testid="template-erp" onChange={(e) => setErp(e.target.value)}>
          {template.erps.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
        <div className="field-error">{errors.erp}</div>
      </div>
      {needs.map((n) => {
        const system = n.system(erp);
        const options = (connections.data ?? []).filter((c) => c.system === system);
        return (
          <div key={n.param}>
            <label className="label" htmlFor={`tpl-${n.param}`}>
              {n.label}
            </label>
            <select
              id={`tpl-${n.param}`}
              className="select"
              value={refs[n.param] ?? ''}
              data-testid={`template-${n.param}`}
              aria-invalid={Boolean(errors[n.param])}
              onChange={(e) => setRefs((r) => ({ ...r, [n.param]: e.target.value }))}
            >
              <option value="">{options.length === 0 ? `No ${system} connection yet` : 'Choose…'}</option>
              {options.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <div className="field-error" data-testid={`template-${n.param}-error`}>
              {errors[n.param]}
            </div>
          </div>
        );
      })}
      <div>
        <label className="label" htmlFor="tpl-name">
          Workflow name <span className="faint">(optional)</span>
        </label>
        <input id="tpl-name" className="input" value={name} maxLength={200} placeholder={template.name} data-testid="template-name" onChange={(e) => setName(e.target.value)} />
        <div className="field-error">{errors.name}</div>
      </div>
      {errors.form && (
        <div className="banner banner-error" data-testid="template-error">
          {errors.form}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={instantiate.isPending} data-testid="template-create">
          {instantiate.isPending ? 'Creating…' : 'Create draft and open'}
        </button>
      </div>
    </form>
  );
}
