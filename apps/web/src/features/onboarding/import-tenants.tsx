'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { STEPS, type ImportReport } from './types';
import styles from './onboarding.module.css';

const EXAMPLE_CSV = `name,slug,region,timeZone,baseCurrency,erp,connections.erp.baseUrl,connections.erp.config.authMethod,connections.erp.credentials.username,connections.erp.credentials.password,policies.retentionDays,workflows
Initech GmbH,initech,eu,Europe/Berlin,EUR,sap,https://my-s4.example.com,basic,COMM_USER,…,90,invoice-sync
Hooli Ltd,hooli,uk,Europe/London,GBP,,,,,…,,
`;

const stepLabel = (step: string | null) => (step === 'file' ? 'File' : (STEPS.find((s) => s.id === step)?.label ?? ''));

/**
 * Many tenants from one CSV or JSON file: "Check" runs every row through the wizard's checks and
 * creates nothing; "Import" takes each valid row live in the wizard's one transaction (a bad row
 * creates nothing) and reports per row, with the signing secrets shown once.
 */
export function ImportTenants() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<{ name: string; format: 'csv' | 'json'; content: string } | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const run = useMutation(
    trpc.onboarding.importTenants.mutationOptions({
      onSuccess: (r) => {
        if (!r.dryRun) void queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() });
      },
    }),
  );
  const report = run.data;

  const choose = async (chosen: File | undefined) => {
    run.reset();
    setReadError(null);
    setFile(null);
    if (!chosen) return;
    const format = /\.json$/i.test(chosen.name) ? 'json' : /\.csv$/i.test(chosen.name) ? 'csv' : null;
    if (!format) return setReadError(`"${chosen.name}" is neither a .csv nor a .json file`);
    if (chosen.size > 1_000_000) return setReadError(`"${chosen.name}" is larger than 1 MB; split it`);
    setFile({ name: chosen.name, format, content: await chosen.text() });
  };
  const start = (dryRun: boolean) => file && run.mutate({ format: file.format, content: file.content, dryRun, sendTestEvents: true });

  return (
    <div className="page" data-testid="import-tenants">
      <div className="page-header">
        <div>
          <h1 style={{ margin: 0 }}>Import tenants</h1>
          <p className="muted" style={{ margin: '4px 0 0' }}>
            One tenant per CSV row or JSON object, checked exactly like the wizard (connections are called). Each tenant is created whole or not at all. <Link href="/onboarding">Back to onboarding</Link>
          </p>
        </div>
      </div>
      <div className="card" style={{ padding: 16 }}>
        <div className="row" style={{ gap: 8, flexWrap: 'wrap' }}>
          <input type="file" accept=".csv,.json,text/csv,application/json" aria-label="Tenants file" data-testid="import-file" onChange={(e) => void choose(e.target.files?.[0])} />
          <button type="button" className="btn" data-testid="import-check" disabled={!file || run.isPending} onClick={() => start(true)}>
            {run.isPending && run.variables?.dryRun ? 'Checking…' : 'Check file'}
          </button>
          <button type="button" className="btn btn-primary" data-testid="import-run" disabled={!file || run.isPending || report?.dryRun === false} onClick={() => start(false)}>
            {run.isPending && !run.variables?.dryRun ? 'Importing and sending test events…' : report?.dryRun && report.summary.ready > 0 ? `Import ${report.summary.ready} valid tenant${report.summary.ready === 1 ? '' : 's'}` : 'Import'}
          </button>
        </div>
        {readError && <div className="banner banner-error" style={{ marginTop: 10 }}>{readError}</div>}
        {run.error && <div className="banner banner-error" style={{ marginTop: 10 }}>{errorMessage(run.error)}</div>}
        <details style={{ marginTop: 12 }}>
          <summary className="muted">Columns</summary>
          <p className="muted" style={{ fontSize: 13 }}>
            <span className="mono">name, slug, region, timeZone, baseCurrency</span>; <span className="mono">copyFrom</span> (a live tenant whose configuration, never its credentials, is the start);{' '}
            <span className="mono">erp</span> (netsuite, business-central, sap, workday, oracle-fusion); <span className="mono">connections.&lt;erp|back-office|rest&gt;.&lt;name|baseUrl|config.X|credentials.X&gt;</span>;{' '}
            <span className="mono">lookups.&lt;table&gt;.&lt;code&gt;</span> (otherwise the ERP’s suggestions, as in the wizard); <span className="mono">policies.&lt;setting&gt;</span>;{' '}
            <span className="mono">workflows</span> (template ids separated by “;”, default invoice-sync) and <span className="mono">workflows.&lt;template&gt;.&lt;variable&gt;</span>. Empty cells mean “not given”. JSON: a list of objects with the same keys, nested or dotted.
          </p>
          <pre className={styles.pre}>{EXAMPLE_CSV}</pre>
        </details>
      </div>
      {report && <ImportResult report={report} fileName={file?.name ?? ''} />}
    </div>
  );
}

function ImportResult({ report, fileName }: { report: ImportReport; fileName: string }) {
  const { summary } = report;
  return (
    <div className="card" style={{ padding: 16, marginTop: 16 }} data-testid="import-report">
      <h2 className={styles.sectionTitle}>
        {report.dryRun ? 'Check of' : 'Import of'} {fileName}
      </h2>
      {report.fileIssues.map((i) => (
        <div key={i.message} className="banner banner-error" role="alert">
          {i.message}
        </div>
      ))}
      {summary.total > 0 && (
        <p data-testid="import-summary">
          {summary.total} tenant{summary.total === 1 ? '' : 's'}: {report.dryRun ? `${summary.ready} ready to import` : `${summary.live} live`}, {summary.rejected} with problems
          {summary.rejected > 0 ? (report.dryRun ? ' (fix them in the file; the valid ones can be imported now)' : ' (nothing was created for them)') : ''}.
        </p>
      )}
      {!report.dryRun && summary.live > 0 && <div className="banner banner-warning">Copy the signing secrets now: they are shown only once.</div>}
      {report.rows.length > 0 && (
        <table className="table" data-testid="import-rows">
          <thead>
            <tr>
              <th>Row</th>
              <th>Tenant</th>
              <th>Result</th>
              <th>Step to fix</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={r.row} data-testid={`import-row-${r.row}`} data-status={r.status}>
                <td>{r.row}</td>
                <td>
                  {r.status === 'live' ? <Link href={`/tenants/${r.slug}`}>{r.name}</Link> : r.name || '—'} <span className="mono faint">{r.slug}</span>
                </td>
                <td>
                  <span className={r.status === 'rejected' ? styles.bad : styles.ok}>{r.status === 'live' ? '✓ live' : r.status === 'ready' ? '✓ ready' : '✗ not imported'}</span>
                </td>
                <td>{stepLabel(r.step)}</td>
                <td>
                  {r.issues.length > 0 && (
                    <ul style={{ margin: 0, paddingLeft: 16 }}>
                      {r.issues.map((i) => (
                        <li key={`${i.field}|${i.message}`}>
                          <span className="mono">{i.field}</span>: {i.message}
                        </li>
                      ))}
                    </ul>
                  )}
                  {r.activated?.webhookEndpoints.map((e) => (
                    <div key={e.workflowId} className="mono" style={{ fontSize: 12 }}>
                      POST /api/hooks/{r.slug}/{e.path} · <span data-testid="import-secret">{e.secret}</span>
                    </div>
                  ))}
                  {r.testEvent && (
                    <div className={r.testEvent.ok ? styles.ok : styles.bad} data-testid="import-test-event">
                      Test event {r.testEvent.ok ? 'succeeded' : 'failed'} (HTTP {r.testEvent.status}
                      {r.testEvent.runStatus ? `, run ${r.testEvent.runStatus}` : ''})
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
