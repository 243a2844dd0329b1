'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { ACTIVE_RUN_STATUSES } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { RunsFilterBar } from './runs-filter-bar';
import { hasAnyFilter, parseRunFilters, runFiltersToParams, toListInput, type RunFilters } from './runs-filters';
import { RunsTable } from './runs-table';

const PAGE_SIZE = 50;
const REFRESH_MS = 2000;

interface Page {
  items: { status: string }[];
}
/** Poll only while something shown can still change; finished runs are immutable. */
const pollWhileLive = (query: { state: { data?: { pages: Page[] } } }) =>
  query.state.data?.pages.some((p) => p.items.some((r) => ACTIVE_RUN_STATUSES.has(r.status))) ? REFRESH_MS : false;

export function RunsList() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const query = searchParams.toString();
  const filters = useMemo(() => parseRunFilters(new URLSearchParams(query)), [query]);
  // A relative range ("last hour") is anchored when the filters change, not on every render.
  const listInput = useMemo(() => toListInput(filters, Date.now()), [filters]);
  const searching = Boolean(filters.q);

  const list = useInfiniteQuery({
    ...trpc.runs.list.infiniteQueryOptions(
      { ...listInput, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: pollWhileLive },
    ),
    enabled: !searching,
  });
  const search = useInfiniteQuery({
    ...trpc.runs.search.infiniteQueryOptions(
      { q: filters.q ?? '', limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: pollWhileLive },
    ),
    enabled: searching,
  });
  const runs = searching ? search : list;

  const setFilters = (next: RunFilters) => {
    const qs = runFiltersToParams(next).toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname);
  };
  const items = useMemo(() => runs.data?.pages.flatMap((p) => p.items) ?? [], [runs.data]);
  const anyFilter = hasAnyFilter(filters);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Runs</h1>
        {runs.isFetching && !runs.isFetchingNextPage && (
          <span className="faint" data-testid="runs-refreshing">
            Refreshing…
          </span>
        )}
      </div>

      <RunsFilterBar filters={filters} onChange={setFilters} query={query} />

      {searching && (
        <div className="banner banner-info" data-testid="runs-search-note">
          Every run of every workflow that carries <strong className="mono">{filters.q}</strong> as a correlation id, idempotency key, business key or run
          id, with their replays. Other filters do not apply to a key search.
        </div>
      )}
      {runs.isError && <div className="banner banner-error">Could not load runs: {errorMessage(runs.error)}</div>}

      <div className="card">
        <RunsTable
          items={items}
          hasNextPage={runs.hasNextPage}
          isFetchingNextPage={runs.isFetchingNextPage}
          fetchNextPage={() => void runs.fetchNextPage()}
          placeholder={
            runs.isPending ? (
              <div className="empty">Loading runs…</div>
            ) : runs.isSuccess ? (
              <div className="empty" data-testid="runs-empty">
                {searching
                  ? `No run carries the key ${filters.q}.`
                  : anyFilter
                    ? 'No runs match these filters.'
                    : 'No runs yet. Publish a workflow and call its webhook, or use “Test with payload” in the designer.'}
              </div>
            ) : null
          }
        />
      </div>
    </div>
  );
}
