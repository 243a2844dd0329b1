import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createCaller, createContextInner } from '@switchyard/api';
import { createConnection, enqueueRun, generateSecretKey, keyringOf, parseSecretKey, toJsonValue } from '@switchyard/db';
import { startNetSuiteSim, type SimHandle } from '@switchyard/erp-sim';
import type { Graph } from '@switchyard/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerExecutors } from '../src/executors';
import { createLogger } from '../src/logger';
import { Worker } from '../src/worker';
import { createTestDatabase, postgresAvailable } from './support';

/**
 * A credential planted in tenant connections must not appear anywhere a person or another system
 * can read it: the worker's log lines (pino, at debug level), run history (runs, steps with their
 * inputs, outputs and errors, dead letters: every table of the database is searched), API responses
 * and errors. The runs use the secret for real (NetSuite's request signing, an API key header), one
 * succeeds, one fails on a wrong secret, and one calls an endpoint that echoes its request headers.
 */
const PLANTED = 'planted-secret-7c2e91d4a0';
const PLANTED_WRONG = 'planted-wrong-secret-55b1f0';
const hasPostgres = await postgresAvailable();

const graph = (steps: Graph['nodes']): Graph => {
  const nodes: Graph['nodes'] = [{ id: 'start', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} }, ...steps];
  return { schemaVersion: 1, settings: {}, nodes, edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, sourcePort: 'out', target: n.id })) };
};
const noRetry = { retry: { maxAttempts: 1 } };

describe.skipIf(!hasPostgres)('a planted connection secret', () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  let netsuite: SimHandle;
  let echo: http.Server;
  let echoUrl: string;
  let worker: Worker;
  const logs: string[] = [];
  const saved = { key: process.env.SWITCHYARD_SECRET_KEY, allow: process.env.SWITCHYARD_OUTBOUND_ALLOWLIST };
  let tenantId: string;
  const workflows: Record<string, { id: string; versionId: string }> = {};

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = '127.0.0.1';
    env = await createTestDatabase('planted_secret');
    netsuite = await startNetSuiteSim({
      host: '127.0.0.1',
      accounts: [{ accountId: 'TSTPLANT1', maxConcurrency: 5, credentials: [{ consumerKey: 'ck-plant-0001', consumerSecret: 'cs-plant-0001', tokenId: 'tk-plant-0001', tokenSecret: PLANTED }] }],
    });
    echo = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ received: req.headers }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;

    const keyring = keyringOf(parseSecretKey(process.env.SWITCHYARD_SECRET_KEY));
    tenantId = (await env.db.prisma.tenant.create({ data: { slug: 'plant', name: 'Plant' }, select: { id: true } })).id;
    const ns = (name: string, tokenSecret: string) =>
      createConnection(env.db.pool, keyring, tenantId, {
        name,
        system: 'netsuite',
        baseUrl: netsuite.url,
        config: { accountId: 'TSTPLANT1' },
        credentials: { consumerKey: 'ck-plant-0001', consumerSecret: 'cs-plant-0001', tokenId: 'tk-plant-0001', tokenSecret },
      });
    for (const saved of [
      await ns('ns', PLANTED),
      await ns('ns-wrong', PLANTED_WRONG),
      await createConnection(env.db.pool, keyring, tenantId, { name: 'echo', system: 'rest', baseUrl: echoUrl, config: { auth: 'api-key', apiKeyHeader: 'X-API-Key' }, credentials: { apiKey: PLANTED } }),
    ]) {
      expect(saved.status).toBe('saved');
    }
    const customer = (connectionId: string) => ({
      id: 'customer',
      kind: 'netsuite.record',
      position: { x: 200, y: 0 },
      config: { connectionId, operation: 'upsert', recordType: 'customer', externalIdPath: 'externalId' },
      policy: noRetry,
    });
    const graphs: Record<string, Graph> = {
      good: graph([customer('ns'), { id: 'echo', kind: 'rest.request', position: { x: 400, y: 0 }, config: { connectionId: 'echo', method: 'GET', path: '/whoami', headers: {} }, policy: noRetry }]),
      wrong: graph([customer('ns-wrong')]),
    };
    for (const [name, g] of Object.entries(graphs)) {
      const wf = await env.db.prisma.workflow.create({ data: { tenantId, name, draftGraph: toJsonValue(g) }, select: { id: true } });
      const version = await env.db.prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, version: 1, graph: toJsonValue(g) }, select: { id: true } });
      await env.db.prisma.workflow.update({ where: { id: wf.id }, data: { activeVersionId: version.id } });
      workflows[name] = { id: wf.id, versionId: version.id };
    }

    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    const logger = createLogger('debug', 'planted-test', stream);
    worker = new Worker({
      pool: env.db.pool,
      databaseUrl: env.url,
      executors: createWorkerExecutors({ pool: env.db.pool, databaseKind: 'postgres', outboundAllowlist: '127.0.0.1', logger }),
      logger,
      workerId: 'planted-test',
      concurrency: 2,
      leaseMs: 5000,
      pollMs: 20,
    });
    await worker.start();
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await netsuite?.close();
    await new Promise((resolve) => echo?.close(resolve));
    await env?.drop();
    process.env.SWITCHYARD_SECRET_KEY = saved.key;
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = saved.allow;
    if (saved.key === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    if (saved.allow === undefined) delete process.env.SWITCHYARD_OUTBOUND_ALLOWLIST;
  });

  async function runToEnd(workflow: string, payload: unknown): Promise<{ id: string; status: string }> {
    const w = workflows[workflow]!;
    const { runId } = await enqueueRun(env.db.pool, { tenantId, workflowId: w.id, versionId: w.versionId, trigger: 'manual', correlationId: `corr-${workflow}`, payload });
    for (let i = 0; i < 300; i++) {
      const { rows } = await env.db.pool.query<{ status: string }>(`SELECT status FROM runs WHERE id = $1`, [runId]);
      if (rows[0] && !['queued', 'running'].includes(rows[0].status)) return { id: runId, status: rows[0].status };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${runId} did not end`);
  }

  it('is used for real, and appears in no log line, table, API response or error', async () => {
    const good = await runToEnd('good', { externalId: 'CUST-PLANT-1', companyName: 'Initech', subsidiary: { id: '1' } });
    const wrong = await runToEnd('wrong', { externalId: 'CUST-PLANT-2', companyName: 'Globex', subsidiary: { id: '1' } });
    // The secret did its job: NetSuite accepted the signature made with it and refused the wrong one.
    expect(good.status).toBe('succeeded');
    expect(netsuite.records('customer', 'TSTPLANT1').map((r) => r.data.externalId)).toEqual(['CUST-PLANT-1']);
    expect(wrong.status).toBe('failed');
    // The echo endpoint really received the key (so there was something to leak), as [redacted] in history.
    const echoStep = await env.db.pool.query<{ output: { body: { received: Record<string, string> } } }>(`SELECT output FROM steps WHERE run_id = $1 AND node_id = 'echo'`, [good.id]);
    expect(echoStep.rows[0]?.output.body.received['x-api-key']).toBe('[redacted]');
    const failure = await env.db.pool.query<{ error: { message: string; code: string } }>(`SELECT error FROM steps WHERE run_id = $1 AND node_id = 'customer'`, [wrong.id]);
    expect(failure.rows[0]?.error).toMatchObject({ code: 'auth_failed' });

    // API responses, as the screens read them.
    const api = createCaller(createContextInner({ db: env.db, tenantSlug: 'plant', user: { id: '00000000-0000-4000-8000-00000000a11a', email: 'admin@test.local', name: 'Admin', platformAdmin: true } }));
    const responses: unknown[] = [await api.runs.get({ id: good.id }), await api.runs.get({ id: wrong.id }), await api.connections.list()];
    const connections = (await api.connections.list()) as Array<{ id: string; name: string }>;
    for (const c of connections) {
      responses.push(await api.connections.get({ id: c.id }));
      responses.push(await api.connections.test({ id: c.id }));
    }
    const wrongTest = responses.at(-1) as { ok: boolean; message: string } | undefined;
    expect(responses.some((r) => (r as { ok?: boolean; outcome?: string }).outcome === 'auth_failed')).toBe(true);
    expect(wrongTest).toBeDefined();

    // Every table of the database, as text (ciphertext shows as hex, which does not spell the secret).
    const { rows: tables } = await env.db.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    const dump: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await env.db.pool.query<{ t: string | null }>(`SELECT string_agg(row_to_json(x)::text, E'\\n') AS t FROM "${table_name}" x`);
      dump.push(rows[0]?.t ?? '');
    }
    const everything = { logs: logs.join(''), database: dump.join('\n'), responses: JSON.stringify(responses) };
    expect(everything.logs).toContain('"runId"');
    expect(everything.database).toContain('CUST-PLANT-1');
    for (const [where, text] of Object.entries(everything)) {
      expect(text.includes(PLANTED), `${where} holds the planted secret`).toBe(false);
      expect(text.includes(PLANTED_WRONG), `${where} holds the planted wrong secret`).toBe(false);
      expect(text.includes(Buffer.from(PLANTED).toString('base64')), `${where} holds the planted secret in base64`).toBe(false);
    }
  }, 60_000);
});
