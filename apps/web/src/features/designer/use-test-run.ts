'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Graph } from '@switchyard/workflow';
import { useCallback, useMemo, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { LIVE_RUN_STATUSES, nodeRunInfo, type NodeRunInfo } from './run-overlay';

export interface TestRunState {
  runId: string | null;
  status: string | null;
  starting: boolean;
  error: string | null;
  /** The last attempt of each node that ran. */
  nodes: ReadonlyMap<string, NodeRunInfo>;
  /** Nodes that were stood in by their pinned output in this run. */
  pinned: readonly string[];
  runError: unknown;
  start: (graph: Graph, payload: unknown) => Promise<void>;
  clear: () => void;
}

const EMPTY = new Map<string, NodeRunInfo>();

/** Starts test runs of the draft (designer.testRun) and follows the run until it ends. */
export function useTestRun(workflowId: string): TestRunState {
  const trpc = useTRPC();
  const [current, setCurrent] = useState<{ runId: string; pinned: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation(trpc.designer.testRun.mutationOptions());
  const run = useQuery({
    ...trpc.runs.get.queryOptions({ id: current?.runId ?? '00000000-0000-0000-0000-000000000000' }),
    enabled: current !== null,
    // Poll while the run is live; a finished run does not change any more.
    refetchInterval: (query) => (query.state.data && !LIVE_RUN_STATUSES.has(query.state.data.status) ? false : 400),
    refetchOnWindowFocus: false,
  });

  const start = useCallback(
    async (graph: Graph, payload: unknown) => {
      setError(null);
      try {
        const result = await mutation.mutateAsync({ workflowId, graph, payload });
        setCurrent({ runId: result.runId, pinned: result.pinned });
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [mutation, workflowId],
  );

  const data = current ? run.data : undefined;
  const nodes = useMemo(() => (data ? nodeRunInfo(data.steps, data.status) : EMPTY), [data]);
  return {
    runId: current?.runId ?? null,
    status: data?.status ?? (current ? 'queued' : null),
    starting: mutation.isPending,
    error: error ?? (run.isError ? errorMessage(run.error) : null),
    nodes,
    pinned: current?.pinned ?? [],
    runError: data?.error ?? null,
    start,
    clear: () => {
      setCurrent(null);
      setError(null);
    },
  };
}
