import { describe, expect, it } from 'vitest';
import { nodeRunInfo, type StepLike } from './run-overlay';

const step = (nodeId: string, status: string, extra: Partial<StepLike> = {}): StepLike => ({
  nodeId,
  attempt: 1,
  status,
  port: status === 'succeeded' ? 'out' : null,
  input: { n: 1 },
  output: status === 'succeeded' ? { ok: true } : null,
  error: status === 'succeeded' ? null : { message: 'boom' },
  durationMs: 3,
  retryAt: null,
  ...extra,
});

describe('nodeRunInfo', () => {
  it('keeps the last attempt of each node and counts attempts', () => {
    const info = nodeRunInfo([step('a', 'succeeded'), step('b', 'failed', { retryAt: '2026-01-01' }), step('b', 'succeeded', { attempt: 2 })], 'succeeded');
    expect(info.get('a')).toMatchObject({ status: 'succeeded', attempts: 1, output: { ok: true } });
    expect(info.get('b')).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('shows a failed attempt waiting for its retry as retrying while the run is live', () => {
    const steps = [step('b', 'failed', { retryAt: '2026-01-01' })];
    expect(nodeRunInfo(steps, 'waiting').get('b')?.status).toBe('retrying');
    expect(nodeRunInfo(steps, 'failed').get('b')).toMatchObject({ status: 'failed', error: { message: 'boom' } });
  });
});
