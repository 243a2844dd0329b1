import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { invoiceSyncTemplate } from '@switchyard/connectors';
import { CLI_ROLE } from '../src/estate/database';
import { encryptSecret, generateSecretKey, keyringOf, migrate, nextSlot, openDatabase, toJsonValue, type Database, type SecretKeyring } from '@switchyard/db';

// Real PostgreSQL on loopback: each test file gets throwaway databases, dropped afterwards.
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const postgresUnavailable = await probe();
if (postgresUnavailable) {
  if (process.env.SWITCHYARD_REQUIRE_POSTGRES === '1') throw new Error(`SWITCHYARD_REQUIRE_POSTGRES=1 but PostgreSQL is unreachable at ${ADMIN_URL}: ${postgresUnavailable}`);
  console.warn(`skipping estate tests: PostgreSQL unreachable at ${ADMIN_URL} (${postgresUnavailable}); set TEST_DATABASE_URL`);
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  db: Database;
  url: string;
  drop(): Promise<void>;
}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  const name = `switchyard_cli_test_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  // As the CLI connects: the app role under row-level security, in the platform-admin scope.
  const db = await openDatabase({ url: url.toString(), kind: 'postgres', ...CLI_ROLE, poolMax: 4 });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export const testKeyring = (): SecretKeyring => keyringOf(generateSecretKey());

export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-estate-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file under `dir` (relative path → content). */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else out.set(child, await readFile(path.join(dir, child), 'utf8'));
    }
  };
  await walk('');
  return out;
}

/** The secrets the seeded estate holds; the tests check none of them reaches a file or the output. */
export const SEEDED_SECRETS = {
  fusionUser: 'integration.user@acme',
  fusionPassword: `pw-${randomUUID()}`,
  ledgerToken: `tok-${randomUUID()}`,
  signingNew: `whsec_${randomBytes(24).toString('base64')}`,
  signingOld: `whsec_${randomBytes(24).toString('base64')}`,
};

/**
 * A small but complete estate, written the way the product writes it: a tenant with a policy, an
 * Oracle Fusion connection and a REST connection (credentials encrypted), a mapping overlay with
 * two versions, the Oracle Fusion invoice sync template published twice (referring to its
 * connection BY ID, as templates instantiated with an id do), routed and signed with two live
 * secrets (a rotation), a cron schedule, a workflow policy, and a second workflow calling the first by id.
 */
export async function seedEstate(db: Database, keyring: SecretKeyring) {
  const p = db.prisma;
  const tenant = await p.tenant.create({ data: { slug: 'acme', name: 'Acme Corp', timeZone: 'Europe/Berlin', region: 'eu', baseCurrency: 'EUR' }, select: { id: true } });
  const tenantId = tenant.id;
  await p.tenantPolicy.create({ data: { tenantId, policy: { maxConcurrentRuns: 7, retry: { maxAttempts: 4 } } } });

  const connection = async (name: string, system: string, baseUrl: string, config: object, credentials: object) => {
    const id = randomUUID();
    const blob = encryptSecret(keyring.current, { tenantId, connectionId: id }, credentials);
    await p.connection.create({ data: { id, tenantId, name, system, baseUrl, config: toJsonValue(config), encryptedCredentials: new Uint8Array(blob), keyId: keyring.current.id } });
    return id;
  };
  const fusionId = await connection('Fusion', 'oracle-fusion', 'https://fa-acme.example.com', { authMethod: 'basic', apiVersion: '11.13.18.05' }, {
    username: SEEDED_SECRETS.fusionUser,
    password: SEEDED_SECRETS.fusionPassword,
  });
  await connection('Ledger API', 'rest', 'https://ledger.example.com', { auth: 'bearer' }, { token: SEEDED_SECRETS.ledgerToken });

  await p.tenantMapping.create({ data: { tenantId, erp: 'oracle-fusion', object: 'invoice', version: 1, overlay: { fieldOverrides: {}, lookups: {} }, note: 'first' } });
  await p.tenantMapping.create({
    data: { tenantId, erp: 'oracle-fusion', object: 'invoice', version: 2, overlay: { fieldOverrides: { Comments: 'memo' }, lookups: { companyCodes: { DE01: 'DE Business Unit' } } }, note: 'business units' },
  });

  const built = invoiceSyncTemplate.build({ erp: 'oracle-fusion', connectionId: fusionId, webhookPath: 'invoices' });
  const graph = toJsonValue(built.graph);
  const sync = await p.workflow.create({ data: { tenantId, name: 'Invoice sync', description: built.description, draftGraph: graph }, select: { id: true } });
  await p.workflowVersion.create({ data: { tenantId, workflowId: sync.id, version: 1, graph, note: 'first' } });
  const v2 = await p.workflowVersion.create({ data: { tenantId, workflowId: sync.id, version: 2, graph, note: 'second' }, select: { id: true } });
  // A designer test run's version (numbered below 1) is not configuration and must not be exported.
  await p.workflowVersion.create({ data: { tenantId, workflowId: sync.id, version: -1, graph, note: 'test run' } });
  await p.workflow.update({ where: { id: sync.id }, data: { activeVersionId: v2.id } });
  await p.webhookRoute.create({ data: { tenantId, workflowId: sync.id, path: 'invoices' } });
  const now = Date.now();
  for (const [secret, at] of [[SEEDED_SECRETS.signingOld, now - 60_000], [SEEDED_SECRETS.signingNew, now]] as const) {
    const id = randomUUID();
    const encryptedSecret = new Uint8Array(encryptSecret(keyring.current, { tenantId, connectionId: `webhook-secret/${id}` }, secret));
    await p.webhookSecret.create({ data: { id, tenantId, workflowId: sync.id, encryptedSecret, keyId: keyring.current.id, createdAt: new Date(at) } });
  }
  await p.schedule.create({
    data: { tenantId, workflowId: sync.id, name: 'nightly', cron: '0 2 * * *', timeZone: 'Europe/Berlin', payload: { source: 'cron' }, nextFireAt: nextSlot('0 2 * * *', 'Europe/Berlin', new Date()) },
  });
  await p.workflowPolicy.create({ data: { tenantId, workflowId: sync.id, policy: { timeoutMs: 20_000, slaSeconds: 600 } } });
  await p.templateDeployment.create({ data: { tenantId, workflowId: sync.id, templateId: 'invoice-sync', variables: { webhookPath: 'invoices' } } });

  const callerGraph = {
    schemaVersion: 1,
    settings: {},
    nodes: [
      { id: 'start', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
      { id: 'call', kind: 'workflow.call', position: { x: 200, y: 0 }, config: { workflow: sync.id } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'call' }],
  };
  const caller = await p.workflow.create({ data: { tenantId, name: 'Nightly batch', draftGraph: callerGraph }, select: { id: true } });
  const cv = await p.workflowVersion.create({ data: { tenantId, workflowId: caller.id, version: 1, graph: callerGraph }, select: { id: true } });
  await p.workflow.update({ where: { id: caller.id }, data: { activeVersionId: cv.id } });

  await p.tenant.create({ data: { slug: 'globex', name: 'Globex', timeZone: 'UTC', region: 'us', baseCurrency: 'USD' } });
  return { tenantId, fusionId, syncId: sync.id };
}

/** The environment an operator would provide for the seeded estate (names as export writes them). */
export const SEEDED_ENV = {
  ACME_FUSION_USERNAME: SEEDED_SECRETS.fusionUser,
  ACME_FUSION_PASSWORD: SEEDED_SECRETS.fusionPassword,
  ACME_LEDGER_API_TOKEN: SEEDED_SECRETS.ledgerToken,
  ACME_INVOICE_SYNC_SIGNING_SECRET: SEEDED_SECRETS.signingNew,
  ACME_INVOICE_SYNC_SIGNING_SECRET_2: SEEDED_SECRETS.signingOld,
};
