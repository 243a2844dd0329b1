'use client';
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { GraphSchema, migrateGraph, type Graph } from '@switchyard/workflow';
import Link from 'next/link';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { Designer } from './designer';
import { clearBackup, readBackup } from './draft-backup';

/** `restored`: unsaved edits of an earlier visit, from this browser's backup (see draft-backup.ts). */
type Loaded = { graph: Graph; key: number; restored?: { baseRevision: number; savedGraphJson: string } } | { error: string; key: number };

function parseDraft(raw: unknown): { graph: Graph } | { error: string } {
  const parsed = GraphSchema.safeParse(migrateGraph(raw));
  if (parsed.success) return { graph: parsed.data };
  const first = parsed.error.issues[0];
  return { error: `The stored draft is not a valid graph (${first ? `${first.path.join('.')}: ${first.message}` : 'unknown reason'}).` };
}

/** Prefers this browser's unsaved copy of the draft when there is one that differs from the server's. */
function withBackup(id: string, server: { graph: Graph } | { error: string }): Loaded {
  const backup = readBackup(id);
  if (!backup || !('graph' in server)) return { ...server, key: 0 };
  const savedGraphJson = JSON.stringify(server.graph);
  const local = parseDraft(backup.graph);
  if (!('graph' in local) || JSON.stringify(local.graph) === savedGraphJson) {
    clearBackup(id);
    return { ...server, key: 0 };
  }
  return { graph: local.graph, key: 0, restored: { baseRevision: backup.baseRevision, savedGraphJson } };
}

export function DesignerPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const workflow = useQuery(trpc.workflows.get.queryOptions({ id }, { refetchOnWindowFocus: false }));
  // The editor is seeded once per load: later refetches (after publish) update versions, not the canvas.
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  if (!loaded && workflow.data) setLoaded(withBackup(id, parseDraft(workflow.data.draftGraph)));

  const reload = async () => {
    // "Reload latest" discards this browser's unsaved copy too.
    clearBackup(id);
    const fresh = await workflow.refetch();
    if (fresh.data) setLoaded({ ...parseDraft(fresh.data.draftGraph), key: (loaded?.key ?? 0) + 1 });
  };

  if (workflow.isError)
    return (
      <div className="page">
        <div className="banner banner-error" data-testid="designer-error">
          Could not open this workflow: {errorMessage(workflow.error)}
        </div>
        <p>
          <Link href="/workflows">Back to workflows</Link>
        </p>
      </div>
    );
  if (!workflow.data || !loaded) return <div className="empty">Loading workflow…</div>;
  if ('error' in loaded)
    return (
      <div className="page">
        <div className="banner banner-error">{loaded.error}</div>
      </div>
    );
  return (
    <ReactFlowProvider key={loaded.key}>
      <Designer workflow={workflow.data} initialGraph={loaded.graph} restored={loaded.restored} onReload={() => void reload()} />
    </ReactFlowProvider>
  );
}
