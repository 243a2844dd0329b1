import { expect, test, type APIRequestContext } from '@playwright/test';

/**
 * Events over HTTP through the real product: a published workflow parks on wait.event, an event
 * POSTed to /api/events/{tenant}/{hook path} wakes it, and it finishes with the event's payload.
 * The workflow is built through the API (tRPC over HTTP), the run started through its webhook.
 */

const TENANT = { 'x-switchyard-tenant': 'acme' };

async function trpc(request: APIRequestContext, path: string, input: unknown, kind: 'mutation' | 'query' = 'mutation'): Promise<unknown> {
  // tRPC's HTTP shape with the superjson transformer: { json: input } in, { result: { data: { json } } } out;
  // mutations are POSTs, queries GETs with the input in the query string.
  const res =
    kind === 'mutation'
      ? await request.post(`/api/trpc/${path}`, { data: { json: input }, headers: TENANT })
      : await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: TENANT });
  const body = (await res.json()) as { result?: { data: { json: unknown } }; error?: unknown };
  expect(body.error, `${path} failed: ${JSON.stringify(body.error)}`).toBeUndefined();
  return body.result!.data.json;
}

test('an event POSTed to /api/events wakes the run waiting for it', async ({ request }) => {
  const path = `shipments-${Date.now()}`;
  const at = { x: 0, y: 0 };
  const graph = {
    schemaVersion: 1,
    settings: {},
    nodes: [
      { id: 'hook', kind: 'trigger.webhook', position: at, config: { path, synchronous: false, responseTimeoutMs: 10000 } },
      { id: 'wait', kind: 'wait.event', position: { x: 200, y: 0 }, config: { key: 'order', timeoutMs: 600000 } },
      { id: 'done', kind: 'transform', position: { x: 400, y: 0 }, config: { expression: '{ "shipped": carrier }' } },
    ],
    edges: [
      { id: 'e1', source: 'hook', sourcePort: 'out', target: 'wait' },
      { id: 'e2', source: 'wait', sourcePort: 'out', target: 'done' },
    ],
  };
  const { id } = (await trpc(request, 'workflows.create', { name: `Shipments ${path}` })) as { id: string };
  await trpc(request, 'workflows.saveDraft', { id, graph, expectedRevision: 1 });
  await trpc(request, 'workflows.publish', { id });

  const order = `SO-${Date.now()}`;
  const started = await request.post(`/api/hooks/acme/${path}`, { data: { order } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  const status = async () => ((await trpc(request, 'runs.get', { id: runId }, 'query')) as { status: string }).status;
  await expect.poll(status, { timeout: 30_000 }).toBe('waiting');

  // Bad bodies are refused with the field named; an event nobody waits for is a 404.
  const bad = await request.post(`/api/events/acme/${path}`, { data: { key: order, colour: 'red' } });
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('colour');
  expect((await request.post(`/api/events/acme/${path}`, { data: { key: 'SO-nobody' } })).status()).toBe(404);
  // The tenant-wide endpoint needs an API key with the events scope.
  expect((await request.post('/api/events/acme', { data: { key: order } })).status()).toBe(401);

  const delivered = await request.post(`/api/events/acme/${path}`, { data: { key: order, payload: { carrier: 'DHL' } } });
  expect(delivered.status()).toBe(202);
  expect(await delivered.json()).toEqual({ delivered: [{ runId, previousStatus: 'waiting' }] });
  await expect.poll(status, { timeout: 30_000 }).toBe('succeeded');
  expect(((await trpc(request, 'runs.get', { id: runId }, 'query')) as { result: unknown }).result).toEqual({ shipped: 'DHL' });
});
