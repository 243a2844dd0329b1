import { randomBytes } from 'node:crypto';
import { addWebhookSecret, createWorkflow, loadSecretKeyring, publishVersion, type PrismaClient } from '@switchyard/db';
import { validateGraph, type Graph } from '@switchyard/workflow';
import { graph } from '@switchyard/workflow/testing';

/**
 * The bench tenant and its published workflows, written through the same repositories the API uses
 * (create, then publish: immutable version + active version + webhook route).
 */

export const BENCH_TENANT_SLUG = 'bench';
export const CHAIN_LENGTH = 100;

export interface BenchWorkflow {
  id: string;
  versionId: string;
  /** Webhook path, or null for the manually triggered chain. */
  path: string | null;
}

export interface BenchSeed {
  tenantId: string;
  /** webhook → HTTP POST to the receiver → done (ingest, end to end, cost). */
  e2e: BenchWorkflow;
  /** synchronous webhook → transform → respond. */
  sync: BenchWorkflow;
  /** webhook → HTTP POST to the receiver, which answers after 100 ms (scale-out). */
  slow: BenchWorkflow;
  /** manual trigger → 100 transform nodes in a row (per-step overhead; run with no-op executors). */
  chain: BenchWorkflow;
  /** Standard Webhooks signing secret of the e2e and sync routes: their requests must be signed. */
  signingSecret: string;
}

export function e2eGraph(receiverUrl: string, path: string, delayMs = 0): Graph {
  return valid(
    graph()
      .node('hook', 'trigger.webhook', { path, synchronous: false, responseTimeoutMs: 10_000 })
      .node('call', 'http.request', { method: 'POST', url: `${receiverUrl}/sink${delayMs ? `?delayMs=${delayMs}` : ''}`, headers: {} })
      .edge('hook', 'call')
      .build(),
  );
}

export function syncGraph(): Graph {
  return valid(
    graph()
      .node('hook', 'trigger.webhook', { path: 'sync', synchronous: true, responseTimeoutMs: 10_000 })
      .node('shape', 'transform', { expression: '{ "order": order, "total": $sum(lines.(qty * price)), "lines": $count(lines) }' })
      .node('reply', 'respond', { status: 200, headers: {}, body: '{ "accepted": true, "order": order, "total": total }' })
      .edge('hook', 'shape')
      .edge('shape', 'reply')
      .build(),
  );
}

export function chainGraph(length = CHAIN_LENGTH): Graph {
  const builder = graph().node('start', 'trigger.manual', {});
  let previous = 'start';
  for (let i = 1; i <= length; i++) {
    const id = `n${i}`;
    builder.node(id, 'transform', { expression: '$' }).edge(previous, id);
    previous = id;
  }
  return valid(builder.build());
}

function valid(raw: Graph): Graph {
  const result = validateGraph(raw);
  if (!result.ok) throw new Error(`bench graph is invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return result.graph;
}

async function publish(prisma: PrismaClient, tenantId: string, name: string, g: Graph, path: string | null): Promise<BenchWorkflow> {
  const created = await createWorkflow(prisma, tenantId, { name, description: `benchmark workflow (${name})`, draftGraph: g });
  if (!created.ok) throw new Error(`could not create bench workflow ${name}: name taken`);
  const published = await publishVersion(prisma, tenantId, { workflowId: created.id, draftRevision: 1, graph: g, note: 'bench', webhookPath: path });
  if (published.status !== 'published') throw new Error(`could not publish bench workflow ${name}: ${published.status}`);
  return { id: created.id, versionId: published.versionId, path };
}

export async function seedBench(prisma: PrismaClient, receiverUrl: string): Promise<BenchSeed> {
  const tenant = await prisma.tenant.create({ data: { slug: BENCH_TENANT_SLUG, name: 'Benchmark tenant' }, select: { id: true } });
  const e2e = await publish(prisma, tenant.id, 'e2e', e2eGraph(receiverUrl, 'e2e'), 'e2e');
  const sync = await publish(prisma, tenant.id, 'sync', syncGraph(), 'sync');
  // Signed routes, as the issue's ingest figure asks: the ingress verifies every request's HMAC
  // and records its webhook-id against replays. (The slow route is fed through enqueueRun.)
  const signingSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const keyring = loadSecretKeyring({ databaseKind: 'postgres' });
  for (const workflow of [e2e, sync]) await addWebhookSecret(prisma, keyring, { tenantId: tenant.id, workflowId: workflow.id, secret: signingSecret });
  return {
    tenantId: tenant.id,
    e2e,
    sync,
    slow: await publish(prisma, tenant.id, 'slow', e2eGraph(receiverUrl, 'slow', 100), 'slow'),
    chain: await publish(prisma, tenant.id, 'chain', chainGraph(), null),
    signingSecret,
  };
}
