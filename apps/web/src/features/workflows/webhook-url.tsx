'use client';
import { useSyncExternalStore } from 'react';

const noSubscribe = () => () => {};

/** The public webhook URL of a path; the origin is the browser's, since the server cannot know its public name. */
export function useWebhookUrl(tenantSlug: string | null, path: string | null): string | null {
  const origin = useSyncExternalStore(noSubscribe, () => window.location.origin, () => '');
  if (!tenantSlug || !path) return null;
  return `${origin}/api/hooks/${encodeURIComponent(tenantSlug)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function WebhookUrl({ tenantSlug, path, testId }: { tenantSlug: string | null; path: string | null; testId?: string }) {
  const url = useWebhookUrl(tenantSlug, path);
  if (!url) return <span className="faint">—</span>;
  return (
    <code className="mono" data-testid={testId} title="POST a JSON body here to start a run">
      {url}
    </code>
  );
}
