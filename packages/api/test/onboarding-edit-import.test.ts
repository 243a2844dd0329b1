import { DEMO_ESTATE, startAllSimulators, type Estate } from '@switchyard/erp-sim';
import { generateSecretKey, resolveConnection } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringFor } from '../src/routers/connections/platform';
import { callerFor, expectTrpcError } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';

const ns = DEMO_ESTATE.netsuite.accounts[0];
const nsCredentials = ns.credentials[0];
const sap = DEMO_ESTATE.sap.systems[0];
let env: TestDatabase;
let estate: Estate;
const saved = { key: process.env.SWITCHYARD_SECRET_KEY, allow: process.env.SWITCHYARD_OUTBOUND_ALLOWLIST };

describe.skipIf(Boolean(postgresUnavailable))('onboarding: import from a file, and later edits of a live tenant', () => {
  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = '127.0.0.1';
    env = await createTestDatabase('api_onboarding_edit');
    await createTenant(env.db, 'acme', 'Acme');
    estate = await startAllSimulators({ host: '127.0.0.1' });
  });
  afterAll(async () => {
    await estate?.close();
    await env?.drop();
    process.env.SWITCHYARD_SECRET_KEY = saved.key;
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = saved.allow;
    if (saved.key === undefined) delete process.env.SWITCHYARD_SECRET_KEY;
    if (saved.allow === undefined) delete process.env.SWITCHYARD_OUTBOUND_ALLOWLIST;
  });

  const api = () => callerFor(env.db, null);
  const nsRow = (slug: string, extra: Record<string, unknown> = {}) => ({
    name: `Tenant ${slug}`,
    slug,
    region: 'us',
    timeZone: 'America/New_York',
    baseCurrency: 'USD',
    erp: 'netsuite',
    connections: { erp: { baseUrl: estate.urls.netsuite, config: { accountId: ns.accountId }, credentials: nsCredentials } },
    ...extra,
  });
  const counts = async () => ({ tenants: await env.db.prisma.tenant.count(), drafts: await env.db.prisma.onboardingDraft.count(), connections: await env.db.prisma.connection.count() });

  it('checks every row of a JSON file like the wizard and, in a dry run, creates nothing', async () => {
    const before = await counts();
    const content = JSON.stringify([
      nsRow('imp-good'),
      nsRow('acme'),
      nsRow('imp-wrong', { connections: { erp: { baseUrl: estate.urls.netsuite, config: { accountId: ns.accountId }, credentials: { ...nsCredentials, tokenSecret: 'wrong' } } } }),
      nsRow('imp-unreachable', { connections: { erp: { baseUrl: 'http://127.0.0.1:1', config: { accountId: ns.accountId }, credentials: nsCredentials } } }),
      nsRow('imp-lookups', { lookups: { taxCodes: { 'US-NY': '1057' } } }),
      nsRow('imp-typo', { regoin: 'eu' }),
      nsRow('imp-good'),
      nsRow('imp-policy', { policies: { 'retry.maxAttempts': 0 } }),
    ]);
    const report = await api().onboarding.importTenants({ format: 'json', content, dryRun: true, sendTestEvents: false });
    expect(report.summary).toEqual({ total: 8, ready: 1, live: 0, rejected: 7 });
    const byRow = Object.fromEntries(report.rows.map((r) => [r.row, r]));
    expect(byRow[1]).toMatchObject({ status: 'ready', slug: 'imp-good', issues: [] });
    expect(byRow[2]).toMatchObject({ step: 'profile', issues: [{ field: 'profile.slug', message: 'is already used by the tenant "Acme"; choose another' }] });
    expect(byRow[3]).toMatchObject({ step: 'systems', issues: [{ field: 'connections.erp.test', message: expect.stringMatching(/NetSuite refused the credentials/) }] });
    expect(byRow[4]).toMatchObject({ step: 'systems', issues: [{ field: 'connections.erp.test', message: expect.stringMatching(/NetSuite is unreachable/) }] });
    expect(byRow[5]?.step).toBe('mappings');
    expect(byRow[5]?.issues).toContainEqual({ field: 'lookups.taxCodes.US-CA', message: 'Invoice sync needs code US-CA in Tax codes: map it to a NetSuite value' });
    expect(byRow[6]).toMatchObject({ step: 'file', issues: [{ field: 'regoin', message: 'unknown column' }] });
    expect(byRow[7]).toMatchObject({ step: 'profile', issues: [{ field: 'profile.slug', message: '"imp-good" is also the slug of row 1 of this file; choose another' }] });
    expect(byRow[8]).toMatchObject({ step: 'policies', issues: [{ field: 'policies.retry.maxAttempts' }] });
    expect(JSON.stringify(report)).not.toContain(nsCredentials.tokenSecret);
    expect(await counts()).toEqual(before);
  });

  it('imports a CSV: each good row goes live whole, a bad row leaves nothing behind', async () => {
    const before = await counts();
    const header = 'name,slug,region,timeZone,baseCurrency,erp,connections.erp.baseUrl,connections.erp.config.authMethod,connections.erp.credentials.username,connections.erp.credentials.password,policies.retentionDays,workflows.invoice-sync.webhookPath';
    const csv = [
      header,
      `Csv One,csv-one,eu,Europe/Berlin,eur,sap,${estate.urls.sap},basic,${sap.users[0].username},${sap.users[0].password},90,`,
      `Csv Two,csv-two,eu,Europe/Berlin,EUR,sap,${estate.urls.sap},basic,${sap.users[0].username},not-the-password,,`,
      `"Csv Three, Ltd",csv-three,uk,Europe/London,GBP,sap,${estate.urls.sap},basic,${sap.users[0].username},${sap.users[0].password},,billing/in`,
    ].join('\n');
    const report = await api().onboarding.importTenants({ format: 'csv', content: csv, dryRun: false, sendTestEvents: false });
    expect(report.rows.map((r) => [r.slug, r.status, r.step])).toEqual([
      ['csv-one', 'live', null],
      ['csv-two', 'rejected', 'systems'],
      ['csv-three', 'live', null],
    ]);
    expect(report.rows[1]?.issues[0]?.message).toMatch(/refused the credentials/);
    expect(report.rows[0]?.activated?.webhookEndpoints[0]?.secret).toMatch(/^whsec_/);
    expect(report.rows[2]?.activated?.webhookEndpoints[0]?.path).toBe('billing/in');
    const one = await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'csv-one' }, select: { id: true, baseCurrency: true, policy: true } });
    expect(one.baseCurrency).toBe('EUR');
    expect(one.policy?.policy).toEqual({ retentionDays: 90 });
    expect(await env.db.prisma.templateDeployment.findMany({ where: { tenantId: one.id }, select: { templateId: true } })).toEqual([{ templateId: 'invoice-sync' }]);
    expect((await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'csv-three' } })).name).toBe('Csv Three, Ltd');
    expect(await env.db.prisma.tenant.count({ where: { slug: 'csv-two' } })).toBe(0);
    const after = await counts();
    expect(after.tenants).toBe(before.tenants + 2);
    // The two live rows keep their drafts as the record of the onboarding; the rejected row's is gone.
    expect(after.drafts).toBe(before.drafts + 2);
    expect(after.connections).toBe(before.connections + 2);
  });

  it('a row may start from another tenant (copyFrom): its configuration, never its credentials', async () => {
    const withoutCredentials = await api().onboarding.importTenants({ format: 'json', content: JSON.stringify([{ name: 'Copy', slug: 'csv-copy', copyFrom: 'csv-three' }]), dryRun: true, sendTestEvents: false });
    expect(withoutCredentials.rows[0]).toMatchObject({ status: 'rejected', step: 'systems' });
    expect(withoutCredentials.rows[0]?.issues.map((i) => i.field)).toEqual(['connections.erp.credentials.username', 'connections.erp.credentials.password']);
    const row = { name: 'Copy', slug: 'csv-copy', copyFrom: 'csv-three', connections: { erp: { credentials: { ...sap.users[0] } } } };
    const report = await api().onboarding.importTenants({ format: 'json', content: JSON.stringify({ tenants: [row] }), dryRun: false, sendTestEvents: false });
    expect(report.rows[0]).toMatchObject({ status: 'live', slug: 'csv-copy' });
    const copy = await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'csv-copy' }, select: { region: true, baseCurrency: true, id: true } });
    expect(copy).toMatchObject({ region: 'uk', baseCurrency: 'GBP' });
    // The copied workflow keeps its variables (the webhook path), on the new tenant's own route.
    expect(report.rows[0]?.activated?.webhookEndpoints.map((e) => e.url)).toEqual(['/api/hooks/csv-copy/billing/in']);
    expect((await api().onboarding.importTenants({ format: 'json', content: '[]', dryRun: true, sendTestEvents: false })).fileIssues[0]?.message).toBe('the file has no tenants');
  });

  it('refuses a file that cannot be read, naming the problem', async () => {
    expect((await api().onboarding.importTenants({ format: 'json', content: '{"tenants": 3}', dryRun: true, sendTestEvents: false })).fileIssues[0]?.message).toMatch(/list of tenants/);
    expect((await api().onboarding.importTenants({ format: 'csv', content: 'name,slug\n"unclosed,x', dryRun: true, sendTestEvents: false })).fileIssues[0]?.message).toMatch(/CSV cannot be read/);
  });

  it('edits a live tenant through the wizard steps: credentials replaced (never shown), lookups, workflows', async () => {
    const live = await api().onboarding.importTenants({ format: 'json', content: JSON.stringify([nsRow('edit-me')]), dryRun: false, sendTestEvents: false });
    expect(live.summary.live).toBe(1);
    const tenant = await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'edit-me' }, select: { id: true } });
    const { id } = await api().onboarding.startEdit({ slug: 'edit-me' });
    const draft = await api().onboarding.get({ id });
    expect(draft.credentialFields.erp).toEqual(['consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret']);
    expect(JSON.stringify(draft)).not.toContain(nsCredentials.tokenSecret);
    expect((await api().onboarding.list()).some((d) => d.id === id)).toBe(false);
    await expectTrpcError(api().onboarding.goLive({ id }), 'BAD_REQUEST');

    // Same validation as the wizard: a wrong replacement secret is refused at the systems step.
    const erp = draft.data.systems!.connections[0]!;
    const wrong = await api().onboarding.saveSystems({ id, systems: { erp: 'netsuite', connections: [{ ...erp, credentials: { tokenSecret: 'wrong' } }] } });
    expect(wrong.ok ? null : wrong.issues[0]?.message).toMatch(/refused the credentials/);
    // What was typed is kept in the draft (as in the wizard) until replaced; blank fields keep the stored values.
    const fixed = { erp: 'netsuite', connections: [{ ...erp, name: 'NetSuite prod', credentials: { tokenSecret: nsCredentials.tokenSecret } }] };
    expect((await api().onboarding.saveSystems({ id, systems: fixed })).ok).toBe(true);
    const lookups = draft.data.mappings!.lookups as Record<string, Record<string, string>>;
    const { 'US-CA': _dropped, ...taxCodes } = lookups.taxCodes!;
    const missing = await api().onboarding.saveMappings({ id, mappings: { lookups: { ...lookups, taxCodes } } });
    expect(missing.ok ? [] : missing.issues).toContainEqual({ field: 'lookups.taxCodes.US-CA', message: 'Invoice sync needs code US-CA in Tax codes: map it to a NetSuite value' });
    expect((await api().onboarding.saveMappings({ id, mappings: { lookups: { ...lookups, taxCodes: { ...taxCodes, 'US-CA': '1057' } } } })).ok).toBe(true);
    expect((await api().onboarding.saveWorkflows({ id, workflows: { selected: [{ templateId: 'invoice-sync', variables: { webhookPath: 'ns/invoices' } }] } })).ok).toBe(true);
    const applied = await api().onboarding.applyEdit({ id });
    if (!applied.ok) throw new Error(JSON.stringify(applied.issues));
    expect(applied.connections).toEqual({ created: 0, updated: 1, removed: 0 });
    expect(applied.mappingVersion).toBe(2);
    expect(applied.deployments).toEqual([expect.objectContaining({ templateId: 'invoice-sync', version: 2, webhookPath: 'ns/invoices', change: 'published' })]);
    // The route already had a signing secret: none is made (or shown) again.
    expect(applied.webhookEndpoints).toEqual([]);
    expect(await env.db.prisma.webhookRoute.findMany({ where: { tenantId: tenant.id }, select: { path: true } })).toEqual([{ path: 'ns/invoices' }]);
    const connection = await resolveConnection(env.db.pool, keyringFor(env.db), tenant.id, 'NetSuite prod');
    expect(connection?.credentials).toEqual(nsCredentials);
    const version = await env.db.prisma.workflowVersion.findFirstOrThrow({ where: { tenantId: tenant.id, version: 2 }, select: { graph: true } });
    // The new version reads the edited lookup table and the renamed connection.
    expect(JSON.stringify(version.graph)).toContain('"US-CA":"1057"');
    expect(JSON.stringify(version.graph)).toContain('NetSuite prod');
    expect(await env.db.prisma.onboardingDraft.count({ where: { id } })).toBe(0);
    const audit = await env.db.prisma.auditEntry.findFirstOrThrow({ where: { tenantId: tenant.id, action: 'tenant.edit' } });
    expect(JSON.stringify(audit)).not.toContain(nsCredentials.tokenSecret);
  });

  it('activates and deactivates templates from the overview: new routes get a secret shown once, the old route goes', async () => {
    const tenant = await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'edit-me' }, select: { id: true } });
    const { id } = await api().onboarding.startEdit({ slug: 'edit-me' });
    const draft = await api().onboarding.get({ id });
    // Order-to-cash needs a back-office connection: refused at the workflows step until one is added.
    const needs = await api().onboarding.saveWorkflows({ id, workflows: { selected: [{ templateId: 'order-to-cash', variables: {} }] } });
    expect(needs.ok ? [] : needs.issues.map((i) => i.field)).toContain('workflows.order-to-cash.backOfficeConnectionId');
    const backOffice = { slot: 'back-office', system: 'back-office', name: 'Back office', baseUrl: estate.urls.backOffice, config: {}, credentials: { apiKey: DEMO_ESTATE.backOffice.accounts[0].apiKeys[0] } };
    const systems = { erp: 'netsuite', connections: [...draft.data.systems!.connections.map((c) => ({ ...c, credentials: {} })), backOffice] };
    expect((await api().onboarding.saveSystems({ id, systems })).ok).toBe(true);
    expect((await api().onboarding.saveWorkflows({ id, workflows: { selected: [{ templateId: 'order-to-cash', variables: {} }] } })).ok).toBe(true);
    const applied = await api().onboarding.applyEdit({ id });
    if (!applied.ok) throw new Error(JSON.stringify(applied.issues));
    expect(applied.connections).toEqual({ created: 1, updated: 1, removed: 0 });
    // Saved with blank credential fields: the stored ones were kept.
    expect((await resolveConnection(env.db.pool, keyringFor(env.db), tenant.id, 'NetSuite prod'))?.credentials).toEqual(nsCredentials);
    expect(applied.deployments).toEqual([expect.objectContaining({ templateId: 'order-to-cash', version: 1, change: 'created' })]);
    expect(applied.deactivated).toEqual([expect.objectContaining({ templateId: 'invoice-sync' })]);
    expect(applied.webhookEndpoints).toEqual([expect.objectContaining({ secret: expect.stringMatching(/^whsec_/) })]);
    const invoiceSync = await env.db.prisma.workflow.findFirstOrThrow({ where: { tenantId: tenant.id, templateDeployment: { templateId: 'invoice-sync' } }, select: { activeVersionId: true, hooks: true, versions: true } });
    expect(invoiceSync.activeVersionId).toBeNull();
    expect(invoiceSync.hooks).toEqual([]);
    expect(invoiceSync.versions).toHaveLength(2);

    // Choosing it again brings it back with its variables and history, without a second secret.
    const again = await api().onboarding.startEdit({ slug: 'edit-me' });
    const current = await api().onboarding.get({ id: again.id });
    expect(current.data.workflows?.selected).toEqual([{ templateId: 'order-to-cash', variables: {} }]);
    const selected = [...current.data.workflows!.selected, { templateId: 'invoice-sync', variables: { webhookPath: 'ns/invoices' } }];
    expect((await api().onboarding.saveWorkflows({ id: again.id, workflows: { selected } })).ok).toBe(true);
    const back = await api().onboarding.applyEdit({ id: again.id });
    if (!back.ok) throw new Error(JSON.stringify(back.issues));
    expect(back.deployments.map((d) => [d.templateId, d.change])).toEqual([
      ['order-to-cash', 'unchanged'],
      ['invoice-sync', 'reactivated'],
    ]);
    expect(back.webhookEndpoints).toEqual([]);
    expect(back.mappingVersion).toBeNull();
  });

  it('cancelling an edit leaves the tenant as it was', async () => {
    const before = await env.db.prisma.connection.findMany({ where: { tenant: { slug: 'edit-me' } }, select: { name: true, updatedAt: true }, orderBy: { name: 'asc' } });
    const { id } = await api().onboarding.startEdit({ slug: 'edit-me' });
    const draft = await api().onboarding.get({ id });
    await api().onboarding.saveSystems({ id, systems: { erp: 'netsuite', connections: draft.data.systems!.connections.map((c) => ({ ...c, name: `${c.name} renamed`, credentials: {} })) } });
    await api().onboarding.discardEdit({ id });
    expect(await env.db.prisma.connection.findMany({ where: { tenant: { slug: 'edit-me' } }, select: { name: true, updatedAt: true }, orderBy: { name: 'asc' } })).toEqual(before);
    await expectTrpcError(api().onboarding.applyEdit({ id }), 'NOT_FOUND');
  });
});
