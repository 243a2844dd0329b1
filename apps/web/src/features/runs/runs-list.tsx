'use client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { ACTIVE_RUN_STATUSES, StatusPill } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { formatDuration, formatRelative, formatDateTime, shortId, versionLabel } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { parseRunFilters, RUN_STATUSES, runFiltersToParams, type RunFilters } from './runs-filters';
import styles from './runs.module.css';

const PAGE_SIZE = 25;
const REFRESH_MS = 2000;

export function RunsList() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = parseRunFilters(new URLSearchParams(searchParams.toString()));
  const [correlationDraft, setCorrelationDraft] = useState(filters.correlationId ?? '');

  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const runs = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(
      { ...filters, limit: PAGE_SIZE },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        // Poll only while something can still change; finished runs are immutable.
        refetchInterval: (query) =>
          query.state.data?.pages.some((p) => p.items.some((r) => ACTIVE_RUN_STATUSES.has(r.status))) ? REFRESH_MS : false,
      },
    ),
  );

  const setFilters = (next: RunFilters) => {
    const qs = runFiltersToParams(next).toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname);
  };
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  const anyFilter = Boolean(filters.workflowId || filters.status || filters.correlationId);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Runs</h1>
        {runs.isFetching && !runs.isFetchingNextPage && <span className="faint" data-testid="runs-refreshing">Refreshing…</span>}
      </div>

      <form
        className={`card ${styles.filters}`}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ ...filters, correlationId: correlationDraft.trim() || undefined });
        }}
      >
        <label className={styles.filter}>
          <span className="label">Workflow</span>
          <select
            className="select"
            data-testid="runs-filter-workflow"
            value={filters.workflowId ?? ''}
            onChange={(e) => setFilters({ ...filters, workflowId: e.target.value || undefined })}
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
          <span className="label">Status</span>
          <select
            className="select"
            data-testid="runs-filter-status"
            value={filters.status ?? ''}
            onChange={(e) => setFilters({ ...filters, status: (e.target.value || undefined) as RunFilters['status'] })}
          >
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className={`${styles.filter} ${styles.grow}`}>
          <span className="label">Correlation id</span>
          <input
            className="input mono"
            data-testid="runs-filter-correlation"
            value={correlationDraft}
            placeholder="Exact correlation id, then Enter"
            onChange={(e) => setCorrelationDraft(e.target.value)}
            onBlur={() => {
              if ((correlationDraft.trim() || undefined) !== filters.correlationId) setFilters({ ...filters, correlationId: correlationDraft.trim() || undefined });
            }}
          />
        </label>
        <button
          type="button"
          className="btn"
          disabled={!anyFilter}
          data-testid="runs-filter-clear"
          onClick={() => {
            setCorrelationDraft('');
            setFilters({});
          }}
        >
          Clear
        </button>
      </form>

      {runs.isError && <div className="banner banner-error">Could not load runs: {errorMessage(runs.error)}</div>}

      <div className="card">
        <table className="table" data-testid="runs-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Run</th>
              <th>Workflow</th>
              <th>Trigger</th>
              <th>Correlation id</th>
              <th>Started</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {items.map((run) => (
              <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-status={run.status}>
                <td>
                  <StatusPill status={run.status} testId="run-status" />
                </td>
                <td>
                  <Link href={`/runs/${run.id}`} className="mono" data-testid="run-link">
                    {shortId(run.id)}
                  </Link>
                </td>
                <td>
                  <span className={styles.wfName}>{run.workflowName}</span> <span className="faint">{versionLabel(run.version)}</span>
                </td>
                <td className="muted">{run.trigger}</td>
                <td className={`mono ${styles.corr}`} title={run.correlationId}>
                  {run.correlationId}
                </td>
                <td title={formatDateTime(run.createdAt)}>{formatRelative(run.startedAt ?? run.createdAt)}</td>
                <td>{formatDuration(run.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs.isPending && <div className="empty">Loading runs…</div>}
        {runs.isSuccess && items.length === 0 && (
          <div className="empty" data-testid="runs-empty">
            {anyFilter ? 'No runs match these filters.' : 'No runs yet. Publish a workflow and call its webhook, or use “Test with payload” in the designer.'}
          </div>
        )}
      </div>

      {runs.hasNextPage && (
        <div className={styles.more}>
          <button type="button" className="btn" data-testid="runs-load-more" disabled={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
            {runs.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}
