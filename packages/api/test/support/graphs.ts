/** Graph JSON as the designer sends it. */
export function webhookGraph(path: string, opts: { synchronous?: boolean; idempotencyKeyPath?: string; responseTimeoutMs?: number } = {}) {
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: 'hook',
        kind: 'trigger.webhook',
        label: 'Incoming invoice',
        position: { x: 0, y: 0 },
        config: { path, synchronous: opts.synchronous ?? false, responseTimeoutMs: opts.responseTimeoutMs ?? 10_000, ...(opts.idempotencyKeyPath ? { idempotencyKeyPath: opts.idempotencyKeyPath } : {}) },
      },
      { id: 'map', kind: 'transform', label: 'Map', position: { x: 200, y: 0 }, config: { expression: '{ "id": invoice.number }' } },
      { id: 'reply', kind: 'respond', label: 'Reply', position: { x: 400, y: 0 }, config: { status: 201, headers: {} } },
    ],
    edges: [
      { id: 'e1', source: 'hook', sourcePort: 'out', target: 'map' },
      { id: 'e2', source: 'map', sourcePort: 'out', target: 'reply' },
    ],
    settings: {},
  };
}

export function manualGraph() {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'start', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
      { id: 'map', kind: 'transform', position: { x: 200, y: 0 }, config: { expression: '$' } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'map' }],
    settings: {},
  };
}
