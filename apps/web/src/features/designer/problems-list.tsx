'use client';
import type { GraphIssue } from '@switchyard/workflow';
import styles from './designer.module.css';

/** Every validation issue; clicking one focuses the node or connection it is about. */
export function ProblemsList({
  issues,
  labelOf,
  onFocus,
}: {
  issues: readonly GraphIssue[];
  labelOf: (nodeId: string) => string | undefined;
  onFocus: (issue: GraphIssue) => void;
}) {
  if (issues.length === 0)
    return (
      <p className={styles.noProblems} data-testid="problems-empty">
        ✓ No problems. The workflow can be published.
      </p>
    );
  return (
    <ul className={styles.problems} data-testid="problems-list">
      {issues.map((issue, i) => {
        const where = issue.nodeId ? labelOf(issue.nodeId) : issue.edgeId ? 'Connection' : 'Workflow';
        const focusable = Boolean(issue.nodeId || issue.edgeId);
        return (
          <li key={`${issue.code}-${issue.path}-${i}`}>
            <button
              type="button"
              className={styles.problem}
              data-testid="problem-item"
              data-code={issue.code}
              data-node-id={issue.nodeId}
              disabled={!focusable}
              onClick={() => onFocus(issue)}
            >
              <span className={styles.problemWhere}>{where ?? issue.nodeId}</span>
              <span className={styles.problemMessage}>{issue.message}</span>
              <span className={styles.problemCode}>{issue.code}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
