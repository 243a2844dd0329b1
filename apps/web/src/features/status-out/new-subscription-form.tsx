'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@switchyard/api';
import { errorMessage, fieldErrorsOf, fieldMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import styles from './status-out.module.css';

type Status = inferRouterInputs<AppRouter>['statusOut']['create']['statuses'] extends (infer S)[] | undefined ? S : never;
type Field = 'name' | 'url' | 'statuses' | 'workflowIds' | 'form';
type Errors = Partial<Record<Field, string>>;

/** The events a subscriber can choose; `dead_lettered` is a failed run that landed in the dead-letter list. */
export const STATUS_CHOICES: Array<{ status: Status; label: string }> = [
  { status: 'queued', label: 'queued' },
  { status: 'running', label: 'running' },
  { status: 'waiting', label: 'waiting' },
  { status: 'succeeded', label: 'succeeded' },
  { status: 'failed', label: 'failed' },
  { status: 'cancelled', label: 'cancelled' },
  { status: 'compensated', label: 'compensated' },
  { status: 'compensation_failed', label: 'compensation failed' },
  { status: 'dead_lettered', label: 'dead-lettered' },
];

/** Checks what the browser can before the round trip; the server validates again and names fields. */
function check(name: string, url: string): Errors {
  const errors: Errors = {};
  if (!name.trim()) errors.name = 'Name must not be empty';
  else if (name.trim().length > 120) errors.name = 'Name must be at most 120 characters';
  let parsed: URL | null = null;
  try {
    parsed = new URL(url.trim());
  } catch {
    errors.url = 'URL must be an absolute URL such as https://portal.example.com/hooks/switchyard';
  }
  if (parsed && !/^https?:$/.test(parsed.protocol)) errors.url = 'URL must use http or https';
  return errors;
}

export function NewSubscriptionForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (created: { name: string; secret: string }) => void }) {
  const trpc = useTRPC();
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [workflowIds, setWorkflowIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<Errors>({});

  const create = useMutation(
    trpc.statusOut.create.mutationOptions({
      onSuccess: (created) => onCreated({ name: created.subscription.name, secret: created.secret }),
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        const next: Errors = {};
        if (fields.name) next.name = fieldMessage('Name', fields.name);
        if (fields.url) next.url = fieldMessage('URL', fields.url);
        if (fields.statuses) next.statuses = fieldMessage('Events', fields.statuses);
        if (fields.workflowIds) next.workflowIds = fieldMessage('Workflows', fields.workflowIds);
        // Conflicts come back as "<field>: <sentence>".
        const message = errorMessage(error);
        const prefixed = /^(name|url|workflowIds|statuses): (.*)$/.exec(message);
        if (prefixed) next[prefixed[1] as Field] = prefixed[2]!.charAt(0).toUpperCase() + prefixed[2]!.slice(1);
        if (Object.keys(next).length === 0) next.form = message;
        setErrors(next);
      },
    }),
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found = check(name, url);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate({ name: name.trim(), url: url.trim(), statuses, workflowIds });
  };
  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  return (
    <form className={`card ${styles.form}`} onSubmit={submit} noValidate data-testid="new-subscription-form">
      <h2>New subscription</h2>
      <div>
        <label className="label" htmlFor="sub-name">
          Name
        </label>
        <input
          id="sub-name"
          className="input"
          data-testid="subscription-name"
          value={name}
          autoFocus
          maxLength={200}
          placeholder="e.g. Customer portal"
          aria-invalid={Boolean(errors.name)}
          onChange={(e) => (setName(e.target.value), setErrors(({ name: _, ...rest }) => rest))}
        />
        <div className="field-error" data-testid="subscription-name-error">
          {errors.name}
        </div>
      </div>
      <div>
        <label className="label" htmlFor="sub-url">
          Endpoint URL
        </label>
        <input
          id="sub-url"
          className="input mono"
          data-testid="subscription-url"
          value={url}
          maxLength={2000}
          placeholder="https://portal.example.com/hooks/switchyard"
          aria-invalid={Boolean(errors.url)}
          onChange={(e) => (setUrl(e.target.value), setErrors(({ url: _, ...rest }) => rest))}
        />
        <div className="field-error" data-testid="subscription-url-error">
          {errors.url}
        </div>
      </div>
      <fieldset className={styles.choices} aria-invalid={Boolean(errors.statuses)}>
        <legend className="label">
          Events <span className="faint">(none chosen: every status change)</span>
        </legend>
        {STATUS_CHOICES.map((c) => (
          <label key={c.status} className={styles.choice}>
            <input type="checkbox" data-testid={`subscription-status-${c.status}`} checked={statuses.includes(c.status)} onChange={() => setStatuses((s) => toggle(s, c.status))} />
            <span className="mono">{c.label}</span>
          </label>
        ))}
        <div className="field-error">{errors.statuses}</div>
      </fieldset>
      <fieldset className={styles.choices} aria-invalid={Boolean(errors.workflowIds)}>
        <legend className="label">
          Workflows <span className="faint">(none chosen: all workflows)</span>
        </legend>
        {workflows.data?.map((w) => (
          <label key={w.id} className={styles.choice}>
            <input type="checkbox" data-testid="subscription-workflow" data-workflow-name={w.name} checked={workflowIds.includes(w.id)} onChange={() => setWorkflowIds((s) => toggle(s, w.id))} />
            {w.name}
          </label>
        ))}
        {workflows.isError && <div className="field-error">Could not load the workflows: {errorMessage(workflows.error)}</div>}
        {workflows.isSuccess && workflows.data.length === 0 && <span className="faint">This tenant has no workflows yet.</span>}
        <div className="field-error">{errors.workflowIds}</div>
      </fieldset>
      {errors.form && (
        <div className="banner banner-error" data-testid="subscription-form-error">
          {errors.form}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" data-testid="subscription-create" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create subscription'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
