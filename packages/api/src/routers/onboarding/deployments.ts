import { randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { instantiateTemplate } from '@switchyard/connectors';
import { checkCron, nextSlot, sealWebhookSecret, toJsonValue, type Prisma, type SecretKeyring } from '@switchyard/db';
import { checkGraph, webhookTriggerConfig } from '../../graph-input';
import { generateWebhookSecret } from '../../ingress/signature';
import type { DraftData } from './draft';
import { failed, type StepResult } from './issues';
import { templateParams } from './validate';

/** Thrown inside a transaction to roll it back with an answer the wizard can show at a step. */
export class Refused extends Error {
  constructor(readonly result: Extract<StepResult, { ok: false }>) {
    super('refused');
  }
}

export interface Deployment {
  workflowId: string;
  name: string;
  version: number;
  webhookPath: string | null;
  templateId: string;
  /** What this sync did to it. */
  change: 'created' | 'published' | 'reactivated' | 'unchanged';
}

export interface WebhookEndpoint {
  workflowId: string;
  workflow: string;
  path: string;
  url: string;
  /** Shown once: only for a route that got its first signing secret now. */
  secret: string;
}

export interface SyncResult {
  deployments: Deployment[];
  webhookEndpoints: WebhookEndpoint[];
  deactivated: Array<{ workflowId: string; name: string; templateId: string }>;
}

const sameGraph = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

/**
 * Makes a tenant's template workflows match `data.workflows` inside the caller's transaction: each
 * chosen template is built with the tenant's ERP, connection names, lookup tables and its variables;
 * a new one becomes a workflow published as version 1 with its webhook route and a signing secret; an
 * existing one gets a new version only when the built graph differs from its active one (so editing
 * variables, lookups or connection names republishes, and re-saving unchanged answers does not); a
 * template no longer chosen is deactivated (no active version, no route; its history and variables
 * stay, so choosing it again brings it back). Used by go-live and by edits from the tenant overview.
 */
export async function syncTemplateDeployments(
  tx: Prisma.TransactionClient,
  input: { tenantId: string; tenantSlug: string; data: DraftData; overlayVersion: number; hookKeyring: SecretKeyring; hookBase: string; note: string },
): Promise<SyncResult> {
  const { tenantId, data } = input;
  const result: SyncResult = { deployments: [], webhookEndpoints: [], deactivated: [] };
  const chosen = data.workflows?.selected ?? [];
  for (const { templateId, variables } of chosen) {
    const built = instantiateTemplate(templateId, templateParams(data, templateId, variables, input.overlayVersion));
    if (!built.ok) throw new Refused(failed('workflows', built.issues.map((i) => ({ field: `workflows.${templateId}.${i.path.replace(/^params\./, '')}`, message: i.message }))));
    const graph = checkGraph(built.built.graph);
    if (!graph.ok) throw new Error(`template ${templateId} built an invalid graph: ${graph.issues[0]?.message ?? ''}`);
    const path = webhookTriggerConfig(graph.graph)?.path ?? null;

    // The deployment row names the workflow; a tenant onboarded before rows were kept is matched by the built name.
    const row = await tx.templateDeployment.findUnique({ where: { tenantId_templateId: { tenantId, templateId } }, select: { workflowId: true } });
    let workflow = await tx.workflow.findFirst({
      where: { tenantId, ...(row ? { id: row.workflowId } : { name: built.built.name }) },
      select: { id: true, name: true, draftGraph: true, activeVersionId: true, _count: { select: { webhookSecrets: true } } },
    });
    let change: Deployment['change'] = 'unchanged';
    let version = 1;
    if (!workflow) {
      const created = await tx.workflow.create({ data: { tenantId, name: built.built.name, description: built.built.description, draftGraph: toJsonValue(graph.graph) }, select: { id: true } });
      workflow = { id: created.id, name: built.built.name, draftGraph: graph.graph as unknown as Prisma.JsonValue, activeVersionId: null, _count: { webhookSecrets: 0 } };
      change = 'created';
    }
    const active = workflow.activeVersionId ? await tx.workflowVersion.findFirst({ where: { id: workflow.activeVersionId, tenantId }, select: { graph: true, version: true } }) : null;
    if (active && sameGraph(active.graph, graph.graph)) {
      version = active.version;
    } else {
      const { _max } = await tx.workflowVersion.aggregate({ where: { tenantId, workflowId: workflow.id, version: { gt: 0 } }, _max: { version: true } });
      version = (_max.version ?? 0) + 1;
      const created = await tx.workflowVersion.create({ data: { tenantId, workflowId: workflow.id, version, graph: toJsonValue(graph.graph), note: input.note }, select: { id: true } });
      // The designer's draft follows the template unless someone changed it there: their work is not overwritten.
      const draftUntouched = change === 'created' || (active !== null && sameGraph(workflow.draftGraph, active.graph));
      await tx.workflow.update({
        where: { id: workflow.id },
        data: { activeVersionId: created.id, description: built.built.description, ...(draftUntouched && change !== 'created' ? { draftGraph: toJsonValue(graph.graph), draftRevision: { increment: 1 } } : {}) },
      });
      if (change === 'unchanged') change = active ? 'published' : 'reactivated';
    }

    // A workflow answers on at most one path: the one of its active version.
    await tx.webhookRoute.deleteMany({ where: { tenantId, workflowId: workflow.id, ...(path !== null ? { path: { not: path } } : {}) } });
    if (path !== null) {
      const owner = await tx.webhookRoute.findFirst({ where: { tenantId, path }, select: { workflowId: true } });
      if (owner && owner.workflowId !== workflow.id) {
        throw new Refused(failed('workflows', [{ field: `workflows.${templateId}.webhookPath`, message: `another workflow of this tenant already receives events at "${path}": choose another path` }]));
      }
      if (!owner) await tx.webhookRoute.create({ data: { tenantId, workflowId: workflow.id, path } });
      if (workflow._count.webhookSecrets === 0) {
        const secret = generateWebhookSecret();
        const secretId = randomUUID();
        await tx.webhookSecret.create({ data: { id: secretId, tenantId, workflowId: workflow.id, ...sealWebhookSecret(input.hookKeyring, tenantId, secretId, secret) } });
        result.webhookEndpoints.push({ workflowId: workflow.id, workflow: workflow.name, path, url: `${input.hookBase}/api/hooks/${input.tenantSlug}/${path}`, secret });
      }
    }
    // Batch templates (the nightly reconciliation) come with their schedule, created once per workflow.
    const schedule = built.built.schedule;
    if (schedule && !(await tx.schedule.findFirst({ where: { tenantId, workflowId: workflow.id }, select: { id: true } }))) {
      const { timeZone } = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timeZone: true } });
      const cron = checkCron(schedule.cron, timeZone);
      if (!cron.ok) throw new Refused(failed('workflows', [{ field: `workflows.${templateId}.cron`, message: cron.message }]));
      await tx.schedule.create({
        data: { tenantId, workflowId: workflow.id, name: `${workflow.name} (schedule)`.slice(0, 200), cron: schedule.cron, timeZone, payload: toJsonValue(schedule.payload), nextFireAt: nextSlot(schedule.cron, timeZone, new Date()) },
      });
    }
    await tx.templateDeployment.upsert({
      where: { workflowId: workflow.id },
      create: { workflowId: workflow.id, tenantId, templateId, variables: toJsonValue(variables) },
      update: { variables: toJsonValue(variables), updatedAt: new Date() },
    });
    result.deployments.push({ workflowId: workflow.id, name: workflow.name, version, webhookPath: path, templateId, change });
  }

  const chosenIds = new Set(chosen.map((c) => c.templateId));
  const others = await tx.templateDeployment.findMany({ where: { tenantId, templateId: { notIn: [...chosenIds] } }, select: { workflowId: true, templateId: true, workflow: { select: { name: true, activeVersionId: true } } } });
  for (const other of others) {
    if (other.workflow.activeVersionId === null) continue;
    await tx.workflow.update({ where: { id: other.workflowId }, data: { activeVersionId: null } });
    // Without a route, ingress answers 404 for its path (the route cache re-checks the route on enqueue).
    await tx.webhookRoute.deleteMany({ where: { tenantId, workflowId: other.workflowId } });
    result.deactivated.push({ workflowId: other.workflowId, name: other.workflow.name, templateId: other.templateId });
  }
  return result;
}
