import type { Graph } from '@switchyard/workflow';
import type { ClaimedRun } from '../ports';

/** A ClaimedRun as the worker would hand it over on first claim; override any field. */
export function claimedRun(graph: Graph, overrides: Partial<ClaimedRun> = {}): ClaimedRun {
  return {
    id: 'run-1',
    tenantId: 'tenant-1',
    correlationId: 'corr-1',
    idempotencyKey: null,
    graph,
    triggerNodeId: null,
    triggerPayload: {},
    state: null,
    leaseToken: 1,
    ...overrides,
  };
}
