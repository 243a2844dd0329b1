import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFromDir, exportEstate, planFromDir } from '../src/index';
import { readDatabaseState } from '../src/estate/read-db';
import { SEEDED_ENV, SEEDED_SECRETS, postgresUnavailable, readTree, scratchDatabase, seedEstate, tempDir, testKeyring, type ScratchDatabase } from './support';

// Configuration as code against real PostgreSQL: export → apply on an empty database → export gives
// the same bytes; plans are field-level; an invalid estate changes nothing and names every error.

const keyring = testKeyring();

describe.skipIf(postgresUnavailable !== null)('switchyard export / plan / apply', () => {
  let source: ScratchDatabase;
  let target: ScratchDatabase;
  let seeded: Awaited<ReturnType<typeof seedEstate>>;
  const dirs: Array<{ remove(): Promise<void> }> = [];
  const dir = async () => {
    const d = await tempDir();
    dirs.push(d);
    return d.dir;
  };

  beforeAll(async () => {
    [source, target] = await Promise.all([scratchDatabase(), scratchDatabase()]);
    seeded = await seedEstate(source.db, keyring);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop(), ...dirs.map((d) => d.remove())]);
  });

  it('exports one stable, secret-free file per object, with names instead of ids', async () => {
    const out = await dir();
    const files = await exportEstate(source.db, keyring, out);
    expect(files).toEqual([
      'estate.json',
      'tenants/acme/connections/fusion.json',
      'tenants/acme/connections/ledger-api.json',
      'tenants/acme/mappings/oracle-fusion.invoice.json',
      'tenants/acme/policy.json',
      'tenants/acme/tenant.json',
      'tenants/acme/workflows/invoice-sync/deployment.json',
      'tenants/acme/workflows/invoice-sync/policy.json',
      'tenants/acme/workflows/invoice-sync/versions/0001.json',
      'tenants/acme/workflows/invoice-sync/versions/0002.json',
      'tenants/acme/workflows/invoice-sync/workflow.json',
      'tenants/acme/workflows/nightly-batch/deployment.json',
      'tenants/acme/workflows/nightly-batch/versions/0001.json',
      'tenants/acme/workflows/nightly-batch/workflow.json',
      'tenants/globex/tenant.json',
    ]);
    const tree = await readTree(out);
    const all = [...tree.values()].join('\n');
    for (const secret of Object.values(SEEDED_SECRETS)) expect(all).not.toContain(secret);
    // No row ids: another database has other ids.
    for (const id of Object.values(seeded)) expect(all).not.toContain(id);

    expect(JSON.parse(tree.get('tenants/acme/connections/fusion.json')!)).toEqual({
      kind: 'Connection',
      name: 'Fusion',
      system: 'oracle-fusion',
      baseUrl: 'https://fa-acme.example.com',
      config: { apiVersion: '11.13.18.05', authMethod: 'basic' },
      credentials: { password: { secretRef: 'ACME_FUSION_PASSWORD' }, username: { secretRef: 'ACME_FUSION_USERNAME' } },
    });
    const deployment = JSON.parse(tree.get('tenants/acme/workflows/invoice-sync/deployment.json')!);
    expect(deployment).toEqual({
      kind: 'Deployment',
      activeVersion: 2,
      schedules: [{ name: 'nightly', cron: '0 2 * * *', timeZone: 'Europe/Berlin', payload: { source: 'cron' }, enabled: true }],
      signingSecrets: [{ secretRef: 'ACME_INVOICE_SYNC_SIGNING_SECRET' }, { secretRef: 'ACME_INVOICE_SYNC_SIGNING_SECRET_2' }],
      template: { id: 'invoice-sync', variables: { webhookPath: 'invoices' } },
    });
    // The mapping is the latest overlay version; the graph names its connection and callee.
    expect(JSON.parse(tree.get('tenants/acme/mappings/oracle-fusion.invoice.json')!).note).toBe('business units');
    const v2 = JSON.parse(tree.get('tenants/acme/workflows/invoice-sync/versions/0002.json')!);
    expect(v2.graph.nodes.filter((n: { config: { connectionId?: string } }) => n.config.connectionId).map((n: { config: { connectionId: string } }) => n.config.connectionId)).toEqual(['Fusion']);
    const caller = JSON.parse(tree.get('tenants/acme/workflows/nightly-batch/versions/0001.json')!);
    expect(caller.graph.nodes[1].config.workflow).toBe('Invoice sync');
    // Sorted keys, two-space indent, final newline: diff-friendly and byte-stable.
    expect(tree.get('tenants/globex/tenant.json')).toBe('{\n  "baseCurrency": "USD",\n  "kind": "Tenant",\n  "name": "Globex",\n  "region": "us",\n  "slug": "globex",\n  "timeZone": "UTC"\n}\n');
  });

  it('round trip: export → apply on an empty database → export yields identical files, secrets from the environment', async () => {
    // Under row-level security, as the product's unprivileged role (the platform-admin scope opens all tenants).
    expect((await target.db.pool.query<{ who: string }>('SELECT current_user AS who')).rows[0]?.who).toBe('switchyard_app');
    const first = await dir();
    await exportEstate(source.db, keyring, first);

    const plan = await planFromDir(target.db, keyring, first, SEEDED_ENV);
    expect(plan.status).toBe('planned');
    if (plan.status !== 'planned') return;
    expect(plan.plan.changes.every((c) => c.action === 'create')).toBe(true);
    expect(plan.plan.changes.map((c) => c.id)).toContain('version acme/Invoice sync@2');
    expect(JSON.stringify(plan)).not.toContain(SEEDED_SECRETS.fusionPassword);

    const applied = await applyFromDir(target.db, keyring, first, SEEDED_ENV);
    expect(applied.status).toBe('applied');
    const again = await planFromDir(target.db, keyring, first, SEEDED_ENV);
    expect(again).toMatchObject({ status: 'planned', plan: { changes: [] } });

    const second = await dir();
    await exportEstate(target.db, keyring, second);
    expect(await readTree(second)).toEqual(await readTree(first));

    // What was applied works like what the product writes: decryptable secrets, route, schedule, active version.
    const state = await readDatabaseState(target.db.prisma, keyring);
    expect(state.credentials.get('acme/Fusion')).toEqual({ username: SEEDED_SECRETS.fusionUser, password: SEEDED_SECRETS.fusionPassword });
    expect(state.signingSecrets.get('acme/Invoice sync')).toEqual([SEEDED_SECRETS.signingNew, SEEDED_SECRETS.signingOld]);
    const workflow = await target.db.prisma.workflow.findFirstOrThrow({
      where: { name: 'Invoice sync', tenant: { slug: 'acme' } },
      select: { hooks: { select: { path: true } }, schedules: { select: { nextFireAt: true } }, versions: { where: { version: 2 }, select: { id: true } }, activeVersionId: true },
    });
    expect(workflow.hooks).toEqual([{ path: 'invoices' }]);
    expect(workflow.schedules[0]!.nextFireAt.getTime()).toBeGreaterThan(Date.now());
    expect(workflow.activeVersionId).toBe(workflow.versions[0]!.id);
    const audit = await target.db.prisma.auditEntry.findMany({ where: { action: 'estate.apply' }, select: { actor: true } });
    expect(audit).toEqual([{ actor: 'cli:switchyard apply' }, { actor: 'cli:switchyard apply' }]);
  }, 60_000);

  it('plans field by field and applies updates, including a rotated secret, without showing secret values', async () => {
    const out = await dir();
    await exportEstate(target.db, keyring, out);
    const edit = async (rel: string, change: (doc: Record<string, unknown>) => void) => {
      const file = path.join(out, rel);
      const doc = JSON.parse(await readFile(file, 'utf8'));
      change(doc);
      await writeFile(file, JSON.stringify(doc));
    };
    await edit('tenants/acme/tenant.json', (d) => (d.name = 'Acme Corporation'));
    await edit('tenants/acme/workflows/invoice-sync/deployment.json', (d) => ((d.schedules as Array<{ enabled: boolean }>)[0]!.enabled = false));
    await edit('tenants/acme/connections/ledger-api.json', (d) => ((d.config as { apiKeyHeader?: string }).apiKeyHeader = 'X-Ledger-Key'));
    const env = { ...SEEDED_ENV, ACME_LEDGER_API_TOKEN: 'rotated-token-value' };

    const planned = await planFromDir(target.db, keyring, out, env);
    expect(planned.status).toBe('planned');
    if (planned.status !== 'planned') return;
    const byId = new Map(planned.plan.changes.map((c) => [c.id, c]));
    expect(byId.get('tenant acme')).toMatchObject({ action: 'update', file: 'tenants/acme/tenant.json', fields: [{ path: 'name', before: 'Acme Corp', after: 'Acme Corporation' }] });
    expect(byId.get('deployment acme/Invoice sync')?.fields).toEqual([{ path: 'schedules', before: expect.any(Array), after: expect.any(Array) }]);
    expect(byId.get('connection acme/Ledger API')?.fields).toEqual([
      { path: 'config.apiKeyHeader', after: 'X-Ledger-Key' },
      { path: 'credentials.token', secret: true, after: 'ACME_LEDGER_API_TOKEN' },
    ]);
    expect(JSON.stringify(planned)).not.toContain('rotated-token-value');
    expect(planned.plan.changes).toHaveLength(3);

    expect((await applyFromDir(target.db, keyring, out, env)).status).toBe('applied');
    expect((await readDatabaseState(target.db.prisma, keyring)).credentials.get('acme/Ledger API')).toEqual({ token: 'rotated-token-value' });
    const reexport = await dir();
    await exportEstate(target.db, keyring, reexport);
    const tree = await readTree(reexport);
    expect(JSON.parse(tree.get('tenants/acme/tenant.json')!).name).toBe('Acme Corporation');
    expect(JSON.parse(tree.get('tenants/acme/workflows/invoice-sync/deployment.json')!).schedules[0].enabled).toBe(false);
  }, 60_000);

  it('exporting over an earlier export keeps the secret names chosen there', async () => {
    const out = await dir();
    await exportEstate(target.db, keyring, out);
    const file = path.join(out, 'tenants/acme/connections/fusion.json');
    const doc = JSON.parse(await readFile(file, 'utf8'));
    doc.credentials.password = { secretRef: 'VAULT_FUSION_PW' };
    await writeFile(file, JSON.stringify(doc));
    await exportEstate(target.db, keyring, out);
    expect(JSON.parse(await readFile(file, 'utf8')).credentials).toEqual({ password: { secretRef: 'VAULT_FUSION_PW' }, username: { secretRef: 'ACME_FUSION_USERNAME' } });
  });

  it('deletes what the files no longer hold inside a managed tenant, and other tenants only with --prune', async () => {
    const out = await dir();
    await exportEstate(target.db, keyring, out);
    const { rm } = await import('node:fs/promises');
    await rm(path.join(out, 'tenants/acme/workflows/nightly-batch'), { recursive: true });
    await rm(path.join(out, 'tenants/acme/workflows/invoice-sync/policy.json'));
    await rm(path.join(out, 'tenants/globex'), { recursive: true });
    const planned = await planFromDir(target.db, keyring, out, {});
    expect(planned).toMatchObject({ status: 'planned', plan: { unmanagedTenants: ['globex'] } });
    if (planned.status !== 'planned') return;
    expect(planned.plan.changes.map((c) => `${c.action} ${c.id}`).sort()).toEqual(['delete workflow acme/Nightly batch', 'delete workflow-policy acme/Invoice sync']);
    const pruned = await planFromDir(target.db, keyring, out, {}, { prune: true });
    expect(pruned.status === 'planned' && pruned.plan.changes.some((c) => c.id === 'tenant globex' && c.action === 'delete')).toBe(true);

    // Without secrets in the environment the stored ones are kept (nothing here changes them).
    expect((await applyFromDir(target.db, keyring, out, {})).status).toBe('applied');
    expect(await target.db.prisma.workflow.count({ where: { name: 'Nightly batch' } })).toBe(0);
    expect(await target.db.prisma.tenant.count({ where: { slug: 'globex' } })).toBe(1);
    expect((await readDatabaseState(target.db.prisma, keyring)).signingSecrets.get('acme/Invoice sync')).toEqual([SEEDED_SECRETS.signingNew, SEEDED_SECRETS.signingOld]);
  }, 60_000);
});
