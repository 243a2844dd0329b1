const KNOWN = new Set(['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'retrying', 'compensated', 'compensation_failed']);

/** Run and step statuses as coloured pills; unknown statuses still render, in the neutral colour. */
export function StatusPill({ status, testId = 'status-pill' }: { status: string; testId?: string }) {
  const tone = status === 'retrying' ? 'waiting' : status;
  return (
    <span className={KNOWN.has(status) ? `pill pill-${tone}` : 'pill'} data-testid={testId} data-status={status}>
      {status.replace(/_/g, ' ')}
    </span>
  );
}

export const ACTIVE_RUN_STATUSES: ReadonlySet<string> = new Set(['queued', 'running', 'waiting']);
