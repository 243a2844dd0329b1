'use client';
import Link from 'next/link';
import { formatDateTime, formatRelative } from '@/lib/format';
import styles from './designer.module.css';

export interface VersionSummary {
  id: string;
  version: number;
  note: string;
  publishedAt: Date | string;
}

export function VersionsList({ workflowId, versions, activeVersionId }: { workflowId: string; versions: readonly VersionSummary[]; activeVersionId: string | null }) {
  if (versions.length === 0)
    return (
      <p className="muted" data-testid="versions-empty">
        Not published yet. Publishing freezes the current draft as version 1; runs always use the active version.
      </p>
    );
  return (
    <>
      <ol className={styles.versions} data-testid="version-list">
        {versions.map((v) => (
          <li key={v.id} className={styles.version} data-testid="version-item" data-version={v.version}>
            <div className="row">
              <strong>v{v.version}</strong>
              {v.id === activeVersionId && <span className="pill pill-succeeded">active</span>}
              <span className="faint" title={formatDateTime(v.publishedAt)}>
                {formatRelative(v.publishedAt)}
              </span>
            </div>
            {v.note ? <div className={styles.versionNote}>{v.note}</div> : <div className="faint">No note</div>}
          </li>
        ))}
      </ol>
      <Link href={`/runs?workflow=${workflowId}`}>Runs of this workflow →</Link>
    </>
  );
}
