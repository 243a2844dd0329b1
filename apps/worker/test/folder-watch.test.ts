import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorExecutors } from '@switchyard/connectors';
import type { Graph } from '@switchyard/workflow';
import { FolderWatchHost } from '../src/files/folder-watch';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable, publishWorkflow } from './support';

/**
 * Managed batch end to end: a CSV dropped into the tenant's watched folder becomes one run on a
 * real worker and PostgreSQL; its lines are validated as canonical customers, the bad ones reported
 * by line, and the good ones written to an outbound file.
 */
const hasPostgres = await postgresAvailable();
const node = (id: string, kind: string, config: Record<string, unknown> = {}) => ({ id, kind, position: { x: 0, y: 0 }, config });

describe.skipIf(!hasPostgres)('watched folder → file.parse → file.write (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let root: string;
  let worker: Worker;
  let host: FolderWatchHost;
  let ids: { tenantId: string; workflowId: string; versionId: string };

  beforeAll(async () => {
    env = await createTestDatabase('sy_files');
    root = await mkdtemp(path.join(tmpdir(), 'sy-watch-'));
    const graph: Graph = {
      schemaVersion: 1,
      settings: {},
      nodes: [
        node('in', 'trigger.file', { folder: 'customers', pattern: '*.csv' }),
        node('parse', 'file.parse', { format: 'csv', object: 'customer', record: '{"id": id, "kind": "company", "name": name, "email": email, "status": "active"}', onInvalid: 'partial' }),
        node('out', 'file.write', {
          format: 'fixed-width',
          records: 'chunks[0]',
          columns: [
            { name: 'id', start: 1, length: 8 },
            { name: 'name', start: 9, length: 20 },
          ],
          fileName: '"CUST_" & $substring($trigger.sha256, 0, 8) & ".DAT"',
          lineEnding: 'lf',
        }),
      ],
      edges: [
        { id: 'e1', source: 'in', sourcePort: 'out', target: 'parse' },
        { id: 'e2', source: 'parse', sourcePort: 'out', target: 'out' },
      ],
    };
    ids = await publishWorkflow(env.db, 'files', graph);
    const logger = createLogger(process.env.TEST_LOG ?? 'silent');
    worker = new Worker({ pool: env.db.pool, databaseUrl: env.url, executors: createConnectorExecutors({ fileRoot: root }), logger, workerId: 'files', concurrency: 2, leaseMs: 5000, pollMs: 20 });
    await worker.start();
    host = new FolderWatchHost({ pool: env.db.pool, root, logger, settleMs: 0 });
  });
  afterAll(async () => {
    await worker?.stop();
    await env?.drop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const runs = async () =>
    (await env.db.pool.query<{ id: string; status: string; result: unknown; idempotency_key: string }>('SELECT id, status, result, idempotency_key FROM runs WHERE tenant_id = $1', [ids.tenantId])).rows;
  async function finished() {
    for (let i = 0; i < 400; i++) {
      const r = await runs();
      if (r.length > 0 && r.every((x) => !['queued', 'running'].includes(x.status))) return r;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error('runs did not finish');
  }

  it('takes a dropped file once, reports bad lines and writes the good records out', async () => {
    const inbound = path.join(root, ids.tenantId, 'inbound', 'customers');
    await mkdir(inbound, { recursive: true });
    const csv = 'id,name,email\nC-1,Acme,ap@acme.example\nC-2,Globex,nope\nC-3,Initech,it@initech.example\n';
    await writeFile(path.join(inbound, 'batch-1.csv'), csv);
    await writeFile(path.join(inbound, 'ignored.txt'), 'not a csv');
    await host.scan();
    expect((await readdir(inbound)).sort()).toEqual(['.processed', 'ignored.txt']);
    const [run] = await finished();
    expect(run?.status).toBe('succeeded');
    const out = path.join(root, ids.tenantId, 'outbound');
    const [written] = await readdir(out);
    expect(written).toMatch(/^CUST_[0-9a-f]{8}\.DAT$/);
    expect(await readFile(path.join(out, written!), 'utf8')).toBe('C-1     Acme                \nC-3     Initech             \n');
    const steps = await env.db.pool.query<{ output: { report: Array<{ line: number; ok: boolean }> } }>("SELECT output FROM steps WHERE tenant_id = $1 AND run_id = $2 AND node_id = 'parse'", [ids.tenantId, run!.id]);
    expect(steps.rows[0]?.output.report.filter((r) => !r.ok)).toEqual([{ line: 3, ok: false, errors: [{ path: 'email', message: 'must be an e-mail address' }] }]);

    // The same file dropped again (a sender retrying) finds the same run.
    await writeFile(path.join(inbound, 'batch-1.csv'), csv);
    await host.scan();
    expect(await runs()).toHaveLength(1);
    expect((await readdir(path.join(inbound, '.processed'))).length).toBe(2);
  });

  it('moves a file that is too large or not text aside with the reason, starting nothing', async () => {
    const inbound = path.join(root, ids.tenantId, 'inbound', 'customers');
    await writeFile(path.join(inbound, 'binary.csv'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
    await host.scan();
    const rejected = path.join(inbound, '.rejected');
    expect((await readdir(rejected)).sort()).toEqual(['binary.csv', 'binary.csv.reason.txt']);
    expect(await readFile(path.join(rejected, 'binary.csv.reason.txt'), 'utf8')).toBe('the file is not valid UTF-8 text\n');
    expect(await runs()).toHaveLength(1);
  });
});
