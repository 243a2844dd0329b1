import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedConnection } from '@switchyard/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpExecutors, withConnections } from '../../src/erp/executors';
import { makeCtx } from '../helpers';
import { budget, loopbackFetch, nodeError } from './support';

const PLANTED = 'planted-api-key-3f9c1a7e';
const outbound = loopbackFetch();
let server: http.Server;
let baseUrl: string;

/** A careless API: echoes the request headers back, in a 200 body or in a 500 error message. */
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const status = req.url?.startsWith('/fail') ? 500 : 200;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { youSent: req.headers, [`key-${String(req.headers['x-api-key'])}`]: true } : { error: { message: `bad request with key ${String(req.headers['x-api-key'])}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await outbound.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('connection secrets in step results', () => {
  const connection = (): ResolvedConnection => ({
    id: '00000000-0000-4000-8000-0000000000e1',
    name: 'echo',
    kind: 'rest',
    baseUrl,
    config: { auth: 'api-key', apiKeyHeader: 'X-API-Key' },
    credentials: { apiKey: PLANTED },
  });
  const executors = () => withConnections(createErpExecutors({ fetch: outbound, budget }), () => ({ get: () => Promise.resolve(connection()) }));

  it('are cut out of what an endpoint echoes back, values and keys alike', async () => {
    const result = await executors()['rest.request']!(makeCtx(), { connectionId: 'echo', method: 'GET', path: '/echo', headers: {} }, {});
    const text = JSON.stringify(result);
    // The call really carried the key (the echo has the header), and the stored output does not.
    expect(result.output).toMatchObject({ status: 200, body: { youSent: { 'x-api-key': '[redacted]' }, 'key-[redacted]': true } });
    expect(text).not.toContain(PLANTED);
  });

  it('are cut out of errors built from an echoing answer', async () => {
    const err = await nodeError(executors()['rest.request']!(makeCtx(), { connectionId: 'echo', method: 'GET', path: '/fail', headers: {} }, {}));
    expect(err.message).toContain('bad request with key [redacted]');
    expect(err.message).not.toContain(PLANTED);
  });
});
