'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { StatusPill } from '@/components/status-pill';
import { formatDateTime, formatDuration, formatRelative, shortId, versionLabel } from '@/lib/format';
import styles from './runs.module.css';

export interface RunRow {
  id: string;
  status: string;
  workflowName: string;
  version: number;
  trigger: string;
  correlationId: string;
  businessKeys: string[];
  replayOfId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  durationMs: number | null;
}

const ROW_HEIGHT = 44;
/** Start fetching the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 15;

/**
 * The runs table, virtualised: only the rows in view (plus a few) are in the DOM, so a tenant with
 * thousands of loaded runs scrolls as smoothly as one with ten. Reaching the end loads the next
 * keyset page.
 */
export function RunsTable({
  items,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  placeholder,
}: {
  items: RunRow[];
  /** Shown inside the scroll area while there are no rows (loading, empty). */
  placeholder?: React.ReactNode;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows[virtualRows.length - 1]?.index ?? -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= items.length - PREFETCH_ROWS) fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div className={styles.table} role="table" aria-label="Runs" data-testid="runs-table" data-count={items.length}>
      <div className={`${styles.row} ${styles.head}`} role="row">
        <span role="columnheader">Status</span>
        <span role="columnheader">Run</span>
        <span role="columnheader">Workflow</span>
        <span role="columnheader">Trigger</span>
        <span role="columnheader">Keys</span>
        <span role="columnheader">Correlation id</span>
        <span role="columnheader">Received</span>
        <span role="columnheader">Duration</span>
      </div>
      <div ref={scrollRef} className={styles.scroll} data-testid="runs-scroll">
        {items.length === 0 && placeholder}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualRows.map((v) => {
            const run = items[v.index]!;
            return (
              <div
                key={run.id}
                role="row"
                className={styles.row}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                data-testid="run-row"
                data-run-id={run.id}
                data-status={run.status}
              >
                <span role="cell">
                  <StatusPill status={run.status} testId="run-row-status" />
                </span>
                <span role="cell">
                  <Link href={`/runs/${run.id}`} className="mono" data-testid="run-link">
                    {shortId(run.id)}
                  </Link>
                  {run.replayOfId && (
                    <span className={styles.tag} title={`Replay of ${run.replayOfId}`}>
                      replay
                    </span>
                  )}
                </span>
                <span role="cell" className={styles.ellipsis}>
                  <span className={styles.wfName}>{run.workflowName}</span> <span className="faint">{versionLabel(run.version)}</span>
                </span>
                <span role="cell" className="muted">
                  {run.trigger}
                </span>
                <span role="cell" className={`mono ${styles.ellipsis}`} title={run.businessKeys.join(', ')}>
                  {run.businessKeys.join(', ') || <span className="faint">—</span>}
                </span>
                <span role="cell" className={`mono ${styles.ellipsis} ${styles.corr}`} title={run.correlationId}>
                  {run.correlationId}
                </span>
                <span role="cell" title={formatDateTime(run.createdAt)}>
                  {formatRelative(run.createdAt)}
                </span>
                <span role="cell">{formatDuration(run.durationMs)}</span>
              </div>
            );
          })}
        </div>
        {isFetchingNextPage && <div className="empty">Loading more…</div>}
      </div>
    </div>
  );
}
