import { describe, expect, it } from 'vitest';
import { errorNodeId, nodeLabelsOf, stepErrorMessage } from './run-graph';

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
});
