import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngressHandler, MAX_WEBHOOK_BODY_BYTES, matchWebhookRequest } from '../src/index';
import { callerFor } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';
import { webhookGraph } from './support/graphs';

describe('matchWebhookRequest', () => {
  it('takes POST /api/hooks/{tenant}/{path…} and decodes each segment like the Next.js route', () => {
    expect(matchWebhookRequest('POST', '/api/hooks/acme/invoices')).toEqual({ tenantSlug: 'acme', path: 'invoices' });
    expect(matchWebhookRequest('POST', '/api/hooks/acme/erp/invoices/?x=1')).toEqual({ tenantSlug: 'acme', path: 'erp/invoices' });
    expect(matchWebhookRequest('POST', '/api/hooks/ac%6De/a%20b')).toEqual({ tenantSlug: 'acme', path: 'a b' });
  });

  it('leaves everything else to the framework', () => {
    expect(matchWebhookRequest('GET', '/api/hooks/acme/invoices')).toBeNull();
    expect(matchWebhookRequest('POST', '/api/hooks/acme')).toBeNull();
    expect(matchWebhookRequest('POST', '/api/hooks/acme//x')).toBeNull();
    expect(matchWebhookRequest('POST', '/api/hooks/%E0%A4%A/x')).toBeNull();
    expect(matchWebhookRequest('POST', '/api/trpc/runs.list')).toBeNull();
    expect(matchWebhookRequest('POST', undefined)).toBeNull();
  });
});

describe.skipIf(postgresUnavailable !== null)(`webhook ingress on node:http${postgresUnavailable ? ` (skipped: ${postgresUnavailable})` : ''}`, () => {
  let t: TestDatabase;
  let server: http.Server;
  let base = '';
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await createTestDatabase('api_ingress_node_http');
    await createTenant(t.db, 'acme', 'Acme');
    const a = callerFor(t.db, 'acme');
    const { id } = await a.workflows.create({ name: 'Invoices' });
    await a.workflows.saveDraft({ id, graph: webhookGraph('invoices', { idempotencyKeyPath: 'invoice.number' }), expectedRevision: 1 });
    await a.workflows.publish({ id });
    const ingress = createIngressHandler({ database: () => Promise.resolve(t.db), onError: (e) => errors.push(e) });
    server = http.createServer((req, res) => {
      if (ingress(req, res)) return;
      // Stands in for the framework: proves the request was handed on untouched.
      res.writeHead(299, { 'content-type': 'text/plain' });
      res.end(`passed on: ${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.drop();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('accepts a delivery with 202 and the run id, and answers a repeat from the same run', async () => {
    const body = JSON.stringify({ invoice: { number: 'INV-NODE-1' } });
    const first = await post('/api/hooks/acme/invoices', body);
    expect(first.status).toBe(202);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const accepted = (await first.json()) as { runId: string; correlationId: string };
    expect(first.headers.get('x-correlation-id')).toBe(accepted.correlationId);
    const run = await t.db.prisma.run.findUniqueOrThrow({ where: { id: accepted.runId } });
    expect(run.triggerPayload).toEqual({ invoice: { number: 'INV-NODE-1' } });

    const again = await post('/api/hooks/acme/invoices', body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { runId: string }).runId).toBe(accepted.runId);
    const conflict = await post('/api/hooks/acme/invoices', JSON.stringify({ invoice: { number: 'INV-NODE-1' }, changed: true }));
    expect(conflict.status).toBe(409);
  });

  it('refuses bad input with the same answers as the Next.js route, starting nothing', async () => {
    const before = await t.db.prisma.run.count();
    const notJson = await post('/api/hooks/acme/invoices', '{"invoice": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/^the body is not JSON: /);
    const big = await post('/api/hooks/acme/invoices', JSON.stringify({ pad: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toContain(`at most ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    expect((await post('/api/hooks/nobody/invoices', '{}')).status).toBe(404);
    expect(await t.db.prisma.run.count()).toBe(before);
    expect(errors).toEqual([]);
  });

  it('hands every other request on untouched', async () => {
    const page = await fetch(`${base}/runs?status=failed`);
    expect(page.status).toBe(299);
    expect(await page.text()).toBe('passed on: GET /runs?status=failed');
    const get = await fetch(`${base}/api/hooks/acme/invoices`);
    expect(await get.text()).toBe('passed on: GET /api/hooks/acme/invoices');
  });
});
