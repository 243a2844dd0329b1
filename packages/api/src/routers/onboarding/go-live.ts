import { createHash, randomUUID } from 'node:crypto';
import { sampleInvoice } from '@switchyard/canonical';
import { CORRELATION_ID_HEADER } from '@switchyard/workflow';
import { encryptSecret, recordAudit, toJsonValue, type Prisma } from '@switchyard/db';
import { signWebhook } from '../../ingress/signature';
import { handleWebhook } from '../../ingress/webhook';
import { actorOf } from '../../security/actor';
import { serverKeyring } from '../../security/keyring';
import type { Context } from '../../trpc';
import { keyringFor } from '../connections/platform';
import { Refused, syncTemplateDeployments } from './deployments';
import type { Draft } from './draft';
import { failed, type Issue, type StepResult } from './issues';
import { mappingObjectsFor, missingLookupIssues, overlayOf } from './mappings';
import { validatePolicies, validateProfile, validateSystems, validateWorkflows } from './validate';
import type { OnboardingErp } from './catalog';

/** Re-checks every step, in wizard order, and reports the first step with problems. */
export async function checkAllSteps(ctx: Context, draft: Draft): Promise<StepResult> {
  const { profile, systems, mappings, policies, workflows } = draft.data;
  if (!profile) return failed('profile', [{ field: 'profile', message: 'the tenant profile is not filled in' }]);
  const p = await validateProfile(ctx.db.prisma, profile);
  if (p.length) return failed('profile', p);
  if (!systems) return failed('systems', [{ field: 'systems.erp', message: 'choose the ERP and enter its connection' }]);
  const s = await validateSystems(systems, draft.secrets);
  if (s.length) return failed('systems', s);
  const m = await missingLookupIssues(systems.erp as OnboardingErp, mappings, workflows);
  if (m.length) return failed('mappings', m);
  const pol = validatePolicies(policies ?? { overrides: {} });
  if (pol.issues.length) return failed('policies', pol.issues);
  const w = validateWorkflows(draft.data, workflows ?? { selected: [] });
  if (w.length) return failed('workflows', w);
  return { ok: true };
}

export interface Activated {
  tenantId: string;
  slug: string;
  connections: Array<{ id: string; name: string; system: string }>;
  deployments: Array<{ workflowId: string; name: string; version: number; webhookPath: string | null; templateId: string }>;
  /** Shown once: the signing secret of each workflow's webhook route. */
  webhookEndpoints: Array<{ workflowId: string; workflow: string; path: string; url: string; secret: string }>;
}

/**
 * Go-live: the tenant, its policy overrides, connections (credentials encrypted), lookup tables, the
 * chosen workflows (instantiated, published as version 1, routed) and their webhook signing secrets,
 * and the draft's link to the tenant: ONE transaction, so a failure anywhere leaves nothing behind
 * and the draft can be fixed and activated again.
 */
export async function activate(ctx: Context, draft: Draft, hookBase: string): Promise<{ ok: true; activated: Activated } | Extract<StepResult, { ok: false }>> {
  const checked = await checkAllSteps(ctx, draft);
  if (!checked.ok) return checked;
  const data = draft.data;
  const profile = data.profile!;
  const systems = data.systems!;
  const erp = systems.erp as OnboardingErp;
  const overlay = overlayOf(data.mappings);
  const policy = validatePolicies(data.policies ?? { overrides: {} }).policy ?? {};
  const connectionKeyring = keyringFor(ctx.db);
  const hookKeyring = serverKeyring(ctx.db);
  const actor = actorOf(ctx);

  try {
    const activated = await ctx.db.prisma.$transaction(
      async (tx) => {
        const claimed = await tx.onboardingDraft.updateMany({ where: { id: draft.id, tenantId: null, editsTenantId: null }, data: { updatedAt: new Date() } });
        if (claimed.count !== 1) throw new Refused(failed('review', [{ field: 'draft', message: 'this onboarding is already live' }]));
        const tenant = await tx.tenant.create({
          data: { slug: profile.slug, name: profile.name.trim(), timeZone: profile.timeZone, region: profile.region, baseCurrency: profile.baseCurrency },
          select: { id: true, slug: true },
        });
        if (Object.keys(policy).length > 0) await tx.tenantPolicy.create({ data: { tenantId: tenant.id, policy: toJsonValue(policy) } });

        const connections: Activated['connections'] = [];
        for (const c of systems.connections) {
          const id = randomUUID();
          const blob = encryptSecret(connectionKeyring.current, { tenantId: tenant.id, connectionId: id }, draft.secrets[c.slot] ?? {});
          await tx.connection.create({
            data: { id, tenantId: tenant.id, name: c.name, system: c.system, baseUrl: c.baseUrl.replace(/\/+$/, ''), config: toJsonValue(c.config), encryptedCredentials: new Uint8Array(blob), keyId: connectionKeyring.current.id },
          });
          connections.push({ id, name: c.name, system: c.system });
        }

        // One overlay version per canonical object the workflows map; the same lookup tables in each.
        const objects = new Set(['invoice', ...mappingObjectsFor(erp, data.workflows).map((o) => o.object)]);
        for (const object of objects) {
          await tx.tenantMapping.create({ data: { tenantId: tenant.id, erp, object, version: 1, overlay: toJsonValue(overlay), note: 'Onboarding' } });
        }

        const synced = await syncTemplateDeployments(tx as unknown as Prisma.TransactionClient, {
          tenantId: tenant.id,
          tenantSlug: tenant.slug,
          data,
          overlayVersion: 1,
          hookKeyring,
          hookBase,
          note: 'Activated by onboarding',
        });
        const deployments: Activated['deployments'] = synced.deployments.map(({ change: _c, ...d }) => d);
        const webhookEndpoints = synced.webhookEndpoints;

        await recordAudit(tx as unknown as Prisma.TransactionClient, {
          tenantId: tenant.id,
          actor,
          action: 'tenant.onboard',
          entityType: 'tenant',
          entityId: tenant.id,
          after: { slug: tenant.slug, erp, connections: connections.map((c) => c.name), workflows: deployments.map((d) => d.name), policy },
        });
        await tx.onboardingDraft.update({ where: { id: draft.id }, data: { tenantId: tenant.id, step: 5, encryptedSecrets: null, keyId: null } });
        return { tenantId: tenant.id, slug: tenant.slug, connections, deployments, webhookEndpoints };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    return { ok: true, activated };
  } catch (err) {
    if (err instanceof Refused) return err.result;
    // The slug was free when checked but another go-live took it first: the unique index decides.
    if ((err as { code?: string }).code === 'P2002' && /slug/.test(JSON.stringify((err as { meta?: unknown }).meta ?? '') + String((err as Error).message))) {
      return failed('profile', [{ field: 'profile.slug', message: `"${profile.slug}" was taken a moment ago by another tenant; choose another` }]) as Extract<StepResult, { ok: false }>;
    }
    throw err;
  }
}

const ACTIVE = new Set(['queued', 'running']);
const TEST_EVENT_WAIT_MS = 20_000;

export interface TestEventResult {
  workflow: string;
  path: string;
  status: number;
  ok: boolean;
  body: unknown;
  runId: string | null;
  runStatus: string | null;
}

/**
 * Sends the canonical sample invoice (numbered for this tenant) through the tenant's first webhook
 * workflow, invoice sync when chosen, exactly as a partner would: signed with the route's secret,
 * through ingress, run by the worker against the tenant's ERP. Synchronous workflows answer with the
 * run's result.
 */
export async function sendTestEvent(ctx: Context, activated: Pick<Activated, 'slug' | 'webhookEndpoints' | 'deployments'>): Promise<TestEventResult | null> {
  const invoiceSync = activated.deployments.find((d) => d.templateId === 'invoice-sync');
  const endpoint = activated.webhookEndpoints.find((e) => e.workflowId === invoiceSync?.workflowId) ?? activated.webhookEndpoints[0];
  if (!endpoint) return null;
  // Numbered per tenant yet short: Oracle Fusion keeps at most 20 characters of a transaction number,
  // and the connector writes the whole number as the record's key.
  const number = `INV-OB-${createHash('sha256').update(activated.slug).digest('hex').slice(0, 10)}`;
  const invoice = { ...sampleInvoice(), number, id: number };
  const body = JSON.stringify(invoice);
  const id = `msg_onboarding_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await handleWebhook(ctx.db, {
    tenantSlug: activated.slug,
    path: endpoint.path,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook({ secret: endpoint.secret, id, timestamp, body }),
    },
    rawBody: body,
  });
  // A synchronous workflow answers with its respond node's body; the run is found by its correlation id.
  const correlationId = response.headers[CORRELATION_ID_HEADER];
  const findRun = () =>
    correlationId
      ? ctx.db.prisma.run.findFirst({ where: { tenant: { slug: activated.slug }, correlationId }, select: { id: true, status: true }, orderBy: { createdAt: 'desc' } })
      : Promise.resolve(null);
  // An asynchronous workflow (or a slow ERP) answers 202 before the run ends: wait a little for its outcome.
  let run = await findRun();
  for (let waited = 0; run && ACTIVE.has(run.status) && waited < TEST_EVENT_WAIT_MS; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    run = await findRun();
  }
  return {
    workflow: endpoint.workflow,
    path: endpoint.path,
    status: response.status,
    ok: response.status >= 200 && response.status < 300 && (run === null || run.status === 'succeeded' || run.status === 'waiting'),
    body: response.body,
    runId: run?.id ?? null,
    runStatus: run?.status ?? null,
  };
}

export type { Issue };
