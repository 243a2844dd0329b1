import { describe, expect, it } from 'vitest';
import { NodeExecutionError, type ExecutorContext } from '@switchyard/workflow';
import { ConfigError } from '../src/env';
import { createWorkerMetrics, instrumentExecutors, readMetricsPort, startMetricsServer } from '../src/metrics';
import { readPurgeInterval } from '../src/retention-job';

const ctx = (attempt: number) => ({ tenantId: 't-1', attempt }) as unknown as ExecutorContext;

describe('worker metrics', () => {
  it('times and counts every attempt by tenant, kind and outcome, passing results and errors through', async () => {
    const metrics = createWorkerMetrics();
    const executors = instrumentExecutors(
      {
        transform: async (_c, _config, input) => ({ output: input }),
        'http.request': async () => {
          throw new NodeExecutionError('POST https://erp/x returned 503', { code: 'http_503', retryable: true });
        },
        respond: async () => {
          throw new NodeExecutionError('bad config', { code: 'invalid_config', retryable: false });
        },
      },
      metrics,
      async (id) => (id === 't-1' ? 'acme' : id),
    );
    await expect(executors.transform!(ctx(1), {}, 42)).resolves.toEqual({ output: 42 });
    await expect(executors['http.request']!(ctx(2), {}, null)).rejects.toThrow('returned 503');
    await expect(executors.respond!(ctx(1), {}, null)).rejects.toThrow('bad config');
    await new Promise((resolve) => setImmediate(resolve));

    const text = await metrics.registry.metrics();
    expect(text).toContain('switchyard_step_attempts_total{tenant="acme",kind="transform",outcome="succeeded",attempt="first"} 1');
    expect(text).toContain('switchyard_step_attempts_total{tenant="acme",kind="http.request",outcome="failed_retryable",attempt="retry"} 1');
    expect(text).toContain('switchyard_step_attempts_total{tenant="acme",kind="respond",outcome="failed",attempt="first"} 1');
    expect(text).toMatch(/switchyard_step_duration_seconds_count\{tenant="acme",kind="transform",outcome="succeeded"\} 1/);
  });

  it('serves GET /metrics on its own port and 404 elsewhere', async () => {
    const metrics = createWorkerMetrics();
    const server = await startMetricsServer(metrics.registry, 0, '127.0.0.1');
    try {
      const ok = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('switchyard_worker_process_cpu_seconds_total');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('reads WORKER_METRICS_PORT and WORKER_PURGE_INTERVAL_MS, naming the variable when bad', () => {
    expect(readMetricsPort({})).toBeUndefined();
    expect(readMetricsPort({ WORKER_METRICS_PORT: '9464' })).toBe(9464);
    expect(() => readMetricsPort({ WORKER_METRICS_PORT: 'abc' })).toThrow(ConfigError);
    expect(() => readMetricsPort({ WORKER_METRICS_PORT: '70000' })).toThrow(/WORKER_METRICS_PORT/);
    expect(readPurgeInterval({})).toBe(600_000);
    expect(readPurgeInterval({ WORKER_PURGE_INTERVAL_MS: '0' })).toBe(0);
    expect(() => readPurgeInterval({ WORKER_PURGE_INTERVAL_MS: '10' })).toThrow(/WORKER_PURGE_INTERVAL_MS/);
  });
});
