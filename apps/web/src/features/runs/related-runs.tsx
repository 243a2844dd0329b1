'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { StatusPill } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { formatRelative, shortId, versionLabel } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import styles from './run-detail.module.css';

interface RelatedItem {
  id: string;
  status: string;
  workflowName: string;
  version: number;
  createdAt: Date;
  businessKeys: string[];
}

/**
 * The run's original (if it is a replay), its replays and the other runs that touched one of its
 * business keys, and the run that called it or the runs it called (workflow.call).
 */
export function RelatedRuns({ id, live }: { id: string; live: boolean }) {
  const trpc = useTRPC();
  const related = useQuery(trpc.runs.related.queryOptions({ id }, { refetchInterval: live ? 3000 : 10_000 }));
  if (related.isPending) return null;
  if (related.isError) return <div className="banner banner-error">Could not load related runs: {errorMessage(related.error)}</div>;
  const { replayOf, replays, sameKey, parent, children } = related.data;
  const empty = !replayOf && replays.length === 0 && sameKey.length === 0 && !parent && children.length === 0;
  return (
    <section className={`card ${styles.related}`} data-testid="related-runs">
      <h2>Related runs</h2>
      {empty && <div className="faint">No replays, no calls, and no other run shares this run’s business keys.</div>}
      {replayOf && <Group title="Replay of" testId="related-replay-of" items={[replayOf]} />}
      {replays.length > 0 && <Group title="Replays" testId="related-replays" items={replays} />}
      {parent && <Group title="Called by" testId="related-parent" items={[parent]} />}
      {children.length > 0 && <Group title="Called runs" testId="related-children" items={children} />}
      {sameKey.length > 0 && <Group title="Same business key" testId="related-same-key" items={sameKey} />}
    </section>
  );
}

function Group({ title, items, testId }: { title: string; items: RelatedItem[]; testId: string }) {
  return (
    <div className={styles.relatedGroup} data-testid={testId}>
      <h4>{title}</h4>
      <ul>
        {items.map((r) => (
          <li key={r.id} data-testid="related-run" data-run-id={r.id} data-status={r.status}>
            <StatusPill status={r.status} testId="related-run-status" />
            <Link href={`/runs/${r.id}`} className="mono">
              {shortId(r.id)}
            </Link>
            <span>
              {r.workflowName} <span className="faint">{versionLabel(r.version)}</span>
            </span>
            <span className="faint mono">{r.businessKeys.join(', ')}</span>
            <span className="faint">{formatRelative(r.createdAt)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
