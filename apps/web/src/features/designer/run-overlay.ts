/**
 * A test run's steps as per-node state for the canvas (a status on each card) and the inspector
 * (input, output and error of the node's last attempt). Steps arrive as JSON from the run query.
 */
export type NodeRunStatus = 'succeeded' | 'failed' | 'retrying';

export interface StepLike {
  nodeId: string;
  attempt: number;
  status: string;
  port: string | null;
  input: unknown;
  output: unknown;
  error: unknown;
  durationMs: number;
  retryAt: Date | string | null;
}

export interface NodeRunInfo {
  status: NodeRunStatus;
  attempts: number;
  port: string | null;
  input: unknown;
  output: unknown;
  error: unknown;
  durationMs: number;
}

export const LIVE_RUN_STATUSES: ReadonlySet<string> = new Set(['queued', 'running', 'waiting']);

export function nodeRunInfo(steps: readonly StepLike[], runStatus: string): Map<string, NodeRunInfo> {
  const out = new Map<string, NodeRunInfo>();
  const live = LIVE_RUN_STATUSES.has(runStatus);
  // Steps come in start order: the last one of a node is its latest attempt (or map item).
  for (const step of steps) {
    const attempts = (out.get(step.nodeId)?.attempts ?? 0) + 1;
    const failed = step.status !== 'succeeded';
    out.set(step.nodeId, {
      status: failed ? (live && step.retryAt ? 'retrying' : 'failed') : 'succeeded',
      attempts,
      port: step.port,
      input: step.input,
      output: step.output,
      error: step.error,
      durationMs: step.durationMs,
    });
  }
  return out;
}
