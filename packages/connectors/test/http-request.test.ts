import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeExecutionError } from '@switchyard/workflow';
import { createCoreExecutors } from '../src/index';
import { makeCtx, startServer, unusedPort, type TestServer } from './helpers';

let server: TestServer;
// The test servers listen on loopback, which only the platform allowlist opens up.
const http = createCoreExecutors({ outboundAllowlist: '127.0.0.1' })['http.request'];

beforeAll(async () => {
  server = await startServer((req, res, body) => {
    const path = (req.url ?? '').split('?')[0];
    switch (path) {
      case '/json':
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'X-Request-Id': 'req-9',
          'Set-Cookie': 'session=abc',
          'X-Internal-Token': 'do-not-copy',
        });
        res.end(JSON.stringify({ ok: true, received: body === '' ? null : (JSON.parse(body) as unknown) }));
        return;
      case '/text':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('plain hello');
        return;
      case '/empty':
        res.writeHead(204);
        res.end();
        return;
      case '/big':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`"${'x'.repeat(1_500_000)}"`);
        return;
      case '/500':
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('database   exploded\nat line 3');
        return;
      case '/429':
        res.writeHead(429, { 'Retry-After': '7' });
        res.end('slow down');
        return;
      case '/503':
        res.writeHead(503, { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() });
        res.end();
        return;
      case '/404':
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"error":"no such invoice"}');
        return;
      case '/echo-500':
        // A badly behaved target that reflects the request (headers included) into its error body.
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'boom', yourRequest: req.headers }));
        return;
      case '/reset':
        req.socket.destroy();
        return;
      case '/hang':
        return; // never answers
      default:
        res.writeHead(418);
        res.end();
    }
  });
});

afterAll(async () => {
  await server.close();
});

function lastRequest() {
  const request = server.requests.at(-1);
  if (!request) throw new Error('the server received no request');
  return request;
}

async function expectNodeError(promise: Promise<unknown>): Promise<NodeExecutionError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NodeExecutionError);
  return err as NodeExecutionError;
}

describe('http.request success', () => {
  it('POSTs the input as JSON with correlation, idempotency and content-type headers, and parses a JSON answer', async () => {
    const ctx = makeCtx();
    const result = await http(ctx, { url: `${server.baseUrl}/json`, headers: { 'X-Api-Key': 'k-123456789' } }, { a: 1 });
    const sent = lastRequest();
    expect(sent.method).toBe('POST');
    expect(sent.headers['x-correlation-id']).toBe('corr-123');
    expect(sent.headers['idempotency-key']).toBe('run-1:node-1:0');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-api-key']).toBe('k-123456789');
    expect(sent.body).toBe('{"a":1}');
    expect(result.port).toBeUndefined();
    expect(result.output).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req-9' }) as unknown,
      body: { ok: true, received: { a: 1 } },
    });
    const headers = (result.output as { headers: Record<string, string> }).headers;
    expect(headers).not.toHaveProperty('set-cookie');
    expect(headers).not.toHaveProperty('x-internal-token');
  });

  it('builds the body with JSONata over the input and $trigger', async () => {
    await http(
      makeCtx(),
      { method: 'PUT', url: `${server.baseUrl}/json`, body: '{ "number": $trigger.invoice.number, "amount": total * 2 }' },
      { total: 21 },
    );
    expect(lastRequest().method).toBe('PUT');
    expect(JSON.parse(lastRequest().body)).toEqual({ number: 'INV-7', amount: 42 });
  });

  it('sends no body and no content type on GET and returns a text body as a string', async () => {
    const result = await http(makeCtx(), { method: 'GET', url: `${server.baseUrl}/text` }, { ignored: true });
    expect(lastRequest().body).toBe('');
    expect(lastRequest().headers['content-type']).toBeUndefined();
    expect(lastRequest().headers['x-correlation-id']).toBe('corr-123');
    expect(result.output).toMatchObject({ status: 200, body: 'plain hello' });
  });

  it('keeps the engine-owned headers even when the config tries to set them, but honours a configured content type', async () => {
    await http(
      makeCtx(),
      {
        method: 'PATCH',
        url: `${server.baseUrl}/json`,
        headers: { 'X-Correlation-Id': 'spoofed', 'Idempotency-Key': 'spoofed', 'Content-Type': 'application/merge-patch+json' },
      },
      { b: 2 },
    );
    expect(lastRequest().headers['x-correlation-id']).toBe('corr-123');
    expect(lastRequest().headers['idempotency-key']).toBe('run-1:node-1:0');
    expect(lastRequest().headers['content-type']).toBe('application/merge-patch+json');
  });

  it('returns null for an empty body and honours successStatuses', async () => {
    const empty = await http(makeCtx(), { method: 'DELETE', url: `${server.baseUrl}/empty` }, null);
    expect(empty.output).toMatchObject({ status: 204, body: null });
    const accepted = await http(makeCtx(), { method: 'GET', url: `${server.baseUrl}/404`, successStatuses: [200, 404] }, null);
    expect(accepted.output).toMatchObject({ status: 404, body: { error: 'no such invoice' } });
  });

  it('caps a large body at 1 MiB with a marker', async () => {
    const result = await http(makeCtx(), { method: 'GET', url: `${server.baseUrl}/big` }, null);
    const output = result.output as { body: string; truncated?: boolean };
    expect(output.truncated).toBe(true);
    expect(typeof output.body).toBe('string');
    expect(output.body.length).toBeLessThan(1024 * 1024 + 100);
    expect(output.body).toMatch(/…\[truncated: response body exceeded 1048576 bytes\]$/);
  });
});

describe('http.request failures', () => {
  it('treats 500 as retryable with the method, URL, status and a body snippet in the message', async () => {
    const err = await expectNodeError(http(makeCtx(), { url: `${server.baseUrl}/500` }, {}));
    expect(err).toMatchObject({ code: 'http_500', retryable: true, status: 500, retryAfterMs: undefined });
    expect(err.message).toBe(`POST ${server.baseUrl}/500 returned 500 Internal Server Error: database exploded at line 3`);
  });

  it('reads Retry-After as delta-seconds on 429', async () => {
    const err = await expectNodeError(http(makeCtx(), { method: 'GET', url: `${server.baseUrl}/429` }, null));
    expect(err).toMatchObject({ code: 'http_429', retryable: true, status: 429, retryAfterMs: 7000 });
  });

  it('reads Retry-After as an HTTP-date on 503', async () => {
    const err = await expectNodeError(http(makeCtx(), { method: 'GET', url: `${server.baseUrl}/503` }, null));
    expect(err).toMatchObject({ code: 'http_503', retryable: true });
    // HTTP-dates have one-second resolution.
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(28_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('treats 404 as permanent', async () => {
    const err = await expectNodeError(http(makeCtx(), { method: 'GET', url: `${server.baseUrl}/404` }, null));
    expect(err).toMatchObject({ code: 'http_404', retryable: false, status: 404, retryAfterMs: undefined });
    expect(err.message).toContain('no such invoice');
  });

  it('treats a refused connection as a retryable network error', async () => {
    const port = await unusedPort();
    const err = await expectNodeError(http(makeCtx(), { url: `http://127.0.0.1:${port}/x` }, {}));
    expect(err).toMatchObject({ code: 'network', retryable: true });
    expect(err.message).toBe(`POST http://127.0.0.1:${port}/x failed: connection refused (ECONNREFUSED)`);
  });

  it('treats a connection reset by the server as a retryable network error', async () => {
    const err = await expectNodeError(http(makeCtx(), { url: `${server.baseUrl}/reset` }, {}));
    expect(err).toMatchObject({ code: 'network', retryable: true });
    expect(err.message).toContain(`POST ${server.baseUrl}/reset failed:`);
  });

  it("rethrows the engine's abort reason untouched", async () => {
    const controller = new AbortController();
    const reason = new Error('node timeout after 50 ms');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    await expect(http(makeCtx({ signal: controller.signal }), { url: `${server.baseUrl}/hang` }, {})).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('surfaces an AbortSignal.timeout as the TimeoutError, not as a NodeExecutionError', async () => {
    const err: unknown = await http(makeCtx({ signal: AbortSignal.timeout(80) }), { url: `${server.baseUrl}/hang` }, {}).catch(
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(NodeExecutionError);
    expect((err as Error).name).toBe('TimeoutError');
  });

  it('never puts configured header values, URL credentials or query values into the error', async () => {
    const bearer = 'sk_live_9f8e7d6c5b4a';
    const apiKey = 'apikey-0123456789';
    const url = `http://svc-user:pa55-w0rd-xyz@${server.baseUrl.slice('http://'.length)}/echo-500?api_key=q-secret-42&page=2`;
    const err = await expectNodeError(
      http(makeCtx(), { url, headers: { Authorization: `Bearer ${bearer}`, 'X-Api-Key': apiKey } }, { a: 1 }),
    );
    // The target did receive them.
    expect(lastRequest().headers.authorization).toBe(`Bearer ${bearer}`);
    expect(lastRequest().headers['x-api-key']).toBe(apiKey);
    expect(err.code).toBe('http_500');
    for (const secret of [bearer, apiKey, 'pa55-w0rd-xyz', 'q-secret-42']) expect(err.message).not.toContain(secret);
    expect(err.message).toContain(`POST ${server.baseUrl}/echo-500?api_key=***&page=*** returned 500`);
    expect(err.message).toContain('[redacted]');
  });

  it('turns URL credentials into Basic auth and keeps them out of the message', async () => {
    const url = `http://svc-user:pa55-w0rd-xyz@${server.baseUrl.slice('http://'.length)}/404`;
    const err = await expectNodeError(http(makeCtx(), { method: 'GET', url }, null));
    expect(lastRequest().headers.authorization).toBe(`Basic ${Buffer.from('svc-user:pa55-w0rd-xyz').toString('base64')}`);
    expect(err.message).not.toContain('pa55-w0rd-xyz');
    expect(err.message).not.toContain('svc-user');
  });

  it.each([
    ['not a url', /url: must be an absolute http/],
    ['/relative/path', /url: must be an absolute http/],
    ['ftp://example.com/file', /url: scheme "ftp" is not allowed/],
    ['file:///etc/passwd', /url: scheme "file" is not allowed/],
  ])('rejects the URL %j as a permanent config error', async (url, message) => {
    const before = server.requests.length;
    const err = await expectNodeError(http(makeCtx(), { url }, {}));
    expect(err).toMatchObject({ code: 'invalid_config', retryable: false });
    expect(err.message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });

  it('rejects a header value with a line break without quoting it', async () => {
    const err = await expectNodeError(
      http(makeCtx(), { url: `${server.baseUrl}/json`, headers: { 'X-Api-Key': 'topsecret\r\nX-Evil: 1' } }, {}),
    );
    expect(err).toMatchObject({ code: 'invalid_config', retryable: false });
    expect(err.message).toContain('headers.X-Api-Key');
    expect(err.message).not.toContain('topsecret');
  });

  it('names the body field on a JSONata syntax error and sends nothing', async () => {
    const before = server.requests.length;
    const err = await expectNodeError(http(makeCtx(), { url: `${server.baseUrl}/json`, body: '{ "a": ' }, {}));
    expect(err).toMatchObject({ code: 'expression_error', retryable: false });
    expect(err.message).toMatch(/^body: .*position \d+/);
    expect(server.requests.length).toBe(before);
  });

  it('uses the injected fetch', async () => {
    const calls: string[] = [];
    const custom = createCoreExecutors({
      fetch: (input) => {
        calls.push(String(input));
        return Promise.resolve(new Response('{"from":"stub"}', { headers: { 'content-type': 'application/json' } }));
      },
    })['http.request'];
    const result = await custom(makeCtx(), { url: 'https://erp.example.test/api' }, {});
    expect(calls).toEqual(['https://erp.example.test/api']);
    expect(result.output).toMatchObject({ status: 200, body: { from: 'stub' } });
  });
});
