import { DEMO_ESTATE, startAllSimulators, type Estate } from '@switchyard/erp-sim';
import { sampleOverlay } from '@switchyard/canonical';
import { generateSecretKey } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../src/trpc';
import { keyringFor } from '../src/routers/connections/platform';
import { loadDraft } from '../src/routers/onboarding/draft';
import { activate } from '../src/routers/onboarding/go-live';
import { callerFor, expectTrpcError, TEST_PLATFORM_ADMIN } from './support/callers';
import { createTenant, createTestDatabase, postgresUnavailable, type TestDatabase } from './support/database';

const ns = DEMO_ESTATE.netsuite.accounts[0];
const nsCredentials = ns.credentials[0];
let env: TestDatabase;
let estate: Estate;
const saved = { key: process.env.SWITCHYARD_SECRET_KEY, allow: process.env.SWITCHYARD_OUTBOUND_ALLOWLIST };

describe.skipIf(Boolean(postgresUnavailable))('onboarding wizard (server)', () => {
  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = generateSecretKey().key.toString('base64');
    process.env.SWITCHYARD_OUTBOUND_ALLOWLIST = '127.0.0.1';
    env = await createTestDatabase('api_onboarding');
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
  const profile = (slug: string) => ({ name: 'Northwind Traders', slug, region: 'eu', timeZone: 'Europe/Berlin', baseCurrency: 'usd' });
  const netsuite = (credentials: Record<string, string> = nsCredentials, baseUrl = estate.urls.netsuite) => ({
    erp: 'netsuite',
    connections: [{ slot: 'erp', system: 'netsuite', name: 'NetSuite', baseUrl, config: { accountId: ns.accountId }, credentials }],
  });

  /** A draft through profile and systems, with every suggested lookup accepted. */
  async function preparedDraft(slug: string) {
    const { id } = await api().onboarding.start();
    expect((await api().onboarding.saveProfile({ id, profile: profile(slug) })).ok).toBe(true);
    expect((await api().onboarding.saveSystems({ id, systems: netsuite() })).ok).toBe(true);
    const reference = await api().onboarding.referenceData({ id });
    expect(reference.ok).toBe(true);
    const lookups: Record<string, Record<string, string>> = {};
    for (const t of reference.tables) for (const c of t.codes) if (c.suggestion) (lookups[t.table] ??= {})[c.code] = c.suggestion.value;
    return { id, lookups };
  }

  it('checks the slug as it is typed: format, and a tenant that already has it', async () => {
    expect(await api().onboarding.checkSlug({ slug: 'acme' })).toMatchObject({ available: false, message: 'is already used by the tenant "Acme"; choose another' });
    expect((await api().onboarding.checkSlug({ slug: 'Bad Slug' })).available).toBe(false);
    expect(await api().onboarding.checkSlug({ slug: 'northwind' })).toMatchObject({ available: true, message: null });
  });

  it('names each bad profile field and keeps what was typed', async () => {
    const { id } = await api().onboarding.start();
    const result = await api().onboarding.saveProfile({ id, profile: { name: ' ', slug: 'acme', region: 'mars', timeZone: 'Europe/Atlantis', baseCurrency: 'XXQ' } });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.issues.map((i) => i.field);
    expect(fields).toEqual(['profile.name', 'profile.slug', 'profile.region', 'profile.timeZone', 'profile.baseCurrency']);
    expect(result.draft.step).toBe(0);
    expect((await api().onboarding.get({ id })).data.profile?.region).toBe('mars');
  });

  it('stops at the systems step for wrong credentials and an unreachable ERP, in words', async () => {
    const { id } = await api().onboarding.start();
    const wrong = await api().onboarding.saveSystems({ id, systems: netsuite({ ...nsCredentials, tokenSecret: 'not-the-secret' }) });
    expect(wrong.ok).toBe(false);
    expect(wrong.ok ? null : wrong.issues[0]).toMatchObject({ field: 'connections.erp.test', message: expect.stringMatching(/NetSuite refused the credentials/) });
    const unreachable = await api().onboarding.saveSystems({ id, systems: netsuite(nsCredentials, 'http://127.0.0.1:1') });
    expect(unreachable.ok ? null : unreachable.issues[0]?.message).toMatch(/NetSuite is unreachable/);
    // Credentials are kept encrypted in the draft and never come back.
    const draft = await api().onboarding.get({ id });
    expect(draft.credentialFields.erp).toEqual(['consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret']);
    expect(JSON.stringify(draft)).not.toContain(nsCredentials.consumerSecret);
    const row = await env.db.prisma.onboardingDraft.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row.data)).not.toContain(nsCredentials.consumerSecret);
    expect(Buffer.from(row.encryptedSecrets!).toString('latin1')).not.toContain(nsCredentials.consumerSecret);
  });

  it('loads the ERP reference data and suggests every lookup by code or name', async () => {
    const { lookups } = await preparedDraft('northwind-ref');
    expect(lookups).toMatchObject({
      subsidiaries: { US01: '1', DE01: '3' },
      currencies: { USD: '1', EUR: '4', GBP: '2' },
      paymentTerms: { NET15: '1', NET30: '2', NET60: '4' },
      taxCodes: { 'US-CA': '1042', 'US-NY': '1057', EXEMPT: '-7' },
      accounts: { '1200': '119', '4000': '54', '4100': '55' },
    });
  });

  it('for every ERP, the accepted suggestions cover what invoice sync needs', async () => {
    const bc = DEMO_ESTATE.businessCentral.tenants[0];
    const sap = DEMO_ESTATE.sap.systems[0];
    const wd = DEMO_ESTATE.workday.tenants[0];
    const fa = DEMO_ESTATE.oracleFusion.instances[0];
    const erps: Array<{ erp: string; baseUrl: string; config: Record<string, unknown>; credentials: Record<string, string> }> = [
      { erp: 'business-central', baseUrl: estate.urls.businessCentral, config: { tenantId: bc.tenantId, environment: bc.environment, companyId: bc.companies[0].id, authorityUrl: estate.urls.businessCentral }, credentials: { ...bc.clients[0] } },
      { erp: 'sap', baseUrl: estate.urls.sap, config: { authMethod: 'basic' }, credentials: { ...sap.users[0] } },
      { erp: 'workday', baseUrl: estate.urls.workday, config: { tenant: wd.tenant }, credentials: { clientId: wd.clients[0].clientId, clientSecret: wd.clients[0].clientSecret, refreshToken: wd.clients[0].refreshTokens[0] } },
      { erp: 'oracle-fusion', baseUrl: estate.urls.oracleFusion, config: { authMethod: 'basic', apiVersion: '11.13.18.05' }, credentials: { ...fa.users[0] } },
    ];
    const suggested: Record<string, Record<string, Record<string, string>>> = {};
    for (const e of erps) {
      const { id } = await api().onboarding.start();
      const systems = await api().onboarding.saveSystems({ id, systems: { erp: e.erp, connections: [{ slot: 'erp', system: e.erp, name: e.erp, baseUrl: e.baseUrl, config: e.config, credentials: e.credentials }] } });
      expect(systems.ok ? [] : systems.issues, e.erp).toEqual([]);
      const reference = await api().onboarding.referenceData({ id });
      expect(reference.message, e.erp).toBeNull();
      const lookups: Record<string, Record<string, string>> = {};
      for (const t of reference.tables) {
        expect(t.options.length, `${e.erp} ${t.table}`).toBeGreaterThan(0);
        for (const c of t.codes) if (c.suggestion) (lookups[t.table] ??= {})[c.code] = c.suggestion.value;
      }
      suggested[e.erp] = lookups;
      const saved = await api().onboarding.saveMappings({ id, mappings: { lookups } });
      expect(saved.ok ? [] : saved.issues, e.erp).toEqual([]);
    }
    // Fusion's list-of-values resources give business units, payment terms by name, tax
    // classification codes and full account combinations: the demo overlay's values the templates test with
    // (DE01's unit name shares too few words with "Germany legal entity" to be suggested; the admin picks it).
    const { DE01: _picked, ...companyCodes } = sampleOverlay('oracle-fusion').lookups.companyCodes!;
    expect(suggested['oracle-fusion']).toMatchObject({ ...sampleOverlay('oracle-fusion').lookups, companyCodes });
    expect(suggested['oracle-fusion']?.companyCodes?.DE01).toBeUndefined();
  });

  it('reports a code a chosen workflow needs but the lookup table misses, at the mappings step', async () => {
    const { id, lookups } = await preparedDraft('northwind-missing');
    const { 'US-CA': _dropped, ...taxCodes } = lookups.taxCodes!;
    expect((await api().onboarding.saveMappings({ id, mappings: { lookups: { ...lookups, taxCodes } } })).ok).toBe(false);
    await api().onboarding.savePolicies({ id, policies: { overrides: {} } });
    const result = await api().onboarding.saveWorkflows({ id, workflows: { selected: [{ templateId: 'invoice-sync', variables: {} }] } });
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.step).toBe('mappings');
    expect(result.ok ? [] : result.issues).toContainEqual({ field: 'lookups.taxCodes.US-CA', message: 'Invoice sync needs code US-CA in Tax codes: map it to a NetSuite value' });
  });

  it('refuses policy overrides the platform does not accept, naming the setting', async () => {
    const { id } = await api().onboarding.start();
    const result = await api().onboarding.savePolicies({ id, policies: { overrides: { 'retry.maxAttempts': 0, retentionDays: 30 } } });
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual(['policies.retry.maxAttempts']);
    const effective = await api().onboarding.policies({ id, overrides: { retentionDays: 90 } });
    expect(effective.find((p) => p.path === 'retentionDays')).toMatchObject({ value: 90, source: 'tenant override' });
    expect(effective.find((p) => p.path === 'timeoutMs')).toMatchObject({ value: 30_000, source: 'platform default' });
  });

  it('goes live in one transaction: a failure half way leaves nothing behind', async () => {
    const { id, lookups } = await preparedDraft('northwind-atomic');
    await api().onboarding.saveMappings({ id, mappings: { lookups } });
    await api().onboarding.savePolicies({ id, policies: { overrides: {} } });
    // Two workflows on one webhook path: the second route fails inside the transaction, after the tenant, connection and first workflow were written.
    const selected = [
      { templateId: 'invoice-sync', variables: { webhookPath: 'same' } },
      { templateId: 'order-to-cash', variables: { webhookPath: 'same' } },
    ];
    await api().onboarding.saveWorkflows({ id, workflows: { selected } });
    const ctx = createContextInner({ db: env.db, tenantSlug: null, user: TEST_PLATFORM_ADMIN });
    const draft = await loadDraft(env.db.prisma, keyringFor(env.db), id);
    draft.data.systems!.connections.push({ slot: 'back-office', system: 'back-office', name: 'Back office', baseUrl: estate.urls.backOffice, config: {} });
    draft.secrets['back-office'] = { apiKey: DEMO_ESTATE.backOffice.accounts[0].apiKeys[0] };
    const result = await activate(ctx, draft, '');
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.issues[0]).toMatchObject({ field: 'workflows.order-to-cash.webhookPath' });
    expect(await env.db.prisma.tenant.count({ where: { slug: 'northwind-atomic' } })).toBe(0);
    expect(await env.db.prisma.connection.count({ where: { name: 'NetSuite' } })).toBe(0);
    expect(await env.db.prisma.workflow.count({ where: { tenant: { slug: 'northwind-atomic' } } })).toBe(0);
    expect((await env.db.prisma.onboardingDraft.findUniqueOrThrow({ where: { id } })).tenantId).toBeNull();
  });

  it('goes live: tenant, encrypted connection, mappings, policy, published workflow and a signing secret shown once', async () => {
    const { id, lookups } = await preparedDraft('northwind');
    await api().onboarding.saveMappings({ id, mappings: { lookups } });
    await api().onboarding.savePolicies({ id, policies: { overrides: { maxConcurrentRuns: 7 } } });
    expect((await api().onboarding.saveWorkflows({ id, workflows: { selected: [{ templateId: 'invoice-sync', variables: {} }] } })).ok).toBe(true);
    const draft = await loadDraft(env.db.prisma, keyringFor(env.db), id);
    const result = await activate(createContextInner({ db: env.db, tenantSlug: null, user: TEST_PLATFORM_ADMIN }), draft, '');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { activated } = result;
    expect(activated.webhookEndpoints).toEqual([expect.objectContaining({ path: 'invoices/netsuite', url: '/api/hooks/northwind/invoices/netsuite', secret: expect.stringMatching(/^whsec_/) })]);
    const tenant = await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'northwind' } });
    expect(tenant).toMatchObject({ name: 'Northwind Traders', region: 'eu', timeZone: 'Europe/Berlin', baseCurrency: 'USD' });
    const connection = await env.db.prisma.connection.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(Buffer.from(connection.encryptedCredentials).toString('latin1')).not.toContain(nsCredentials.tokenSecret);
    const mapping = await env.db.prisma.tenantMapping.findFirstOrThrow({ where: { tenantId: tenant.id, object: 'invoice' } });
    expect(mapping.overlay).toMatchObject({ lookups: { taxCodes: { 'US-CA': '1042' } } });
    expect((await env.db.prisma.tenantPolicy.findUniqueOrThrow({ where: { tenantId: tenant.id } })).policy).toEqual({ maxConcurrentRuns: 7 });
    const workflow = await env.db.prisma.workflow.findFirstOrThrow({ where: { tenantId: tenant.id }, select: { activeVersionId: true, hooks: true } });
    expect(workflow.activeVersionId).not.toBeNull();
    expect(workflow.hooks.map((h) => h.path)).toEqual(['invoices/netsuite']);
    // The draft is done: its credentials are gone and it cannot be edited or activated again.
    expect((await env.db.prisma.onboardingDraft.findUniqueOrThrow({ where: { id } })).encryptedSecrets).toBeNull();
    await expectTrpcError(api().onboarding.saveProfile({ id, profile: profile('other') }), 'CONFLICT');
    const overview = await api().onboarding.overview({ slug: 'northwind' });
    expect(overview.connections[0]).toMatchObject({ name: 'NetSuite', status: { ok: true } });
    expect(overview.deployments[0]).toMatchObject({ activeVersion: 1, webhookPath: 'invoices/netsuite', signingSecrets: 1 });
    expect(JSON.stringify(overview)).not.toContain(nsCredentials.tokenSecret);
  });

  it('goes live with the nightly reconciliation and creates its schedule, in the tenant time zone', async () => {
    const { id } = await api().onboarding.start();
    expect((await api().onboarding.saveProfile({ id, profile: profile('recon-co') })).ok).toBe(true);
    const bo = DEMO_ESTATE.backOffice.accounts[0];
    const systems = {
      erp: 'netsuite',
      connections: [...netsuite().connections, { slot: 'back-office', system: 'back-office', name: 'Back office', baseUrl: estate.urls.backOffice, config: {}, credentials: { apiKey: bo.apiKeys[0] } }],
    };
    expect((await api().onboarding.saveSystems({ id, systems })).ok).toBe(true);
    const reference = await api().onboarding.referenceData({ id });
    const lookups: Record<string, Record<string, string>> = {};
    for (const t of reference.tables) for (const c of t.codes) if (c.suggestion) (lookups[t.table] ??= {})[c.code] = c.suggestion.value;
    await api().onboarding.saveMappings({ id, mappings: { lookups } });
    const saved = await api().onboarding.saveWorkflows({ id, workflows: { selected: [{ templateId: 'subscription-reconciliation', variables: { cron: '30 1 * * *' } }] } });
    expect(saved.ok ? [] : saved.issues).toEqual([]);
    const draft = await loadDraft(env.db.prisma, keyringFor(env.db), id);
    const result = await activate(createContextInner({ db: env.db, tenantSlug: null, user: TEST_PLATFORM_ADMIN }), draft, '');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const tenant = await env.db.prisma.tenant.findUniqueOrThrow({ where: { slug: 'recon-co' }, select: { id: true } });
    const schedules = await env.db.prisma.schedule.findMany({ where: { tenantId: tenant.id }, select: { cron: true, timeZone: true, enabled: true, workflow: { select: { name: true, activeVersionId: true } } } });
    expect(schedules).toMatchObject([{ cron: '30 1 * * *', timeZone: 'Europe/Berlin', enabled: true, workflow: { name: 'Subscription reconciliation (NetSuite)', activeVersionId: expect.any(String) } }]);
    expect(result.activated.webhookEndpoints).toEqual([]);
  });

  it('starts a draft from a live tenant as template, without its credentials', async () => {
    const { id } = await api().onboarding.startFromTenant({ slug: 'northwind' });
    const copy = await api().onboarding.get({ id });
    expect(copy.data.profile).toMatchObject({ name: '', slug: '', region: 'eu', timeZone: 'Europe/Berlin', baseCurrency: 'USD' });
    expect(copy.data.systems?.connections).toEqual([expect.objectContaining({ slot: 'erp', system: 'netsuite', name: 'NetSuite', config: { accountId: ns.accountId } })]);
    expect(copy.data.mappings?.lookups.taxCodes).toMatchObject({ 'US-CA': '1042' });
    expect(copy.data.policies?.overrides).toEqual({ maxConcurrentRuns: 7 });
    expect(copy.data.workflows?.selected).toEqual([{ templateId: 'invoice-sync', variables: {} }]);
    expect(copy.credentialFields).toEqual({});
    // Without credentials the systems step cannot pass: they must be entered for the new tenant.
    const systems = await api().onboarding.saveSystems({ id, systems: { erp: 'netsuite', connections: copy.data.systems!.connections.map((c) => ({ ...c, credentials: {} })) } });
    expect(systems.ok ? [] : systems.issues.map((i) => i.field)).toContain('connections.erp.credentials.consumerKey');
    await expectTrpcError(api().onboarding.startFromTenant({ slug: 'nobody' }), 'NOT_FOUND');
  });

  it('a slug taken after the profile step is reported at the profile step at go-live', async () => {
    const { id, lookups } = await preparedDraft('late-taker');
    await api().onboarding.saveMappings({ id, mappings: { lookups } });
    await api().onboarding.saveWorkflows({ id, workflows: { selected: [{ templateId: 'invoice-sync', variables: {} }] } });
    await createTenant(env.db, 'late-taker', 'Late Taker');
    const result = await api().onboarding.goLive({ id });
    expect(result).toMatchObject({ ok: false, step: 'profile', issues: [{ field: 'profile.slug' }] });
    await api().onboarding.discard({ id });
    await expectTrpcError(api().onboarding.get({ id }), 'NOT_FOUND');
  });
});
