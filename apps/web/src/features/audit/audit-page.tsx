'use client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Fragment, useMemo, useState } from 'react';
import { JsonView } from '@/components/json-view';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { auditFiltersToParams, changedFields, parseAuditFilters, toAuditListInput, type AuditFilters } from './audit-filters';
import styles from './audit.module.css';

const PAGE_SIZE = 50;

/** Who changed which configuration, when, and how: the tenant's audit log, filterable, newest first. */
export function AuditPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const filters = useMemo(() => parseAuditFilters(new URLSearchParams(query)), [query]);
  const input = useMemo(() => toAuditListInput(filters), [filters]);
  const [entityDraft, setEntityDraft] = useState(filters.entityId ?? '');
  const [open, setOpen] = useState<string | null>(null);

  const facets = useQuery(trpc.audit.facets.queryOptions());
  const log = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions({ ...input, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.next ?? undefined }));
  const items = useMemo(() => log.data?.pages.flatMap((p) => p.items) ?? [], [log.data]);

  const set = (next: AuditFilters) => {
    const qs = auditFiltersToParams(next).toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname);
  };
  const pick = (key: keyof AuditFilters) => (e: React.ChangeEvent<HTMLSelectElement | HTMLInputElement>) => set({ ...filters, [key]: e.target.value || undefined });
  const anyFilter = Object.keys(filters).length > 0;

  return (
    <div className="page">
      <div className="page-header">
        <h1>Audit log</h1>
      </div>
      <p className="muted">Every change to this tenant&apos;s configuration, written in the same transaction as the change: who, when, what, and the values before and after. Secrets never appear here.</p>

      <div className={`card ${styles.filters}`} data-testid="audit-filters">
        <label className={styles.filter}>
          <span className="label">Action</span>
          <select className="select" data-testid="audit-filter-action" value={filters.action ?? ''} onChange={pick('action')}>
            <option value="">All actions</option>
            {facets.data?.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.filter}>
          <span className="label">Entity type</span>
          <select className="select" data-testid="audit-filter-entity-type" value={filters.entityType ?? ''} onChange={pick('entityType')}>
            <option value="">All types</option>
            {facets.data?.entityTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.filter}>
          <span className="label">Actor</span>
          <select className="select" data-testid="audit-filter-actor" value={filters.actor ?? ''} onChange={pick('actor')}>
            <option value="">Anyone</option>
            {facets.data?.actors.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <form
          className={styles.filter}
          onSubmit={(e) => {
            e.preventDefault();
            set({ ...filters, entityId: entityDraft.trim() || undefined });
          }}
        >
          <label className="label" htmlFor="audit-entity-id">
            Entity id
          </label>
          <input id="audit-entity-id" className="input mono" data-testid="audit-filter-entity-id" value={entityDraft} placeholder="id, then Enter" onChange={(e) => setEntityDraft(e.target.value)} />
        </form>
        <label className={styles.filter}>
          <span className="label">From</span>
          <input type="date" className="input" data-testid="audit-filter-from" value={filters.from ?? ''} onChange={pick('from')} />
        </label>
        <label className={styles.filter}>
          <span className="label">To</span>
          <input type="date" className="input" data-testid="audit-filter-to" value={filters.to ?? ''} onChange={pick('to')} />
        </label>
        {anyFilter && (
          <button
            type="button"
            className="btn btn-ghost"
            data-testid="audit-clear"
            onClick={() => {
              setEntityDraft('');
              set({});
            }}
          >
            Clear filters
          </button>
        )}
      </div>

      {log.isError && <div className="banner banner-error">Could not load the audit log: {errorMessage(log.error)}</div>}

      <section className="card">
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Entity</th>
              <th>Changed</th>
              <th aria-label="Details" />
            </tr>
          </thead>
          <tbody>
            {items.map((e) => {
              const changed = changedFields(e.before, e.after);
              const isOpen = open === e.id;
              return (
                <Fragment key={e.id}>
                  <tr data-testid="audit-row" data-action={e.action} data-entity-id={e.entityId}>
                    <td className={styles.when} title={formatDateTime(e.at)}>
                      {formatDateTime(e.at)} <span className="faint">({formatRelative(e.at)})</span>
                    </td>
                    <td className="mono">{e.actor}</td>
                    <td className={`mono ${styles.action}`}>{e.action}</td>
                    <td className={styles.entity} title={`${e.entityType} ${e.entityId}`}>
                      <span className="muted">{e.entityType}</span>{' '}
                      <button type="button" className="btn btn-ghost btn-sm mono" title="Show only this entity" onClick={() => (setEntityDraft(e.entityId), set({ ...filters, entityId: e.entityId }))}>
                        {e.entityId.length > 14 ? `${e.entityId.slice(0, 8)}…` : e.entityId}
                      </button>
                    </td>
                    <td className={styles.changes} data-testid="audit-changed">
                      {changed.slice(0, 6).map((k) => (
                        <span key={k} className={styles.changed}>
                          {k}
                        </span>
                      ))}
                      {changed.length > 6 && <span className="faint">+{changed.length - 6} more</span>}
                    </td>
                    <td>
                      <button type="button" className="btn btn-sm" data-testid="audit-toggle" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? null : e.id)}>
                        {isOpen ? 'Hide' : 'Before / after'}
                      </button>
                    </td>
                  </tr>
                  {isOpen && (
                    <tr className={styles.detailRow} data-testid="audit-detail">
                      <td colSpan={6}>
                        <div className={styles.sides}>
                          <div>
                            <h3>Before</h3>
                            <JsonView value={e.before} testId="audit-before" empty="nothing (created)" />
                          </div>
                          <div>
                            <h3>After</h3>
                            <JsonView value={e.after} testId="audit-after" empty="nothing (deleted)" />
                          </div>
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        {log.isSuccess && items.length === 0 && (
          <div className="empty" data-testid="audit-empty">
            {anyFilter ? 'No changes match these filters.' : 'No configuration changes yet.'}
          </div>
        )}
        {log.hasNextPage && (
          <div className={styles.more}>
            <button type="button" className="btn" data-testid="audit-more" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {log.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
