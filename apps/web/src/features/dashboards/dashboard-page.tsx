'use client';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { AppRouter } from '@switchyard/api';
import { errorMessage } from '@/lib/errors';
import { formatDuration, formatRelative } from '@/lib/format';
import { useTenant } from '@/lib/tenant';
import { useTRPC } from '@/lib/trpc';
import { DurationBars, RateLine, StackedBars, formatNumber } from './charts';
import styles from './dashboards.module.css';

type Dashboard = inferRouterOutputs<AppRouter>['dashboards']['tenant'];
const RANGES = ['1h', '6h', '24h'] as const;
type Range = (typeof RANGES)[number];
const REFRESH_MS = 10_000;

const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);

/** Per tenant or across tenants (`?scope=platform`), refreshed every 10 s. */
export function DashboardPage() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const platform = params.get('scope') === 'platform';
  const range: Range = (RANGES as readonly string[]).includes(params.get('range') ?? '') ? (params.get('range') as Range) : '1h';
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (value === null) next.delete(key);
    else next.set(key, value);
    router.replace(`${pathname}?${next.toString()}`);
  };
  const tenantDash = useQuery({ ...trpc.dashboards.tenant.queryOptions({ range }, { refetchInterval: REFRESH_MS }), enabled: !platform });
  const platformDash = useQuery({ ...trpc.dashboards.platform.queryOptions({ range }, { refetchInterval: REFRESH_MS }), enabled: platform });
  const dash = platform ? platformDash : tenantDash;

  return (
    <div className="page">
      <div className="page-header">
        <h1>{platform ? 'All tenants' : `Dashboard · ${tenant.tenants.find((t) => t.slug === tenant.slug)?.name ?? tenant.slug}`}</h1>
        <div className="row">
          <div className={styles.segmented} role="group" aria-label="Scope">
            <button type="button" className={!platform ? styles.on : undefined} data-testid="scope-tenant" onClick={() => setParam('scope', null)}>
              This tenant
            </button>
            <button type="button" className={platform ? styles.on : undefined} data-testid="scope-platform" onClick={() => setParam('scope', 'platform')}>
              All tenants
            </button>
          </div>
          <div className={styles.segmented} role="group" aria-label="Time range">
            {RANGES.map((r) => (
              <button key={r} type="button" className={r === range ? styles.on : undefined} data-testid={`range-${r}`} onClick={() => setParam('range', r)}>
                {r}
              </button>
            ))}
          </div>
        </div>
      </div>
      {dash.isError && <div className="banner banner-error">Could not load the dashboard: {errorMessage(dash.error)}</div>}
      {dash.isPending && <div className="empty">Loading…</div>}
      {dash.data && <DashboardBody d={dash.data} platform={platform} />}
    </div>
  );
}

function DashboardBody({ d, platform }: { d: Dashboard; platform: boolean }) {
  const backlog = d.tenants.reduce((n, t) => n + t.backlog, 0);
  const perMinute = d.totals.runs / ((d.to.getTime() - d.from.getTime()) / 60_000);
  const behind = d.tenants.filter((t) => t.oldestQueuedAgeMs !== null || t.backlog > 0 || t.openSlaBreaches > 0);
  return (
    <div className={styles.body} data-testid="dashboard" data-range={d.range}>
      <div className={styles.kpis}>
        <Kpi label="Runs" value={formatNumber(d.totals.runs)} hint={`${perMinute.toFixed(2)} per minute`} testId="kpi-runs" />
        <Kpi label="Success rate" value={percent(d.totals.successRate)} hint={`${d.totals.succeeded} ok · ${d.totals.failed} failed`} testId="kpi-success" tone={d.totals.successRate !== null && d.totals.successRate < 0.95 ? 'bad' : undefined} />
        <Kpi label="Retries" value={formatNumber(d.totals.retries)} hint={`of ${formatNumber(d.totals.attempts)} step attempts`} testId="kpi-retries" />
        <Kpi label="Backlog" value={formatNumber(backlog)} hint={`${d.totals.live} live in window`} testId="kpi-backlog" />
        <Kpi label="Dead letters" value={formatNumber(d.totals.deadLetters)} hint="in window" testId="kpi-dead-letters" tone={d.totals.deadLetters > 0 ? 'bad' : undefined} href="/dead-letters" />
        <Kpi label="SLA breaches" value={formatNumber(d.totals.slaBreaches)} hint="slower than the SLA policy" testId="kpi-sla" tone={d.totals.slaBreaches > 0 ? 'bad' : undefined} />
        <Kpi label="Open breakers" value={String(d.breakers.length)} hint="circuit breakers not closed" testId="kpi-breakers" tone={d.breakers.length > 0 ? 'bad' : undefined} />
      </div>

      <div className={styles.grid2}>
        <Panel title="Runs per minute" subtitle={`${d.bucketSeconds / 60}-minute buckets`}>
          <StackedBars
            testId="chart-throughput"
            unit="runs/min"
            series={[
              { name: 'succeeded', className: styles.okFill! },
              { name: 'failed', className: styles.badFill! },
              { name: 'other', className: styles.otherFill! },
            ]}
            points={d.series.map((p) => {
              const minutes = d.bucketSeconds / 60;
              return { at: p.at, values: [p.succeeded / minutes, p.failed / minutes, Math.max(0, p.runs - p.succeeded - p.failed) / minutes] };
            })}
          />
        </Panel>
        <Panel title="Success rate" subtitle="of the runs that ended, per bucket">
          <RateLine testId="chart-success" points={d.series.map((p) => ({ at: p.at, rate: p.succeeded + p.failed === 0 ? null : p.succeeded / (p.succeeded + p.failed) }))} />
        </Panel>
      </div>

      <div className={styles.grid2}>
        <Panel title={platform ? 'Which tenants are behind right now' : 'Backlog'} subtitle="oldest due queued run first">
          <table className="table" data-testid="tenants-behind">
            <thead>
              <tr>
                <th>Tenant</th>
                <th>Oldest due</th>
                <th>Queued</th>
                <th>Waiting</th>
                <th>Running</th>
                <th>SLA breaches (open)</th>
              </tr>
            </thead>
            <tbody>
              {d.tenants.map((t) => (
                <tr key={t.tenantId} data-testid="tenant-backlog" data-tenant={t.slug} className={t.oldestQueuedAgeMs !== null && t.oldestQueuedAgeMs > 60_000 ? styles.late : undefined}>
                  <td>{t.name}</td>
                  <td>{t.oldestQueuedAgeMs === null ? <span className="faint">—</span> : formatDuration(t.oldestQueuedAgeMs)}</td>
                  <td>{t.queued}</td>
                  <td>{t.waiting}</td>
                  <td>{t.running}</td>
                  <td>
                    {t.slaBreaches} ({t.openSlaBreaches})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {behind.length === 0 && <div className={styles.allClear} data-testid="all-caught-up">Every tenant is caught up.</div>}
        </Panel>
        <Panel title="Duration per workflow" subtitle="p50 / p95, received → ended">
          {d.workflows.length === 0 ? (
            <div className="empty">No runs in this window.</div>
          ) : (
            <DurationBars
              testId="chart-durations"
              rows={d.workflows.slice(0, 10).map((w) => ({ label: platform ? `${w.tenantSlug} · ${w.workflowName}` : w.workflowName, p50: w.p50Ms, p95: w.p95Ms }))}
            />
          )}
        </Panel>
      </div>

      <Panel title="Workflows" subtitle="busiest first; SLA from the workflow, tenant or platform policy">
        <table className="table" data-testid="workflow-stats">
          <thead>
            <tr>
              {platform && <th>Tenant</th>}
              <th>Workflow</th>
              <th>Runs</th>
              <th>Success</th>
              <th>p50</th>
              <th>p95</th>
              <th>SLA</th>
              <th>Breaches</th>
            </tr>
          </thead>
          <tbody>
            {d.workflows.map((w) => (
              <tr key={w.workflowId} data-testid="workflow-stat">
                {platform && <td>{w.tenantSlug}</td>}
                <td>{platform ? w.workflowName : <Link href={`/runs?workflow=${w.workflowId}`}>{w.workflowName}</Link>}</td>
                <td>{w.runs}</td>
                <td>{percent(w.successRate)}</td>
                <td>{formatDuration(w.p50Ms)}</td>
                <td>{formatDuration(w.p95Ms)}</td>
                <td>{formatDuration(w.slaSeconds * 1000)}</td>
                <td className={w.slaBreaches > 0 ? styles.badText : undefined}>{w.slaBreaches}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>

      <div className={styles.grid2}>
        <Panel title="Slowest endpoints" subtitle="p95 of http.request steps">
          <EndpointTable rows={d.slowestEndpoints} testId="slowest-endpoints" />
        </Panel>
        <Panel title="Most failing endpoints" subtitle="failed step attempts">
          <EndpointTable rows={d.failingEndpoints} testId="failing-endpoints" />
        </Panel>
      </div>

      <Panel title="Open circuit breakers" subtitle="calls to these hosts are refused until a trial call succeeds">
        {d.breakers.length === 0 ? (
          <div className={styles.allClear} data-testid="no-breakers">
            All breakers closed.
          </div>
        ) : (
          <table className="table" data-testid="open-breakers">
            <tbody>
              {d.breakers.map((b) => (
                <tr key={`${b.tenantId}:${b.host}`}>
                  <td>{b.tenantSlug}</td>
                  <td className="mono">{b.host}</td>
                  <td>{b.state.replace('_', '-')}</td>
                  <td>{b.openedAt ? `opened ${formatRelative(b.openedAt)}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}

function EndpointTable({ rows, testId }: { rows: Dashboard['slowestEndpoints']; testId: string }) {
  if (rows.length === 0) return <div className="empty">No HTTP calls in this window.</div>;
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>Host</th>
          <th>Calls</th>
          <th>Failed</th>
          <th>p50</th>
          <th>p95</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.host}>
            <td className="mono">{e.host}</td>
            <td>{e.calls}</td>
            <td className={e.failures > 0 ? styles.badText : undefined}>
              {e.failures} ({percent(e.failureRate)})
            </td>
            <td>{formatDuration(e.p50Ms)}</td>
            <td>{formatDuration(e.p95Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Panel({ title, subtitle, children }: { title: string; subtitle?: string; children: React.ReactNode }) {
  return (
    <section className={`card ${styles.panel}`}>
      <header>
        <h2>{title}</h2>
        {subtitle && <span className="faint">{subtitle}</span>}
      </header>
      {children}
    </section>
  );
}

function Kpi({ label, value, hint, testId, tone, href }: { label: string; value: string; hint: string; testId: string; tone?: 'bad'; href?: string }) {
  const body = (
    <>
      <span className={styles.kpiLabel}>{label}</span>
      <span className={`${styles.kpiValue} ${tone === 'bad' ? styles.badText : ''}`} data-testid={`${testId}-value`}>
        {value}
      </span>
      <span className="faint">{hint}</span>
    </>
  );
  return href ? (
    <Link href={href} className={`card ${styles.kpi}`} data-testid={testId}>
      {body}
    </Link>
  ) : (
    <div className={`card ${styles.kpi}`} data-testid={testId}>
      {body}
    </div>
  );
}
