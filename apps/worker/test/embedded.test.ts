import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '@switchyard/connectors';
import { enqueueRun, migrate, openDatabase, startEmbeddedPostgres, waitForRunResponse } from '@switchyard/db';
import { allowlistWithReceiver, startDemoReceiver } from '../src/demo/receiver';
import { seedDemo } from '../src/demo/seed';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';

/**
 * The embedded default as `pnpm start` wires it (minus the web server): PGlite behind its socket,
 * migrations, the demo seed, the demo ledger and an in-process worker. The demo invoice runs end to
 * end and a second start on the same folder keeps the data and does not seed twice. Like start.ts,
 * the worker's pool is the app role under row-level security with the 'dispatch' fallback scope.
 */
describe('embedded stack (PGlite)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-embedded-'));
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let receiver: Awaited<ReturnType<typeof startDemoReceiver>>;
  let worker: Worker;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir });
    await migrate(embedded.url);
    db = await openDatabase({ url: embedded.url, kind: 'pglite', role: 'app', unscopedStatements: 'dispatch' });
    receiver = await startDemoReceiver(0);
    expect(await seedDemo(db.prisma, { receiverUrl: receiver.url })).toEqual({ seeded: true });
    worker = new Worker({
      pool: db.pool,
      databaseUrl: embedded.url,
      executors: createCoreExecutors({ outboundAllowlist: allowlistWithReceiver(receiver) }),
      logger: createLogger('silent'),
      workerId: 'embedded-test',
      concurrency: 4,
      leaseMs: 5000,
      pollMs: 20,
      listen: false,
    });
    await worker.start();
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await db?.close();
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the demo invoice sync to its synchronous response', async () => {
    const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'acme' }, select: { id: true } });
    const workflow = await db.prisma.workflow.findFirstOrThrow({
      where: { tenantId: tenant.id, name: 'Invoice sync' },
      select: { id: true, activeVersionId: true },
    });
    const invoice = { number: 'INV-1', currency: 'EUR', customer: { name: 'Initech' }, lines: [{ sku: 'A', quantity: 2, unitPrice: 50 }] };
    const { runId } = await enqueueRun(db.pool, {
      tenantId: tenant.id,
      workflowId: workflow.id,
      versionId: workflow.activeVersionId!,
      trigger: 'webhook',
      correlationId: 'corr-embedded',
      payload: invoice,
    });
    const outcome = await waitForRunResponse(db.pool, tenant.id, runId, 15_000);
    expect(outcome).toMatchObject({ kind: 'response', response: { status: 200, body: { status: 'synced', ledgerId: 'LEDGER-1' } } });

    const stored = [...receiver.invoices.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ correlationId: 'corr-embedded', body: { externalId: 'INV-1', total: 100 } });

    const steps = await db.prisma.step.findMany({ where: { tenantId: tenant.id, runId }, select: { nodeId: true, status: true } });
    expect(steps.map((s) => s.nodeId).sort()).toEqual(['map', 'post', 'reply', 'webhook']);
    expect(steps.every((s) => s.status === 'succeeded')).toBe(true);
  }, 30_000);

  it('keeps its data across a restart and seeds only once', async () => {
    await worker.stop();
    await db.close();
    await embedded.stop();
    embedded = await startEmbeddedPostgres({ dataDir });
    expect((await migrate(embedded.url)).applied).toEqual([]);
    db = await openDatabase({ url: embedded.url, kind: 'pglite', role: 'app', unscopedStatements: 'dispatch' });
    expect(await seedDemo(db.prisma, { receiverUrl: receiver.url })).toEqual({ seeded: false });
    expect(await db.prisma.run.count({ where: { tenant: { slug: 'acme' } } })).toBe(1);
    worker = new Worker({
      pool: db.pool,
      databaseUrl: embedded.url,
      executors: createCoreExecutors({ outboundAllowlist: allowlistWithReceiver(receiver) }),
      logger: createLogger('silent'),
      workerId: 'embedded-test-2',
      concurrency: 1,
      leaseMs: 5000,
      pollMs: 20,
      listen: false,
    });
  }, 60_000);
});
