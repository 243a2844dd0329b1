'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useCan } from '@/lib/session';
import { useTenant } from '@/lib/tenant';
import { useTRPC } from '@/lib/trpc';
import { NewWorkflowForm } from './new-workflow-form';
import { TemplateGallery } from './template-gallery';
import { WebhookUrl } from './webhook-url';
import styles from './workflows.module.css';

export function WorkflowList() {
  const trpc = useTRPC();
  const { slug, tenant } = useTenant();
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const canEdit = useCan('tenant_admin');
  const [browsing, setBrowsing] = useState(false);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Workflows</h1>
          <div className="muted">{tenant?.name}</div>
        </div>
        <div className="row">
          {canEdit && !browsing && (
            <button type="button" className="btn" data-testid="open-template-gallery" onClick={() => setBrowsing(true)}>
              Start from a template
            </button>
          )}
          {canEdit && !creating && (
            <button type="button" className="btn btn-primary" data-testid="new-workflow" onClick={() => setCreating(true)}>
              New workflow
            </button>
          )}
        </div>
      </div>

      {browsing && <TemplateGallery onCancel={() => setBrowsing(false)} />}
      {creating && <NewWorkflowForm onCancel={() => setCreating(false)} />}
      {workflows.isError && <div className="banner banner-error">Could not load workflows: {errorMessage(workflows.error)}</div>}

      <div className="card">
        <table className="table" data-testid="workflows-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Active version</th>
              <th>Webhook URL</th>
              <th>Updated</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {workflows.data?.map((wf) => (
              <tr key={wf.id} data-testid="workflow-row" data-workflow-id={wf.id} data-workflow-name={wf.name}>
                <td>
                  <Link href={`/workflows/${wf.id}`} className={styles.name} data-testid="workflow-link">
                    {wf.name}
                  </Link>
                  {wf.description && <div className={`muted ${styles.description}`}>{wf.description}</div>}
                </td>
                <td>
                  {wf.activeVersion === null ? (
                    <span className="pill">draft only</span>
                  ) : (
                    <span className="pill pill-succeeded" data-testid="workflow-active-version">
                      v{wf.activeVersion}
                    </span>
                  )}
                </td>
                <td className={styles.url}>
                  <WebhookUrl tenantSlug={slug} path={wf.webhookPath} testId="workflow-webhook-url" />
                </td>
                <td title={formatDateTime(wf.updatedAt)}>{formatRelative(wf.updatedAt)}</td>
                <td className={styles.actions}>
                  <Link href={`/runs?workflow=${wf.id}`}>Runs</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {workflows.isPending && <div className="empty">Loading workflows…</div>}
        {workflows.isSuccess && workflows.data.length === 0 && (
          <div className="empty" data-testid="workflows-empty">
            No workflows in this tenant yet. Create one to open the designer.
          </div>
        )}
      </div>
    </div>
  );
}
