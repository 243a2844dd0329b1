'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { issuesAt } from './types';
import { StepFooter, StepIssues, type StepProps } from './wizard';
import styles from './onboarding.module.css';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY', 'SEK', 'SGD'];

/** `Northwind Traders GmbH` → `northwind-traders-gmbh`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function ProfileStep({ draft, catalog, issues, onSaved }: StepProps) {
  const trpc = useTRPC();
  const saved = draft.data.profile;
  const [name, setName] = useState(saved?.name ?? '');
  const [slug, setSlug] = useState(saved?.slug ?? '');
  // The slug follows the name until the admin edits it.
  const [slugEdited, setSlugEdited] = useState(Boolean(saved?.slug));
  const [region, setRegion] = useState(saved?.region ?? 'eu');
  const [timeZone, setTimeZone] = useState(saved?.timeZone ?? browserTimeZone());
  const [baseCurrency, setBaseCurrency] = useState(saved?.baseCurrency ?? 'USD');
  const effectiveSlug = slugEdited ? slug : slugify(name);
  const checkedSlug = useDeferredValue(effectiveSlug);
  const slugCheck = useQuery({ ...trpc.onboarding.checkSlug.queryOptions({ slug: checkedSlug }), enabled: checkedSlug !== '' });
  const save = useMutation(trpc.onboarding.saveProfile.mutationOptions({ onSuccess: onSaved }));
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [timeZone];

  const fieldError = (field: string) => {
    const messages = issuesAt(issues, `profile.${field}`);
    return messages.length ? <span className="field-error">{messages.join('; ')}</span> : null;
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: draft.id, profile: { name, slug: effectiveSlug, region, timeZone, baseCurrency } });
      }}
    >
      <p className="muted">Who the tenant is and where its data lives. The slug is part of its webhook addresses and cannot change later.</p>
      <StepIssues issues={issues} shownAt={(f) => f.startsWith('profile.')} />
      <div className={styles.grid2}>
        <label className={styles.field}>
          <span className="label">Tenant name</span>
          <input className="input" data-testid="profile-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Northwind Traders" autoFocus aria-invalid={issuesAt(issues, 'profile.name').length > 0} />
          {fieldError('name')}
        </label>
        <label className={styles.field}>
          <span className="label">Slug</span>
          <input
            className="input mono"
            data-testid="profile-slug"
            value={effectiveSlug}
            onChange={(e) => {
              // Clearing the slug hands it back to the name.
              setSlugEdited(e.target.value !== '');
              setSlug(e.target.value);
            }}
            aria-invalid={issuesAt(issues, 'profile.slug').length > 0 || slugCheck.data?.available === false}
          />
          <span className={styles.slugState} data-testid="slug-state" aria-live="polite">
            {effectiveSlug === '' ? (
              <span className="hint">Lower-case letters, digits and “-”.</span>
            ) : slugCheck.data && slugCheck.data.slug === effectiveSlug ? (
              slugCheck.data.available ? (
                <span className={styles.ok}>✓ {effectiveSlug} is available</span>
              ) : (
                <span className={styles.bad}>✗ {slugCheck.data.message}</span>
              )
            ) : (
              <span className="hint">Checking…</span>
            )}
          </span>
          {fieldError('slug')}
        </label>
        <label className={styles.field}>
          <span className="label">Region (data residency)</span>
          <select className="select" data-testid="profile-region" value={region} onChange={(e) => setRegion(e.target.value)}>
            {catalog.regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
          {fieldError('region')}
        </label>
        <label className={styles.field}>
          <span className="label">Time zone</span>
          <input className="input" list="time-zones" data-testid="profile-timezone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
          <datalist id="time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {fieldError('timeZone')}
        </label>
        <label className={styles.field}>
          <span className="label">Base currency</span>
          <select className="select" data-testid="profile-currency" value={baseCurrency} onChange={(e) => setBaseCurrency(e.target.value)}>
            {[...new Set([baseCurrency, ...CURRENCIES])].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {fieldError('baseCurrency')}
        </label>
      </div>
      {save.error && <div className="banner banner-error">{errorMessage(save.error)}</div>}
      <StepFooter first busy={save.isPending}>
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="wizard-next">
          {save.isPending ? 'Saving…' : 'Save and continue →'}
        </button>
      </StepFooter>
    </form>
  );
}
