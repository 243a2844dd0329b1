'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@switchyard/api';
import { errorMessage, fieldErrorsOf, fieldMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import styles from './api-keys.module.css';

type Scope = inferRouterInputs<AppRouter>['apiKeys']['create']['scopes'][number];
type Field = 'name' | 'scopes' | 'expiresAt' | 'form';
type Errors = Partial<Record<Field, string>>;

/** `<input type="date">` gives a local calendar day; the key expires at the end of it. */
function endOfDay(value: string): Date {
  return new Date(`${value}T23:59:59.999`);
}

/** Checks what the browser can before a round trip; the server validates again and names fields. */
function check(name: string, scopes: Scope[], expires: string): Errors {
  const errors: Errors = {};
  if (!name.trim()) errors.name = 'Name must not be empty';
  else if (name.trim().length > 120) errors.name = 'Name must be at most 120 characters';
  if (scopes.length === 0) errors.scopes = 'Choose at least one scope';
  if (expires && !(endOfDay(expires).getTime() > Date.now())) errors.expiresAt = 'Expiry must be in the future';
  return errors;
}

export function NewApiKeyForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (created: { name: string; key: string }) => void }) {
  const trpc = useTRPC();
  const scopes = useQuery(trpc.apiKeys.scopes.queryOptions());
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Scope[]>([]);
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (created) => onCreated({ name: created.name, key: created.key }),
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        const next: Errors = {};
        if (fields.name) next.name = fieldMessage('Name', fields.name);
        if (fields.scopes) next.scopes = fieldMessage('Scopes', fields.scopes);
        if (fields.expiresAt) next.expiresAt = fieldMessage('Expiry', fields.expiresAt);
        if (!next.name && !next.scopes && !next.expiresAt) next.form = errorMessage(error);
        setErrors(next);
      },
    }),
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found = check(name, chosen, expires);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate({ name: name.trim(), scopes: chosen, ...(expires ? { expiresAt: endOfDay(expires) } : {}) });
  };
  const toggle = (scope: Scope) => setChosen((now) => (now.includes(scope) ? now.filter((s) => s !== scope) : [...now, scope]));

  return (
    <form className={`card ${styles.form}`} onSubmit={submit} noValidate data-testid="new-api-key-form">
      <h2>New API key</h2>
      <div>
        <label className="label" htmlFor="key-name">
          Name
        </label>
        <input
          id="key-name"
          className="input"
          data-testid="api-key-name"
          value={name}
          autoFocus
          maxLength={200}
          placeholder="e.g. ERP connector (production)"
          aria-invalid={Boolean(errors.name)}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="field-error" data-testid="api-key-name-error">
          {errors.name}
        </div>
      </div>
      <fieldset className={styles.scopes} aria-invalid={Boolean(errors.scopes)}>
        <legend className="label">Scopes</legend>
        {scopes.data?.map((s) => (
          <label key={s.scope} className={styles.scope}>
            <input type="checkbox" data-testid={`api-key-scope-${s.scope}`} checked={chosen.includes(s.scope)} onChange={() => toggle(s.scope)} />
            <span className="mono">{s.scope}</span>
            <span className="muted">{s.description}</span>
          </label>
        ))}
        <div className="field-error" data-testid="api-key-scopes-error">
          {errors.scopes}
        </div>
      </fieldset>
      <div>
        <label className="label" htmlFor="key-expires">
          Expires <span className="faint">(optional: without a date the key lasts until revoked)</span>
        </label>
        <input id="key-expires" type="date" className="input" data-testid="api-key-expires" value={expires} onChange={(e) => setExpires(e.target.value)} />
        <div className="field-error" data-testid="api-key-expires-error">
          {errors.expiresAt}
        </div>
      </div>
      {errors.form && (
        <div className="banner banner-error" data-testid="api-key-form-error">
          {errors.form}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" data-testid="api-key-create" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
