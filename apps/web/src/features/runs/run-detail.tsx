'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Fragment, useState } from 'react';
import { JsonView } from '@/components/json-view';
import { ACTIVE_RUN_STATUSES, StatusPill } from '@/components/status-pill';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatDuration, formatTime, versionLabel } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { RelatedRuns } from './related-runs';
import { RunActions } from './run-actions';
import { RunCanvas } from './run-canvas';
import { errorNodeId, httpRequestOf, nodeLabelsOf, stepErrorMessage, truncatedBytes } from './run-graph';
import styles from './run-detail.module.css';

const REFRESH_MS = 1500;

export function RunDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery(
    trpc.runs.get.queryOptions(
      { id },
      { refetchInterval: (query) => (query.state.data && ACTIVE_RUN_STATUSES.has(query.state.data.status) ? REFRESH_MS : false) },
    ),
  );
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());

  if (run.isPending) return <div className="empty">Loading run…</div>;
  if (run.isError)
    return (
      <div className="page">
        <div className="banner banner-error" data-testid="run-error-banner">
          Could not load this run: {errorMessage(run.error)}
        </div>
        <p>
          <Link href="/runs">Back to runs</Link>
        </p>
      </div>
    );

  const r = run.data;
  const labels = nodeLabelsOf(r.graph);
  const toggle = (stepId: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(stepId)) next.delete(stepId);
      else next.add(stepId);
      return next;
    });
  const runError = stepErrorMessage(r.error);
  const span = timelineSpan(r);
  const failedNode = errorNodeId(r.error);

  return (
    <div className="page">
      <div className={styles.crumbs}>
        <Link href="/runs">Runs</Link> / <span className="mono">{r.id}</span>
      </div>
      <div className="page-header">
        <div className="row">
          <h1>
            Run of <Link href={`/workflows/${r.workflowId}`}>{r.workflowName}</Link>
          </h1>
          <StatusPill status={r.status} testId="run-status" />
        </div>
        <div className="row">
          <RunActions run={r} labels={labels} />
          <Link className="btn" href={`/runs?workflow=${r.workflowId}`}>
            All runs of this workflow
          </Link>
        </div>
      </div>

      {runError && (
        <div className={`banner banner-error ${styles.error}`} data-testid="run-error">
          {failedNode && <strong>{labels.get(failedNode)?.label ?? failedNode} failed: </strong>}
          {runError}
        </div>
      )}

      <section className={`card ${styles.summary}`} data-testid="run-summary">
        <dl className={styles.grid}>
          <Item label="Status">
            <StatusPill status={r.status} />
          </Item>
          <Item label="Workflow">
            <Link href={`/workflows/${r.workflowId}`}>{r.workflowName}</Link>
          </Item>
          <Item label="Version">{versionLabel(r.version)}</Item>
          <Item label="Trigger">{r.trigger}</Item>
          <Item label="Correlation id" mono testId="run-correlation-id">
            <Link href={`/runs?q=${encodeURIComponent(r.correlationId)}`}>{r.correlationId}</Link>
          </Item>
          <Item label="Idempotency key" mono>
            {r.idempotencyKey ?? <span className="faint">none</span>}
          </Item>
          <Item label="Business keys" mono testId="run-business-keys">
            {r.businessKeys.length === 0 ? (
              <span className="faint">none</span>
            ) : (
              r.businessKeys.map((key, i) => (
                <Fragment key={key}>
                  {i > 0 && ', '}
                  <Link href={`/runs?q=${encodeURIComponent(key)}`}>{key}</Link>
                </Fragment>
              ))
            )}
          </Item>
          {r.replayOfId && (
            <Item label="Replay of" mono>
              <Link href={`/runs/${r.replayOfId}`}>{r.replayOfId.slice(0, 8)}</Link>
            </Item>
          )}
          {r.parentRunId && (
            <Item label="Called by" mono>
              <Link href={`/runs/${r.parentRunId}`}>{r.parentRunId.slice(0, 8)}</Link>
            </Item>
          )}
          <Item label="Created">{formatDateTime(r.createdAt)}</Item>
          <Item label="Started">{formatDateTime(r.startedAt)}</Item>
          <Item label="Finished">{formatDateTime(r.finishedAt)}</Item>
          <Item label="Duration">{formatDuration(r.durationMs)}</Item>
          <Item label="Worker claims" title="How often a worker picked this run up: more than once after a retry wait, a timer or a crashed worker">
            {r.attempts}
          </Item>
        </dl>
      </section>

      <section className={`card ${styles.canvasCard}`}>
        <h2>Path through {versionLabel(r.version)}</h2>
        <RunCanvas graph={r.graph} steps={r.steps} runStatus={r.status} />
      </section>

      <RelatedRuns id={r.id} live={ACTIVE_RUN_STATUSES.has(r.status)} />

      <div className={styles.payloads}>
        <section className={`card ${styles.block}`}>
          <h3>Trigger payload</h3>
          <JsonView value={r.triggerPayload} testId="run-payload" />
        </section>
        <section className={`card ${styles.block}`}>
          <h3>Result</h3>
          <JsonView value={r.result} testId="run-result" empty={ACTIVE_RUN_STATUSES.has(r.status) ? 'not finished yet' : 'no result'} />
        </section>
        {r.error != null && (
          <section className={`card ${styles.block}`}>
            <h3>Error</h3>
            <JsonView value={r.error} testId="run-error-json" />
          </section>
        )}
      </div>

      <section className="card">
        <div className={styles.stepsHeader}>
          <h2>Steps</h2>
          <span className="muted">{r.steps.length} attempt{r.steps.length === 1 ? '' : 's'}</span>
        </div>
        <table className="table" data-testid="steps-table">
          <thead>
            <tr>
              <th aria-label="Expand" />
              <th>Node</th>
              <th>Attempt</th>
              <th>Status</th>
              <th>Port</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Retry</th>
              <th title="Each attempt on the run's time axis; a dashed line is the delay before its retry">Timeline</th>
            </tr>
          </thead>
          <tbody>
            {r.steps.map((step) => {
              const expanded = open.has(step.id);
              const node = labels.get(step.nodeId);
              const message = stepErrorMessage(step.error);
              return (
                <Fragment key={step.id}>
                  <tr
                    className={styles.stepRow}
                    data-testid="step-row"
                    data-node-id={step.nodeId}
                    data-status={step.status}
                    onClick={() => toggle(step.id)}
                  >
                    <td>
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        aria-expanded={expanded}
                        aria-label={expanded ? 'Hide details' : 'Show details'}
                        data-testid="step-toggle"
                        onClick={(e) => {
                          e.stopPropagation();
                          toggle(step.id);
                        }}
                      >
                        {expanded ? '▾' : '▸'}
                      </button>
                    </td>
                    <td>
                      <div className={styles.nodeLabel}>{node?.label ?? step.nodeId}</div>
                      <div className="faint mono">
                        {step.nodeId}
                        {node?.kind ? ` · ${node.kind}` : ''}
                      </div>
                      {message && <div className={styles.stepError}>{message}</div>}
                    </td>
                    <td>#{step.attempt}</td>
                    <td>
                      <StatusPill status={step.status} testId="step-status" />
                    </td>
                    <td className="mono">{step.port ?? '—'}</td>
                    <td className="mono" title={formatDateTime(step.startedAt)}>
                      {formatTime(step.startedAt)}
                    </td>
                    <td>{formatDuration(step.durationMs)}</td>
                    <td className="mono" title={step.retryAt ? formatDateTime(step.retryAt) : undefined}>
                      {step.retryAt ? formatTime(step.retryAt) : '—'}
                    </td>
                    <td>
                      <TimelineBar step={step} span={span} />
                    </td>
                  </tr>
                  {expanded && (
                    <tr className={styles.detailRow} data-testid="step-details">
                      <td />
                      <td colSpan={8}>
                        <div className={styles.detailGrid}>
                          <div>
                            <div className={styles.detailTitle}>Input</div>
                            <PayloadView value={step.input} testId="step-input" />
                          </div>
                          <div>
                            <div className={styles.detailTitle}>Output</div>
                            <PayloadView value={step.output} testId="step-output" empty="no output" />
                          </div>
                          {step.error != null && (
                            <div>
                              <div className={styles.detailTitle}>Error</div>
                              <PayloadView value={step.error} testId="step-error" />
                            </div>
                          )}
                        </div>
                        <HttpExchange graph={r.graph} nodeId={step.nodeId} output={step.output} />
                        <div className="faint mono">idempotency key: {step.idempotencyKey}</div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        {r.steps.length === 0 && (
          <div className="empty">{ACTIVE_RUN_STATUSES.has(r.status) ? 'Waiting for a worker to start this run…' : 'This run recorded no steps.'}</div>
        )}
      </section>
    </div>
  );
}

function Item({ label, children, mono, testId, title }: { label: string; children: React.ReactNode; mono?: boolean; testId?: string; title?: string }) {
  return (
    <div className={styles.item} title={title}>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

interface TimedStep {
  startedAt: Date;
  finishedAt: Date;
  retryAt: Date | null;
  status: string;
}

/** The run's time axis: from its creation to its end (or now, while live), stretched to cover every attempt and retry delay. */
function timelineSpan(r: { createdAt: Date; finishedAt: Date | null; steps: readonly TimedStep[] }): { from: number; ms: number } {
  const from = r.createdAt.getTime();
  let to = r.finishedAt?.getTime() ?? Date.now();
  for (const s of r.steps) to = Math.max(to, s.finishedAt.getTime(), s.retryAt?.getTime() ?? 0);
  return { from, ms: Math.max(1, to - from) };
}

function TimelineBar({ step, span }: { step: TimedStep; span: { from: number; ms: number } }) {
  const pct = (t: number) => `${Math.min(100, Math.max(0, ((t - span.from) / span.ms) * 100))}%`;
  const start = step.startedAt.getTime();
  const end = step.finishedAt.getTime();
  const width = `${Math.max(0, ((end - start) / span.ms) * 100)}%`;
  return (
    <div className={styles.timeline} data-testid="step-timeline">
      <div className={styles.timelineBar} data-status={step.status} style={{ left: pct(start), width }} />
      {step.retryAt && (
        <div className={styles.timelineWait} style={{ left: pct(end), width: `${Math.max(0, ((step.retryAt.getTime() - end) / span.ms) * 100)}%` }} />
      )}
    </div>
  );
}

/** A recorded value, or, where history did not keep it (too large), a note saying so and how large it was. */
function PayloadView({ value, testId, empty }: { value: unknown; testId: string; empty?: string }) {
  const bytes = truncatedBytes(value);
  if (bytes === null) return <JsonView value={value} testId={testId} empty={empty} />;
  return (
    <div className={styles.truncated} data-testid={testId} data-truncated="true">
      Not kept in run history: {formatBytes(bytes)} is over the size limit for one recorded value.
    </div>
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** For http.request steps: the request as the pinned version sends it (secrets redacted) and the response the step recorded. */
function HttpExchange({ graph, nodeId, output }: { graph: unknown; nodeId: string; output: unknown }) {
  const request = httpRequestOf(graph, nodeId);
  if (!request) return null;
  const response = output && typeof output === 'object' && truncatedBytes(output) === null ? (output as { status?: unknown; headers?: unknown }) : null;
  return (
    <div className={styles.detailGrid} data-testid="step-http">
      <div>
        <div className={styles.detailTitle}>HTTP request</div>
        <pre className="mono" data-testid="step-http-request">
          {`${request.method} ${request.url}\n${request.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}`}
        </pre>
      </div>
      <div>
        <div className={styles.detailTitle}>HTTP response</div>
        {response && typeof response.status === 'number' ? (
          <pre className="mono" data-testid="step-http-response">
            {`${response.status}\n${Object.entries((response.headers ?? {}) as Record<string, unknown>)
              .map(([k, v]) => `${k}: ${String(v)}`)
              .join('\n')}`}
          </pre>
        ) : (
          <div className="faint">no response recorded (see the error)</div>
        )}
      </div>
    </div>
  );
}

