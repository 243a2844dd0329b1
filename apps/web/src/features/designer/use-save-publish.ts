'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Graph, GraphIssue } from '@switchyard/workflow';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useToast } from '@/components/toast';
import { errorCode, errorMessage, graphIssuesOf } from '@/lib/errors';
import { useCan } from '@/lib/session';
import { useTRPC } from '@/lib/trpc';
import { clearBackup, writeBackup } from './draft-backup';

/** Quiet time after the last edit before the draft saves itself. */
export const AUTOSAVE_DELAY_MS = 1200;

/**
 * Saving with optimistic concurrency (expectedRevision), autosave and publishing.
 *
 * - Every edit is copied to localStorage at once (draft-backup.ts) and saved to the server after
 *   AUTOSAVE_DELAY_MS of quiet, so neither a reload nor a closed tab loses an edit.
 * - Saves run one at a time and each reads the revision when it starts: a manual save during an
 *   autosave waits for it instead of racing it into a false conflict.
 * - A CONFLICT means someone else (or another tab) saved in between: autosave stops, the designer
 *   shows it and lets the user reload or overwrite. Other tabs of this browser are told about each
 *   save at once (BroadcastChannel), so a stale tab shows the conflict before its user edits.
 */
export function useSavePublish({
  workflowId,
  graph,
  getGraph,
  initialRevision,
  savedGraphJson,
}: {
  workflowId: string;
  graph: Graph;
  getGraph: () => Graph;
  initialRevision: number;
  /** The server's draft when it differs from `graph` (unsaved edits restored from the backup). */
  savedGraphJson?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  // Viewers and operators may look at a draft but not save it (the server refuses; do not try).
  const canSave = useCan('tenant_admin');
  const [revision, setRevision] = useState(initialRevision);
  const [savedJson, setSavedJson] = useState(() => savedGraphJson ?? JSON.stringify(graph));
  const [conflict, setConflict] = useState<string | null>(null);
  const [serverIssues, setServerIssues] = useState<{ issues: GraphIssue[]; forJson: string } | null>(null);
  /** The graph a save was refused for (not a conflict): autosave does not retry it until it changes. */
  const [refusedJson, setRefusedJson] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const revisionRef = useRef(initialRevision);
  const savedJsonRef = useRef(savedJson);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const channel = useRef<BroadcastChannel | null>(null);

  const saveMutation = useMutation(trpc.workflows.saveDraft.mutationOptions());
  const publishMutation = useMutation(trpc.workflows.publish.mutationOptions());

  const graphJson = useMemo(() => JSON.stringify(graph), [graph]);
  const dirty = graphJson !== savedJson;

  const saveAt = useCallback(
    (expected: number | 'current', opts: { quiet?: boolean } = {}): Promise<boolean> => {
      const job = queue.current.then(async () => {
        const snapshot = getGraph();
        const json = JSON.stringify(snapshot);
        if (json === savedJsonRef.current && expected === 'current') return true;
        setSaving(true);
        try {
          const expectedRevision = expected === 'current' ? revisionRef.current : expected;
          const result = await saveMutation.mutateAsync({ id: workflowId, graph: snapshot, expectedRevision });
          revisionRef.current = result.revision;
          savedJsonRef.current = json;
          setRevision(result.revision);
          setSavedJson(json);
          setConflict(null);
          setServerIssues(null);
          setRefusedJson(null);
          channel.current?.postMessage({ workflowId, revision: result.revision });
          void queryClient.invalidateQueries(trpc.workflows.list.queryFilter());
          return true;
        } catch (error) {
          if (errorCode(error) === 'CONFLICT') setConflict(errorMessage(error));
          else {
            setRefusedJson(json);
            const issues = graphIssuesOf(error);
            if (issues.length > 0) setServerIssues({ issues, forJson: json });
            toast(`Not saved${opts.quiet ? ' (autosave)' : ''}: ${errorMessage(error)}`, 'error');
          }
          return false;
        } finally {
          setSaving(false);
        }
      });
      queue.current = job.catch(() => undefined);
      return job;
    },
    [getGraph, queryClient, saveMutation, toast, trpc, workflowId],
  );

  // The safety net for a reload inside the autosave delay; dropped once the server has the graph.
  useEffect(() => {
    if (dirty) writeBackup(workflowId, graphJson, revisionRef.current);
    else clearBackup(workflowId);
  }, [dirty, graphJson, workflowId]);

  // Autosave: restarts the delay on every edit; paused while a conflict waits for the user.
  useEffect(() => {
    if (!canSave || !dirty || conflict !== null || saving || refusedJson === graphJson) return;
    const timer = setTimeout(() => void saveAt('current', { quiet: true }), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [canSave, conflict, dirty, graphJson, refusedJson, saveAt, saving]);

  // Another tab of this browser saved this draft: this one is stale from now on.
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const bc = new BroadcastChannel(`switchyard.workflow.${workflowId}`);
    bc.onmessage = (event: MessageEvent<{ workflowId: string; revision: number }>) => {
      if (event.data.workflowId !== workflowId || event.data.revision <= revisionRef.current) return;
      setConflict(`Another tab saved revision ${event.data.revision} of this draft; this tab shows revision ${revisionRef.current}.`);
    };
    channel.current = bc;
    return () => {
      bc.close();
      channel.current = null;
    };
  }, [workflowId]);

  const save = useCallback(async () => {
    const ok = await saveAt('current');
    if (ok) toast('Draft saved', 'success');
    return ok;
  }, [saveAt, toast]);

  /** Conflict resolution: take the server's current revision and save this graph over it. */
  const overwrite = useCallback(async () => {
    try {
      const latest = await queryClient.fetchQuery({ ...trpc.workflows.get.queryOptions({ id: workflowId }), staleTime: 0 });
      if (await saveAt(latest.draftRevision)) toast('Draft saved over the other change', 'success');
    } catch (error) {
      toast(errorMessage(error), 'error');
    }
  }, [queryClient, saveAt, toast, trpc, workflowId]);

  const publish = useCallback(
    async (note: string): Promise<boolean> => {
      // Publishing takes the stored draft, so unsaved edits are saved first.
      if (!(await saveAt('current'))) return false;
      try {
        const result = await publishMutation.mutateAsync({ id: workflowId, ...(note.trim() ? { note: note.trim() } : {}) });
        toast(`Published version ${result.version}`, 'success');
        await Promise.all([
          queryClient.invalidateQueries(trpc.workflows.get.queryFilter({ id: workflowId })),
          queryClient.invalidateQueries(trpc.workflows.list.queryFilter()),
        ]);
        return true;
      } catch (error) {
        const issues = graphIssuesOf(error);
        if (issues.length > 0) setServerIssues({ issues, forJson: JSON.stringify(getGraph()) });
        toast(`Not published: ${errorMessage(error)}`, 'error');
        return false;
      }
    },
    [getGraph, publishMutation, queryClient, saveAt, toast, trpc, workflowId],
  );

  return {
    revision,
    dirty,
    conflict,
    dismissConflict: () => setConflict(null),
    // Server-reported issues are shown until the graph they were about changes.
    serverIssues: serverIssues && serverIssues.forJson === graphJson ? serverIssues.issues : [],
    saving,
    publishing: publishMutation.isPending,
    save,
    overwrite,
    publish,
  };
}
