import { toJsonValue, type PrismaClient } from '@switchyard/db';
import { validateGraph, type Graph } from '@switchyard/workflow';

/** Demo estate: two tenants, each with a published, synchronous "Invoice sync" workflow. */
const DEMO_TENANTS = [
  { slug: 'acme', name: 'Acme Manufacturing', timeZone: 'Europe/Berlin' },
  { slug: 'globex', name: 'Globex Retail', timeZone: 'America/New_York' },
] as const;

export function invoiceSyncGraph(receiverUrl: string): Graph {
  const raw = {
    schemaVersion: 1,
    settings: { description: 'Canonical invoice in, ledger invoice out, answer the caller with the ledger id.' },
    nodes: [
      {
        id: 'webhook',
        kind: 'trigger.webhook',
        label: 'Invoice received',
        position: { x: 0, y: 0 },
        config: { path: 'invoices', synchronous: true, idempotencyKeyPath: 'number', responseTimeoutMs: 10000 },
      },
      {
        id: 'map',
        kind: 'transform',
        label: 'Map to ledger invoice',
        position: { x: 260, y: 0 },
        config: {
          expression:
            '{ "externalId": number, "customer": customer.name, "currency": currency, "lines": lines.{ "sku": sku, "qty": quantity, "amount": quantity * unitPrice }, "total": $sum(lines.(quantity * unitPrice)) }',
        },
      },
      {
        id: 'post',
        kind: 'http.request',
        label: 'Post to ledger',
        position: { x: 520, y: 0 },
        config: { method: 'POST', url: `${receiverUrl}/invoices`, headers: {} },
        policy: { retry: { maxAttempts: 5, initialDelayMs: 200 }, timeoutMs: 5000 },
      },
      {
        id: 'reply',
        kind: 'respond',
        label: 'Answer caller',
        position: { x: 780, y: 0 },
        config: { status: 200, headers: {}, body: '{ "status": "synced", "ledgerId": body.id }' },
      },
    ],
    edges: [
      { id: 'e1', source: 'webhook', sourcePort: 'out', target: 'map' },
      { id: 'e2', source: 'map', sourcePort: 'out', target: 'post' },
      { id: 'e3', source: 'post', sourcePort: 'out', target: 'reply' },
    ],
  };
  const result = validateGraph(raw);
  if (!result.ok) throw new Error(`demo graph is invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return result.graph;
}

/** Seeds once: does nothing when the demo tenants already exist (data survives restarts). */
export async function seedDemo(prisma: PrismaClient, opts: { receiverUrl: string }): Promise<{ seeded: boolean }> {
  const existing = await prisma.tenant.count({ where: { slug: { in: DEMO_TENANTS.map((t) => t.slug) } } });
  if (existing > 0) return { seeded: false };
  const graph = invoiceSyncGraph(opts.receiverUrl);
  await prisma.$transaction(async (tx) => {
    for (const t of DEMO_TENANTS) {
      const tenant = await tx.tenant.create({ data: t, select: { id: true } });
      const workflow = await tx.workflow.create({
        data: { tenantId: tenant.id, name: 'Invoice sync', description: 'Syncs canonical invoices to the ledger.', draftGraph: toJsonValue(graph) },
        select: { id: true },
      });
      const version = await tx.workflowVersion.create({
        data: { tenantId: tenant.id, workflowId: workflow.id, version: 1, graph: toJsonValue(graph), note: 'Demo' },
        select: { id: true },
      });
      await tx.workflow.update({ where: { id: workflow.id, tenantId: tenant.id }, data: { activeVersionId: version.id } });
      await tx.webhookRoute.create({ data: { tenantId: tenant.id, workflowId: workflow.id, path: 'invoices' } });
    }
  });
  return { seeded: true };
}
