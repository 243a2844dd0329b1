import { describe, expect, it } from 'vitest';
import { errorNodeId, httpRequestOf, nodeLabelsOf, stepErrorMessage, takenEdgeIds, truncatedBytes } from './run-graph';

describe('run graph helpers', () => {
  it('maps node ids to labels, falling back to the id, and ignores junk', () => {
    const labels = nodeLabelsOf({ nodes: [{ id: 'a', label: 'Fetch', kind: 'http.request' }, { id: 'b', kind: 'transform' }, null, { label: 'x' }] });
    expect(labels.get('a')).toEqual({ label: 'Fetch', kind: 'http.request' });
    expect(labels.get('b')).toEqual({ label: 'b', kind: 'transform' });
    expect(labels.size).toBe(2);
    expect(nodeLabelsOf('nonsense').size).toBe(0);
  });

  it('formats stored errors', () => {
    expect(stepErrorMessage({ code: 'http_503', message: 'upstream down' })).toBe('http_503: upstream down');
    expect(stepErrorMessage(null)).toBeNull();
    expect(stepErrorMessage({ weird: 1 })).toBe('{"weird":1}');
    expect(errorNodeId({ nodeId: 'call', message: 'x' })).toBe('call');
    expect(errorNodeId('boom')).toBeNull();
  });

  it('marks the edges the run went along: the port a node left by, to a node that ran', () => {
    const edges = [
      { id: 'e1', source: 't', sourcePort: 'out', target: 'check' },
      { id: 'e2', source: 'check', sourcePort: 'true', target: 'post' },
      { id: 'e3', source: 'check', sourcePort: 'false', target: 'skip' },
      { id: 'e4', source: 'post', sourcePort: 'out', target: 'done' },
      { id: 'e5', source: 'post', sourcePort: 'error', target: 'alert' },
    ];
    const steps = [
      { nodeId: 't', status: 'succeeded', port: 'out' },
      { nodeId: 'check', status: 'succeeded', port: 'true' },
      { nodeId: 'post', status: 'failed', port: null },
      { nodeId: 'post', status: 'succeeded', port: 'out' },
    ];
    // The retried call did reach `post`; `done` never ran, so e4 is not taken; the false branch and the error port stay plain.
    expect([...takenEdgeIds(edges, steps)].sort()).toEqual(['e1', 'e2']);
    expect([...takenEdgeIds(edges, [...steps, { nodeId: 'done', status: 'succeeded', port: 'out' }])].sort()).toEqual(['e1', 'e2', 'e4']);
  });

  it('reads the truncation marker of values history did not keep', () => {
    expect(truncatedBytes({ $truncated: true, bytes: 300_000 })).toBe(300_000);
    expect(truncatedBytes({ $truncated: 'yes', bytes: 1 })).toBeNull();
    expect(truncatedBytes(null)).toBeNull();
  });

  it('shows an http.request node\'s request with credentials, secret query values and header values redacted', () => {
    const graph = {
      nodes: [
        {
          id: 'post',
          kind: 'http.request',
          config: {
            method: 'POST',
            url: 'https://user:pw@erp.example.com/api/invoices?api_key=sk-123&page=2',
            headers: { Authorization: 'Bearer sk-live-1', 'Content-Type': 'application/json', 'X-Api-Key': 'k-9' },
          },
        },
        { id: 'map', kind: 'transform', config: {} },
      ],
    };
    const view = httpRequestOf(graph, 'post')!;
    expect(view.method).toBe('POST');
    expect(view.url).toBe('https://[redacted]@erp.example.com/api/invoices?api_key=[redacted]&page=2');
    expect(view.headers).toEqual([
      ['Authorization', '[redacted]'],
      ['Content-Type', 'application/json'],
      ['X-Api-Key', '[redacted]'],
    ]);
    expect(JSON.stringify(view)).not.toMatch(/sk-|pw|k-9/);
    expect(httpRequestOf(graph, 'map')).toBeNull();
    expect(httpRequestOf(graph, 'missing')).toBeNull();
  });
});
