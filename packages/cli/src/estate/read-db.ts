import { decryptSecret, type Prisma, type SecretKeyring } from '@switchyard/db';
import { mappingKey, type Estate, type ScheduleSpec, type TenantEstate, type WorkflowEstate } from './model';
import { sortKeys } from './files';
import { credentialRef, signingSecretRef } from './secret-refs';

// Reads the estate as it is in the database, in the exact form `export` writes, plus what `plan`
// and `apply` need beside it: row ids, and the decrypted secrets to compare supplied values with
// (they stay in memory; nothing here is printed or written).

export interface DatabaseState {
  estate: Estate;
  tenantIds: Map<string, string>;
  /** `<slug>/<workflow name>` → workflow id. */
  workflowIds: Map<string, string>;
  /** `<slug>/<connection name>` → id. */
  connectionIds: Map<string, string>;
  /** `<slug>/<connection name>` → decrypted credentials, or why they cannot be opened. */
  credentials: Map<string, Record<string, unknown> | Error>;
  /** `<slug>/<workflow name>` → the live signing secrets, newest first. */
  signingSecrets: Map<string, string[] | Error>;
  /** `<slug>/<workflow name>` → schedule ids in the order of the deployment's `schedules`. */
  scheduleIds: Map<string, string[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Graphs may name a connection (`connectionId`) or a called workflow (`workflow.call`) by id or by
 * name; ids differ between databases, so the estate always uses names. Resolving by name is what the
 * worker does for either form, so the graph means the same thing.
 */
export function graphWithNames(graph: unknown, connectionNames: Map<string, string>, workflowNames: Map<string, string>): Record<string, unknown> {
  if (graph === null || typeof graph !== 'object' || Array.isArray(graph)) return {};
  const g = graph as { nodes?: unknown };
  if (!Array.isArray(g.nodes)) return graph as Record<string, unknown>;
  const nodes = g.nodes.map((node: unknown) => {
    if (node === null || typeof node !== 'object') return node;
    const n = node as { kind?: unknown; config?: Record<string, unknown> };
    if (!n.config || typeof n.config !== 'object') return node;
    const config = { ...n.config };
    for (const field of ['connectionId', 'connection']) {
      const v = config[field];
      if (typeof v === 'string' && UUID.test(v) && connectionNames.has(v.toLowerCase())) config[field] = connectionNames.get(v.toLowerCase());
    }
    if (n.kind === 'workflow.call' && typeof config.workflow === 'string' && workflowNames.has(config.workflow.toLowerCase())) {
      config.workflow = workflowNames.get(config.workflow.toLowerCase());
    }
    return { ...n, config };
  });
  return { ...(graph as Record<string, unknown>), nodes };
}

const sealedAs = (tenantId: string, what: string) => ({ tenantId, connectionId: what });

/** Reads through `prisma`, which may be a transaction (apply reads and writes in one). */
export async function readDatabaseState(prisma: Prisma.TransactionClient, keyring: SecretKeyring | null): Promise<DatabaseState> {
  const state: DatabaseState = {
    estate: new Map(),
    tenantIds: new Map(),
    workflowIds: new Map(),
    connectionIds: new Map(),
    credentials: new Map(),
    signingSecrets: new Map(),
    scheduleIds: new Map(),
  };
  const open = (keyId: string, binding: { tenantId: string; connectionId: string }, blob: Uint8Array): unknown => {
    if (!keyring) throw new Error('no secret key is configured (SWITCHYARD_SECRET_KEY)');
    return decryptSecret(keyring, keyId, binding, blob);
  };

  const tenants = await prisma.tenant.findMany({
    select: { id: true, slug: true, name: true, timeZone: true, region: true, baseCurrency: true, policy: { select: { policy: true } } },
    orderBy: { slug: 'asc' },
  });
  for (const t of tenants) {
    state.tenantIds.set(t.slug, t.id);
    const tenant: TenantEstate = {
      tenant: { kind: 'Tenant', slug: t.slug, name: t.name, timeZone: t.timeZone, region: t.region as 'eu', baseCurrency: t.baseCurrency },
      policy: t.policy ? { kind: 'TenantPolicy', policy: t.policy.policy as Record<string, unknown> } : null,
      connections: new Map(),
      mappings: new Map(),
      workflows: new Map(),
    };
    state.estate.set(t.slug, tenant);

    const connections = await prisma.connection.findMany({
      where: { tenantId: t.id },
      select: { id: true, name: true, system: true, baseUrl: true, config: true, encryptedCredentials: true, keyId: true },
      orderBy: { name: 'asc' },
    });
    const connectionNames = new Map(connections.map((c) => [c.id.toLowerCase(), c.name]));
    for (const c of connections) {
      const key = `${t.slug}/${c.name}`;
      state.connectionIds.set(key, c.id);
      let fields: string[] = [];
      try {
        const creds = open(c.keyId, sealedAs(t.id, c.id), c.encryptedCredentials);
        const record = creds !== null && typeof creds === 'object' && !Array.isArray(creds) ? (creds as Record<string, unknown>) : {};
        state.credentials.set(key, record);
        fields = Object.keys(record).filter((f) => record[f] !== undefined && record[f] !== null && record[f] !== '');
      } catch (err) {
        state.credentials.set(key, err instanceof Error ? err : new Error(String(err)));
      }
      tenant.connections.set(c.name, {
        kind: 'Connection',
        name: c.name,
        system: c.system,
        baseUrl: c.baseUrl,
        config: (c.config ?? {}) as Record<string, unknown>,
        credentials: Object.fromEntries(fields.sort().map((f) => [f, { secretRef: credentialRef(t.slug, c.name, f) }])),
      });
    }

    // The latest version of each overlay is the estate; earlier versions stay in the database as history.
    const mappings = await prisma.tenantMapping.findMany({
      where: { tenantId: t.id },
      distinct: ['erp', 'object'],
      orderBy: [{ erp: 'asc' }, { object: 'asc' }, { version: 'desc' }],
      select: { erp: true, object: true, overlay: true, note: true },
    });
    for (const m of mappings) {
      tenant.mappings.set(mappingKey(m.erp, m.object), { kind: 'Mapping', erp: m.erp, object: m.object, note: m.note, overlay: m.overlay as Record<string, unknown> });
    }

    const workflows = await prisma.workflow.findMany({
      where: { tenantId: t.id },
      select: {
        id: true,
        name: true,
        description: true,
        draftGraph: true,
        activeVersionId: true,
        policy: { select: { policy: true } },
        // Test versions (designer test runs, numbered below 1) are not configuration.
        versions: { where: { version: { gt: 0 } }, select: { id: true, version: true, note: true, graph: true }, orderBy: { version: 'asc' } },
        schedules: { select: { id: true, name: true, cron: true, timeZone: true, payload: true, enabled: true } },
        webhookSecrets: { select: { id: true, encryptedSecret: true, keyId: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 2 },
        templateDeployment: { select: { templateId: true, variables: true } },
      },
      orderBy: { name: 'asc' },
    });
    const workflowNames = new Map(workflows.map((w) => [w.id.toLowerCase(), w.name]));
    for (const w of workflows) {
      const key = `${t.slug}/${w.name}`;
      state.workflowIds.set(key, w.id);
      const schedules = [...w.schedules].sort((a, b) => compareSchedules(a, b));
      state.scheduleIds.set(key, schedules.map((s) => s.id));
      try {
        state.signingSecrets.set(key, w.webhookSecrets.map((s) => String(open(s.keyId, sealedAs(t.id, `webhook-secret/${s.id}`), s.encryptedSecret))));
      } catch (err) {
        state.signingSecrets.set(key, err instanceof Error ? err : new Error(String(err)));
      }
      const names = (g: unknown) => graphWithNames(g, connectionNames, workflowNames);
      const entry: WorkflowEstate = {
        workflow: { kind: 'Workflow', name: w.name, description: w.description, draftGraph: names(w.draftGraph) },
        versions: new Map(w.versions.map((v) => [v.version, { kind: 'WorkflowVersion', version: v.version, note: v.note, graph: names(v.graph) }])),
        deployment: {
          kind: 'Deployment',
          activeVersion: w.versions.find((v) => v.id === w.activeVersionId)?.version ?? null,
          schedules: schedules.map((s) => ({ name: s.name, cron: s.cron, timeZone: s.timeZone, payload: s.payload, enabled: s.enabled })),
          signingSecrets: w.webhookSecrets.map((_, i) => ({ secretRef: signingSecretRef(t.slug, w.name, i) })),
          ...(w.templateDeployment ? { template: { id: w.templateDeployment.templateId, variables: w.templateDeployment.variables as Record<string, unknown> } } : {}),
        },
        policy: w.policy ? { kind: 'WorkflowPolicy', policy: w.policy.policy as Record<string, unknown> } : null,
      };
      tenant.workflows.set(w.name, entry);
    }
  }
  return state;
}

/** Schedules have no natural key; this order (name, cron, zone, payload) keeps exports stable. */
export function compareSchedules(a: Pick<ScheduleSpec, 'name' | 'cron' | 'timeZone' | 'payload'>, b: Pick<ScheduleSpec, 'name' | 'cron' | 'timeZone' | 'payload'>): number {
  const ka = [a.name, a.cron, a.timeZone, JSON.stringify(sortKeys(a.payload))];
  const kb = [b.name, b.cron, b.timeZone, JSON.stringify(sortKeys(b.payload))];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}
