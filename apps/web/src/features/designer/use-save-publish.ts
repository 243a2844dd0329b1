'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Graph, GraphIssue } from '@switchyard/workflow';
import { useCallback, useMemo, useState } from 'react';
import { useToast } from '@/components/toast';
import { errorCode, errorMessage, graphIssuesOf } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

/**
 * Saving with optimistic concurrency (expectedRevision) and publishing. A CONFLICT on save means
 * someone else saved in between: the designer shows it and lets the user reload or overwrite.
 */
export function useSavePublish({ workflowId, graph, getGraph, initialRevision }: { workflowId: string; graph: Graph; getGraph: () => Graph; initialRevision: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [revision, setRevision] = useState(initialRevision);
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(graph));
  const [conflict, setConflict] = useState<string | null>(null);
  const [serverIssues, setServerIssues] = useState<{ issues: GraphIssue[]; forJson: string } | null>(null);

  const saveMutation = useMutation(trpc.workflows.saveDraft.mutationOptions());
  const publishMutation = useMutation(trpc.workflows.publish.mutationOptions());

  const graphJson = useMemo(() => JSON.stringify(graph), [graph]);
  const dirty = graphJson !== savedJson;

  const saveAt = useCallback(
    async (expectedRevision: number): Promise<boolean> => {
      const snapshot = getGraph();
      try {
        const result = await saveMutation.mutateAsync({ id: workflowId, graph: snapshot, expectedRevision });
        setRevision(result.revision);
        setSavedJson(JSON.stringify(snapshot));
        setConflict(null);
        setServerIssues(null);
        void queryClient.invalidateQueries(trpc.workflows.list.queryFilter());
        return true;
      } catch (error) {
        if (errorCode(error) === 'CONFLICT') setConflict(errorMessage(error));
        else {
          const issues = graphIssuesOf(error);
          if (issues.length > 0) setServerIssues({ issues, forJson: JSON.stringify(snapshot) });
          toast(`Not saved: ${errorMessage(error)}`, 'error');
        }
        return false;
      }
    },
    [getGraph, queryClient, saveMutation, toast, trpc, workflowId],
  );

  const save = useCallback(async () => {
    const ok = await saveAt(revision);
    if (ok) toast('Draft saved', 'success');
    return ok;
  }, [revision, saveAt, toast]);

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
      if (dirty && !(await saveAt(revision))) return false;
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
    [dirty, getGraph, publishMutation, queryClient, revision, saveAt, toast, trpc, workflowId],
  );

  return {
    revision,
    dirty,
    conflict,
    dismissConflict: () => setConflict(null),
    // Server-reported issues are shown until the graph they were about changes.
    serverIssues: serverIssues && serverIssues.forJson === graphJson ? serverIssues.issues : [],
    saving: saveMutation.isPending,
    publishing: publishMutation.isPending,
    save,
    overwrite,
    publish,
  };
}
