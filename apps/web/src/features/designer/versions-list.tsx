'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useToast } from '@/components/toast';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import styles from './designer.module.css';

export interface VersionSummary {
  id: string;
  version: number;
  note: string;
  publishedAt: Date | string;
}

/** `'draft'` compares against the canvas as it is now. */
export type CompareSide = number | 'draft';

interface VersionsListProps {
  workflowId: string;
  versions: readonly VersionSummary[];
  activeVersionId: string | null;
  onCompare: (before: CompareSide, after: CompareSide) => void;
  /** After a rollback: offer to load the new active version into the draft. */
  onRolledBack: (version: number) => void;
}

/**
 * Version history with notes. Pick two entries (the draft counts) to see their differences on a
 * canvas; roll back publishes an old version's graph as a new version.
 */
export function VersionsList({ workflowId, versions, activeVersionId, onCompare, onRolledBack }: VersionsListProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [picked, setPicked] = useState<CompareSide[]>([]);
  const [confirming, setConfirming] = useState<number | null>(null);
  const rollback = useMutation(trpc.workflows.rollback.mutationOptions());

  if (versions.length === 0)
    return (
      <p className="muted" data-testid="versions-empty">
        Not published yet. Publishing freezes the current draft as version 1; runs always use the active version.
      </p>
    );

  const toggle = (side: CompareSide) =>
    setPicked((p) => (p.includes(side) ? p.filter((s) => s !== side) : [...p.slice(-1), side]));
  const ordered = [...picked].sort((a, b) => order(a) - order(b));

  const doRollback = async (version: number) => {
    try {
      const result = await rollback.mutateAsync({ id: workflowId, version });
      setConfirming(null);
      toast(`Published v${result.version}: a copy of v${version}, now live`, 'success');
      await Promise.all([
        queryClient.invalidateQueries(trpc.workflows.get.queryFilter({ id: workflowId })),
        queryClient.invalidateQueries(trpc.workflows.list.queryFilter()),
      ]);
      onRolledBack(result.version);
    } catch (error) {
      toast(`Not rolled back: ${errorMessage(error)}`, 'error');
    }
  };

  return (
    <>
      <div className={styles.compareBar}>
        <span className="hint">{picked.length < 2 ? `Pick ${2 - picked.length} more to compare` : `Compare ${sideLabel(ordered[0]!)} with ${sideLabel(ordered[1]!)}`}</span>
        <button
          type="button"
          className="btn btn-sm btn-primary"
          data-testid="compare-versions"
          disabled={picked.length !== 2}
          onClick={() => {
            onCompare(ordered[0]!, ordered[1]!);
            setPicked([]);
          }}
        >
          Compare
        </button>
      </div>
      <ol className={styles.versions} data-testid="version-list">
        <li className={styles.version} data-testid="version-draft">
          <label className={styles.versionPick}>
            <input type="checkbox" data-testid="compare-pick-draft" checked={picked.includes('draft')} onChange={() => toggle('draft')} />
            <strong>Draft</strong>
            <span className="faint">the canvas now</span>
          </label>
        </li>
        {versions.map((v) => (
          <li key={v.id} className={styles.version} data-testid="version-item" data-version={v.version}>
            <div className="row">
              <label className={styles.versionPick}>
                <input
                  type="checkbox"
                  data-testid={`compare-pick-${v.version}`}
                  aria-label={`Compare v${v.version}`}
                  checked={picked.includes(v.version)}
                  onChange={() => toggle(v.version)}
                />
                <strong>v{v.version}</strong>
              </label>
              {v.id === activeVersionId && <span className="pill pill-succeeded">active</span>}
              <span className={`faint ${styles.pushRight}`} title={formatDateTime(v.publishedAt)}>
                {formatRelative(v.publishedAt)}
              </span>
            </div>
            {v.note ? <div className={styles.versionNote}>{v.note}</div> : <div className="faint">No note</div>}
            {v.id !== activeVersionId &&
              (confirming === v.version ? (
                <div className={styles.confirm} data-testid="rollback-confirm-box">
                  <span>Publish v{v.version}&apos;s graph as a new version and make it live?</span>
                  <div className="row">
                    <button
                      type="button"
                      className="btn btn-sm btn-primary"
                      data-testid="rollback-confirm"
                      disabled={rollback.isPending}
                      onClick={() => void doRollback(v.version)}
                    >
                      {rollback.isPending ? 'Publishing…' : 'Roll back'}
                    </button>
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </div>
                </div>
              ) : (
                <button type="button" className={`btn btn-sm btn-ghost ${styles.rollback}`} data-testid={`rollback-${v.version}`} onClick={() => setConfirming(v.version)}>
                  ↺ Roll back to v{v.version}
                </button>
              ))}
          </li>
        ))}
      </ol>
      <Link href={`/runs?workflow=${workflowId}`}>Runs of this workflow →</Link>
    </>
  );
}

function order(side: CompareSide): number {
  return side === 'draft' ? Number.MAX_SAFE_INTEGER : side;
}

export function sideLabel(side: CompareSide): string {
  return side === 'draft' ? 'the draft' : `v${side}`;
}
