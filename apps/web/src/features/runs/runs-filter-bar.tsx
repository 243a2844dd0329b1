'use client';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { versionLabel } from '@/lib/format';
import { useTenant } from '@/lib/tenant';
import { useTRPC } from '@/lib/trpc';
import { KNOWN_TRIGGERS, RUN_STATUSES, TIME_RANGES, hasAnyFilter, type RunFilters, type TimeRange } from './runs-filters';
import { useSavedFilters } from './saved-filters';
import styles from './runs.module.css';

/** `datetime-local` wants local wall-clock time without a zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

export function RunsFilterBar({ filters, onChange, query }: { filters: RunFilters; onChange: (next: RunFilters) => void; query: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const tenant = useTenant();
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const versions = useQuery({ ...trpc.workflows.versions.queryOptions({ id: filters.workflowId ?? '' }), enabled: Boolean(filters.workflowId) });
  const [searchDraft, setSearchDraft] = useState(filters.q ?? '');
  const [triggerDraft, setTriggerDraft] = useState(filters.trigger ?? '');
  const [saveName, setSaveName] = useState('');
  const saved = useSavedFilters(tenant.slug ?? null);
  const rangeValue = filters.range ?? (filters.from || filters.to ? 'custom' : '');

  return (
    <div className={`card ${styles.filters}`}>
      <form
        className={styles.searchRow}
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ ...filters, q: searchDraft.trim() || undefined });
        }}
      >
        <input
          className={`input mono ${styles.search}`}
          type="search"
          data-testid="runs-search"
          aria-label="Search by key"
          value={searchDraft}
          placeholder="Search a correlation id, idempotency key or business key (e.g. INV-2026-0042), then Enter"
          onChange={(e) => setSearchDraft(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" data-testid="runs-search-submit">
          Search
        </button>
        <label className={styles.saved}>
          <span className="visually-hidden">Saved filters</span>
          <select
            className="select"
            data-testid="saved-filters"
            value=""
            onChange={(e) => {
              const pick = saved.saved.find((f) => f.name === e.target.value);
              if (pick) router.replace(pick.query ? `/runs?${pick.query}` : '/runs');
            }}
          >
            <option value="">{saved.saved.length ? 'Saved filters…' : 'No saved filters'}</option>
            {saved.saved.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      </form>

      <div className={styles.filterRow}>
        <label className={styles.filter}>
          <span className="label">Workflow</span>
          <select
            className="select"
            data-testid="runs-filter-workflow"
            value={filters.workflowId ?? ''}
            onChange={(e) => onChange({ ...filters, workflowId: e.target.value || undefined, versionId: undefined })}
          >
            <option value="">All workflows</option>
            {workflows.data?.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.filter}>
          <span className="label">Version</span>
          <select
            className="select"
            data-testid="runs-filter-version"
            disabled={!filters.workflowId}
            title={filters.workflowId ? undefined : 'Choose a workflow first'}
            value={filters.versionId ?? ''}
            onChange={(e) => onChange({ ...filters, versionId: e.target.value || undefined })}
          >
            <option value="">Any version</option>
            {versions.data?.map((v) => (
              <option key={v.id} value={v.id}>
                {versionLabel(v.version)}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.filter}>
          <span className="label">Status</span>
          <select
            className="select"
            data-testid="runs-filter-status"
            value={filters.status ?? ''}
            onChange={(e) => onChange({ ...filters, status: (e.target.value || undefined) as RunFilters['status'] })}
          >
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.filter}>
          <span className="label">Trigger</span>
          <input
            className="input"
            list="run-triggers"
            data-testid="runs-filter-trigger"
            value={triggerDraft}
            placeholder="Any trigger"
            onChange={(e) => setTriggerDraft(e.target.value)}
            onBlur={() => {
              if ((triggerDraft.trim() || undefined) !== filters.trigger) onChange({ ...filters, trigger: triggerDraft.trim() || undefined });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onChange({ ...filters, trigger: triggerDraft.trim() || undefined });
            }}
          />
          <datalist id="run-triggers">
            {KNOWN_TRIGGERS.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label className={styles.filter}>
          <span className="label">Received</span>
          <select
            className="select"
            data-testid="runs-filter-range"
            value={rangeValue}
            onChange={(e) => {
              const value = e.target.value;
              if (value === 'custom') onChange({ ...filters, range: undefined, from: new Date(Date.now() - TIME_RANGES['24h']).toISOString() });
              else onChange({ ...filters, range: (value || undefined) as TimeRange | undefined, from: undefined, to: undefined });
            }}
          >
            <option value="">Any time</option>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="custom">Between…</option>
          </select>
        </label>
        {rangeValue === 'custom' && (
          <>
            <label className={styles.filter}>
              <span className="label">From</span>
              <input
                className="input"
                type="datetime-local"
                data-testid="runs-filter-from"
                value={toLocalInput(filters.from)}
                onChange={(e) => onChange({ ...filters, from: fromLocalInput(e.target.value) })}
              />
            </label>
            <label className={styles.filter}>
              <span className="label">To</span>
              <input
                className="input"
                type="datetime-local"
                data-testid="runs-filter-to"
                value={toLocalInput(filters.to)}
                onChange={(e) => onChange({ ...filters, to: fromLocalInput(e.target.value) })}
              />
            </label>
          </>
        )}
        <button
          type="button"
          className="btn"
          disabled={!hasAnyFilter(filters)}
          data-testid="runs-filter-clear"
          onClick={() => {
            setSearchDraft('');
            setTriggerDraft('');
            onChange({});
          }}
        >
          Clear
        </button>
      </div>

      <form
        className={styles.saveRow}
        onSubmit={(e) => {
          e.preventDefault();
          if (!saveName.trim()) return;
          saved.save({ name: saveName.trim(), query });
          setSaveName('');
        }}
      >
        <span className="faint">Saved filters are kept in this browser, per tenant.</span>
        <input className="input" data-testid="save-filter-name" value={saveName} placeholder="Name these filters" onChange={(e) => setSaveName(e.target.value)} />
        <button type="submit" className="btn btn-sm" data-testid="save-filter" disabled={!saveName.trim() || !hasAnyFilter(filters)}>
          Save
        </button>
        {saved.saved.map((f) => (
          <span key={f.name} className={styles.chip}>
            {f.name}
            <button type="button" className="btn btn-ghost btn-sm" aria-label={`Delete saved filter ${f.name}`} onClick={() => saved.remove(f.name)}>
              ×
            </button>
          </span>
        ))}
      </form>
    </div>
  );
}
